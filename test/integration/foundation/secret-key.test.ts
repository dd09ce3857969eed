// Integration (issue 15 item 7): the secret key file and the two kinds of SecretBox. A key file that cannot be used
// stops a command with one clear line (never a raw errno or a stack); a data folder written by the desktop app (OS
// keychain) and opened by the CLI (key file) keeps working, the secrets it cannot open reading as missing; the
// desktop app opens what the CLI sealed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from '../../../electron/core/index.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import { KeychainBox, type StringEncryptor } from '../../../electron/core/secrets/keychain-box.ts';
import { SECRET_UNREADABLE } from '../../../electron/shared/secret-marks.ts';
import { call } from '../../support/core-calls.ts';
import { tempDir } from '../../support/temp.ts';
import { canRunCliAs, runCliProcess } from '../../support/cli.ts';

/** Tests run as root here, and root reads any file: the CLI then runs as another user (nobody) to meet a file mode. */
const AS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;
/** Root can meet a file mode only through another user, who must be able to reach this checkout. */
const OTHER_USER_BLOCKED = AS_ROOT && !canRunCliAs(NOBODY);

async function cli(dataDir: string, args: string[], asOther = false): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const r = await runCliProcess(['--data-dir', dataDir, ...args], asOther && AS_ROOT ? { uid: NOBODY } : {});
  return { status: r.code, stdout: r.out, stderr: r.err };
}

function oneClearLine(r: { status: number | null; stderr: string }, pattern: RegExp): void {
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(lines[0]!, /EACCES:|EISDIR:|Error:|\bat /, 'no raw errno text or stack');
}

test('a key file that cannot be used stops with one clear line naming the file and what to do', { timeout: 300_000 }, async (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const key = join(dir.path, 'secret.key');

  // A folder where the key file should be.
  mkdirSync(key);
  oneClearLine(await cli(dir.path, ['clusters', 'list']), /secret\.key is a folder, not the secret key file\. Move it away to start with a new key/);

  // Garbage of the wrong length.
  dir.remove();
  mkdirSync(dir.path);
  writeFileSync(key, 'not a key');
  oneClearLine(await cli(dir.path, ['clusters', 'list']), /secret key file .*secret\.key is damaged \(9 bytes instead of 32 bytes\)\. Restore it from a backup, or move it away/);

  if (OTHER_USER_BLOCKED) {
    t.skip('running as root in a checkout user nobody cannot reach: the file-mode cases need another user');
    return;
  }
  // A key file the user may not read (another user's, mode 0600).
  writeFileSync(key, randomBytes(32), { mode: 0o600 });
  chmodSync(key, AS_ROOT ? 0o600 : 0o000);
  chmodSync(dir.path, 0o777);
  oneClearLine(await cli(dir.path, ['clusters', 'list'], true), /Cannot read the secret key file .*secret\.key \(permission denied\)\. It must belong to the user running Carrier Desk/);

  if (AS_ROOT) {
    // Readable by everyone, and not the user's to make private: refused, as ssh refuses such a key.
    chmodSync(key, 0o644);
    oneClearLine(await cli(dir.path, ['clusters', 'list'], true), /can be read by other users and Carrier Desk cannot make it private \(permission denied\)\. Its owner must run: chmod 600/);
  }
});

/** Stands in for Electron's safeStorage (the OS keychain), which needs Electron: a key the key file does not hold. */
function keychain(): StringEncryptor {
  const k = randomBytes(32);
  return {
    encryptString(s) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', k, iv);
      const body = Buffer.concat([c.update(s, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptString(b) {
      const d = createDecipheriv('aes-256-gcm', k, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

test('a data folder moved between the desktop app (keychain) and the CLI (key file) keeps working', async (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const osKeychain = keychain();
  const doc = { name: 'Desk Carrier', rules: ['^\\+?(\\d+)$'], gateways: [{ server: 'a.example', password: 'Desk-Pw-0001' }, { server: 'b.example' }] };

  const desktop = createCore({ dataDir: dir.path, secrets: new KeychainBox(osKeychain, new FileKeyBox(dir.path)) });
  await call(desktop, 'clusters.add', { name: 'lab', url: 'http://127.0.0.1:9', auth: { kind: 'user', accountName: 'Master', username: 'admin', password: 'Desk-Login-1' }, check: false });
  await call(desktop, 'drafts.create', { from: { kind: 'json', doc } });
  await desktop.close();

  // The CLI (key file) cannot reach the keychain: the draft is usable, its password missing and named.
  const cliCore = createCore({ dataDir: dir.path, secrets: new FileKeyBox(dir.path) });
  const shown = await call(cliCore, 'drafts.get', { draft: 'Desk Carrier', showSecrets: true });
  assert.equal((shown.doc.gateways as { password?: string }[])[0]!.password, SECRET_UNREADABLE);
  const masked = await call(cliCore, 'drafts.get', { draft: 'Desk Carrier' });
  assert.equal((masked.doc.gateways as { password?: string }[])[0]!.password, SECRET_UNREADABLE, 'a missing secret reads as missing, not as a saved one');
  const v = await call(cliCore, 'drafts.validate', { draft: 'Desk Carrier' });
  assert.deepEqual(v.local.filter((i) => i.rule === 'secret_unreadable').map((i) => i.path), ['gateways.0.password']);
  const check = await cliCore.dispatch('clusters.check', { cluster: 'lab' });
  assert.ok(!check.ok);
  assert.equal(check.error.code, 'login_unreadable');
  assert.match(check.error.message, /saved password of cluster lab cannot be decrypted on this machine .*keychain.*Enter it again/);
  // The field is set again from the CLI side, other fields untouched.
  await call(cliCore, 'drafts.edit', { draft: 'Desk Carrier', set: [{ path: 'gateways.0.password', value: 'Cli-Pw-0002' }] });
  const fixed = await call(cliCore, 'drafts.validate', { draft: 'Desk Carrier' });
  assert.deepEqual(fixed.local.filter((i) => i.rule.startsWith('secret_')), []);
  await cliCore.close();

  // The desktop app opens what the CLI sealed (the key file is shared).
  const back = createCore({ dataDir: dir.path, secrets: new KeychainBox(osKeychain, new FileKeyBox(dir.path)) });
  t.after(() => back.close());
  const again = await call(back, 'drafts.get', { draft: 'Desk Carrier', showSecrets: true });
  assert.deepEqual(again.doc.gateways, [{ server: 'a.example', password: 'Cli-Pw-0002' }, { server: 'b.example' }]);
});

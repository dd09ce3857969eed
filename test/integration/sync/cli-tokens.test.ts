// Integration: the Kazoo auth token between CLI processes (issue 16 item 2). Each command is a new process on one data
// folder against emulators on 127.0.0.1: a stored token is reused (no login), a 401 leads to one fresh login and
// success, a changed URL or login drops it, two processes at once both succeed and leave a usable token, and the
// token is sealed at rest and never appears in any output, log file or export.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import { DB_FILE } from '../../../electron/core/index.ts';
import { cliOn, runCliProcess } from '../../support/cli.ts';
import { tempDir } from '../../support/temp.ts';

const emus: EmulatorHandle[] = [];
const dirs: { remove(): void }[] = [];
after(async () => {
  for (const e of emus) await e.close();
  for (const d of dirs) d.remove();
});

const isLogin = (e: { method: string; path: string }) => e.method === 'PUT' && /\/(user|api)_auth$/.test(e.path);
/** Logins and 401s the emulator answered since the last call (its request log is cleared). */
function traffic(em: EmulatorHandle) {
  const log = em.requestLog();
  em.clearRequestLog();
  return { logins: log.filter(isLogin).length, unauthorized: log.filter((e) => e.status === 401).length, requests: log.length, first: log[0] };
}

/** The stored token of cluster `name`, opened with the folder's key (null when none is stored). */
function storedToken(dataDir: string, name: string): string | null {
  const db = new Database(join(dataDir, DB_FILE), { readonly: true });
  try {
    const row = db.prepare('SELECT token_sealed FROM clusters WHERE name = ?').get(name) as { token_sealed: string | null };
    return row.token_sealed ? new FileKeyBox(dataDir).open(row.token_sealed) : null;
  } finally {
    db.close();
  }
}

test('the CLI keeps the auth token between processes, sealed and never shown', { timeout: 300_000 }, async () => {
  const [a, b] = await Promise.all([startEmulator({ flavor: '5.0' }), startEmulator({ flavor: '5.0' })]);
  emus.push(a!, b!);
  const dir = tempDir('cd-cli-tokens-');
  dirs.push(dir);
  const { ok } = cliOn(dir.path);
  const outputs: string[] = [];
  const run = async (...args: string[]) => {
    const r = await ok(...args);
    outputs.push(r.stdout, r.stderr);
    return r;
  };

  await run('clusters', 'add', 'k1', '--url', a!.url, '--account-name', 'Master', '--username', 'admin', '--password', 'demo-admin-pass');
  assert.equal(traffic(a!).logins, 1, 'adding the cluster checks the connection: one login');
  const token = storedToken(dir.path, 'k1');
  assert.ok(token, 'the token is stored');

  // Two more processes: both use the stored token.
  await run('pull', 'k1');
  await run('--json', 'pull', 'k1');
  const reuse = traffic(a!);
  assert.ok(reuse.requests > 0);
  assert.equal(reuse.logins, 0, 'no login in the second and third process');

  // The cluster no longer accepts the token (crossbar-spec §6.3: 401): one fresh login, and the command succeeds.
  a!.revokeTokens();
  await run('pull', 'k1');
  const renewed = traffic(a!);
  assert.ok(renewed.unauthorized >= 1, 'the stored token was sent and refused (by every request already in flight)');
  assert.equal(renewed.logins, 1, 'then exactly one login, shared by those requests');
  const token2 = storedToken(dir.path, 'k1');
  assert.ok(token2 && token2 !== token, 'the new token is stored in place of the refused one');
  await run('pull', 'k1');
  assert.equal(traffic(a!).logins, 0, 'and reused by the next process');

  // Two processes at once on the folder, with a token the cluster refuses: both succeed, neither harms the other's token.
  a!.revokeTokens();
  await Promise.all([run('pull', 'k1'), run('pull', 'k1')]);
  const both = traffic(a!);
  assert.ok(both.logins >= 1 && both.logins <= 2, `one login per process at most (${both.logins})`);
  await run('pull', 'k1');
  assert.equal(traffic(a!).logins, 0, 'the token left by the two is usable');
  const token3 = storedToken(dir.path, 'k1');

  // A changed login drops the token even though the address is the same.
  await run('clusters', 'edit', 'k1', '--password', 'demo-admin-pass', '--no-check');
  assert.equal(storedToken(dir.path, 'k1'), null, 'no token kept for the edited profile');
  await run('pull', 'k1');
  const relogin = traffic(a!);
  assert.equal(relogin.logins, 1);
  assert.equal(relogin.unauthorized, 0);
  assert.ok(relogin.first && isLogin(relogin.first), 'the login came first: the old token was not tried');

  // A changed address: the new one is never sent the old address's token; it is asked for a login first.
  const token4 = storedToken(dir.path, 'k1');
  await run('clusters', 'edit', 'k1', '--url', b!.url, '--no-check');
  await run('pull', 'k1');
  const moved = traffic(b!);
  assert.ok(moved.first && isLogin(moved.first), 'first request to the new address is the login');
  assert.equal(moved.logins, 1);
  assert.equal(moved.unauthorized, 0);
  assert.equal(traffic(a!).requests, 0, 'nothing more went to the old address');

  // The tokens never appear: not in any output (with debug logging on), not in the log files, not in exports, and
  // the store holds them sealed only.
  for (const args of [['pull', 'k1'], ['--json', 'clusters', 'list']]) {
    const r = await runCliProcess(['--data-dir', dir.path, ...args], { env: { CARRIER_DESK_DEBUG: '1' } });
    assert.equal(r.code, 0, r.err);
    outputs.push(r.out, r.err);
  }
  await run('clusters', 'check', 'k1');
  await run('export', join(dir.path, 'bundle.json'), '--include-secrets');
  await run('audit', '--export', join(dir.path, 'audit.jsonl'));
  const files: string[] = [join(dir.path, 'bundle.json'), join(dir.path, 'audit.jsonl')];
  for (const f of readdirSync(join(dir.path, 'logs'))) files.push(join(dir.path, 'logs', f));
  for (const f of readdirSync(dir.path)) if (f.startsWith(DB_FILE)) files.push(join(dir.path, f));
  const tokens = [token, token2, token3, token4, storedToken(dir.path, 'k1')].filter((t): t is string => !!t);
  assert.ok(tokens.length >= 5);
  for (const t of tokens) {
    for (const text of outputs) assert.ok(!text.includes(t), 'a token in a command output');
    for (const f of files) assert.ok(!readFileSync(f).includes(t), `a token in ${f}`);
  }
});

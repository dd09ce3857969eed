// Secrets: AES-256-GCM key file box round trip, 0600 key file, no clear text in the store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import { SecretUnavailableError } from '../../../electron/core/secrets/secret-box.ts';
import { createCore } from '../../../electron/core/index.ts';
import { createLogger } from '../../../electron/core/logging.ts';
import { tempDir } from '../../support/temp.ts';

test('the key file box seals and opens, with a fresh nonce each time', (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const box = new FileKeyBox(dir.path);
  const a = box.seal('p@ss wörd');
  const b = box.seal('p@ss wörd');
  assert.notEqual(a, b);
  assert.ok(!a.includes('p@ss'));
  assert.equal(box.open(a), 'p@ss wörd');
  // A second box on the same folder reads the same key.
  assert.equal(new FileKeyBox(dir.path).open(b), 'p@ss wörd');
  const mode = statSync(join(dir.path, 'secret.key')).mode & 0o777;
  assert.equal(mode, 0o600);
});

test('a sealed value from another key or tampered with is refused plainly', (t) => {
  const one = tempDir();
  const two = tempDir();
  t.after(() => (one.remove(), two.remove()));
  const sealed = new FileKeyBox(one.path).seal('secret');
  assert.throws(() => new FileKeyBox(two.path).open(sealed), SecretUnavailableError);
  const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
  assert.throws(() => new FileKeyBox(one.path).open(tampered), SecretUnavailableError);
});

test('a damaged key file is reported, not silently replaced', (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  writeFileSync(join(dir.path, 'secret.key'), 'short');
  assert.throws(() => new FileKeyBox(dir.path), /damaged/);
});

test('cluster passwords and api keys never reach the database file or the log in clear', async (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const lines: string[] = [];
  const core = createCore({
    dataDir: dir.path,
    secrets: new FileKeyBox(dir.path),
    logger: createLogger({ level: 'debug', sink: (l) => lines.push(l) }),
  });
  const password = 'Sup3r-Secret-Passw0rd';
  const apiKey = 'a'.repeat(20) + 'K3yMaterial' + 'b'.repeat(33);
  const r1 = await core.dispatch('clusters.add', {
    name: 'one',
    url: 'http://127.0.0.1:9/',
    auth: { kind: 'user', accountName: 'acme', username: 'admin', password },
    check: false,
  });
  const r2 = await core.dispatch('clusters.add', { name: 'two', url: 'http://127.0.0.1:9/', auth: { kind: 'api_key', apiKey }, check: false });
  assert.ok(r1.ok && r2.ok);
  // A failing check exercises the error and logging paths with the secret in memory.
  const check = await core.dispatch('clusters.check', { cluster: 'one' });
  assert.equal(check.ok, false);
  if (!check.ok) assert.ok(!check.error.message.includes(password));
  await core.close();
  for (const file of readdirSync(dir.path)) {
    if (!file.startsWith('carrier-desk.sqlite')) continue;
    const bytes = readFileSync(join(dir.path, file));
    assert.equal(bytes.indexOf(password), -1, `${file} holds the password in clear`);
    assert.equal(bytes.indexOf('K3yMaterial'), -1, `${file} holds the api key in clear`);
  }
  for (const line of lines) {
    assert.ok(!line.includes(password) && !line.includes('K3yMaterial'), `log line leaks a secret: ${line}`);
  }
});

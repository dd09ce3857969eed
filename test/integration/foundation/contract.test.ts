// Contract wiring: every method has a handler, arguments are validated, errors come back as values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCore } from '../../../electron/core/index.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import { methodNames } from '../../../electron/shared/contract.ts';
import { tempDir } from '../../support/temp.ts';
import { call } from '../../support/core-calls.ts';

test('every contract method has exactly one handler and nothing else is exposed', (t) => {
  const dir = tempDir();
  const core = createCore({ dataDir: dir.path, secrets: new FileKeyBox(dir.path) });
  t.after(async () => (await core.close(), dir.remove()));
  assert.deepEqual(Object.keys(core.handlers).sort(), [...methodNames].sort());
});

test('calls validate their arguments and answer with values, never throw', async (t) => {
  const dir = tempDir();
  const core = createCore({ dataDir: dir.path, secrets: new FileKeyBox(dir.path) });
  t.after(async () => (await core.close(), dir.remove()));
  const info = await core.dispatch('app.info', {});
  assert.ok(info.ok);
  const extra = await core.dispatch('app.info', { sneaky: true });
  assert.equal(extra.ok, false);
  if (!extra.ok) assert.equal(extra.error.code, 'invalid_arguments');
  const missing = await core.dispatch('clusters.check', { cluster: 'nope' });
  assert.equal(missing.ok, false);
  if (!missing.ok) {
    assert.equal(missing.error.code, 'not_found');
    assert.match(missing.error.message, /Cluster 'nope' does not exist/);
  }
  const badUrl = await core.dispatch('clusters.add', { name: 'x', url: 'not a url', auth: { kind: 'api_key', apiKey: 'k' } });
  assert.equal(badUrl.ok, false);
  if (!badUrl.ok) assert.match(badUrl.error.message, /Crossbar URL/);
});

test('settings round-trip through the contract and survive a restart', async (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const core = createCore({ dataDir: dir.path, secrets: new FileKeyBox(dir.path) });
  await core.dispatch('settings.set', { key: 'jobs.chunkSize', value: 250 });
  await core.close();
  const again = createCore({ dataDir: dir.path, secrets: new FileKeyBox(dir.path) });
  t.after(() => again.close());
  const all = await call(again, 'settings.get', {});
  const chunk = all.find((s) => s.key === 'jobs.chunkSize');
  assert.deepEqual([chunk?.value, chunk?.isSet, chunk?.default], [250, true, 500]);
  assert.equal(all.find((s) => s.key === 'jobs.autoResubmit')?.value, true, 'unset settings report their default');
});

test('settings.set refuses an unknown key and a wrong value, naming them, and keeps what was set', async (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const core = createCore({ dataDir: dir.path, secrets: new FileKeyBox(dir.path) });
  t.after(() => core.close());
  assert.ok((await core.dispatch('settings.set', { key: 'jobs.chunkSize', value: 250 })).ok);
  const unknown = await core.dispatch('settings.set', { key: 'jobs.chunksize', value: 100 });
  assert.ok(!unknown.ok && unknown.error.code === 'invalid_input' && /no setting "jobs.chunksize".*jobs\.chunkSize/.test(unknown.error.message));
  const wrong = await core.dispatch('settings.set', { key: 'jobs.chunkSize', value: 'lots' });
  assert.ok(!wrong.ok && /jobs\.chunkSize must be a whole number from 1 to 10000; got "lots"/.test(wrong.error.message));
  const zero = await core.dispatch('settings.set', { key: 'jobs.maxActivePerCluster', value: 0 });
  assert.ok(!zero.ok);
  assert.equal((await call(core, 'settings.get', {})).find((s) => s.key === 'jobs.chunkSize')?.value, 250);
  const reset = await call(core, 'settings.set', { key: 'jobs.chunkSize', value: null });
  assert.equal(reset.find((s) => s.key === 'jobs.chunkSize')?.value, 500, 'null puts the default back');
});

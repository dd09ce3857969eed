// Reachability and login are two stored facts, updated from every request's outcome (not only from checks), and
// shown as such by the CLI in text and --json: "reachable, login refused", "unreachable", "reachable, logged in".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../../kazoo-emulator/index.ts';
import { tempDir } from '../../support/temp.ts';
import { runCliProcess } from '../../support/cli.ts';
import { addCluster } from '../../support/core-calls.ts';
import { createCore } from '../../../electron/core/index.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import type { ClusterView } from '../../../electron/shared/contract/clusters.ts';

const login = ['--account-name', 'Master', '--username', 'admin'];

test('a refused login is stored and shown as "reachable, login refused", never as online', async (t) => {
  const emu = await startEmulator({ flavor: '5.0' });
  const dir = tempDir();
  t.after(async () => (await emu.close(), dir.remove()));
  const d = ['--data-dir', dir.path];

  const add = await runCliProcess([...d, 'clusters', 'add', 'lab', '--url', emu.url, ...login, '--password', 'not-the-password']);
  assert.equal(add.code, 1);
  assert.match(add.out, /status: reachable, login refused \(The cluster refused the login/);
  assert.match(add.out, /last check: \d{4}-\d\d-\d\dT[\d:.]+Z \(it did not succeed\)/);
  assert.doesNotMatch(add.out, /online|never/);

  const check = await runCliProcess([...d, '--json', 'clusters', 'check', 'lab']);
  assert.equal(check.code, 1, 'a check that did not succeed exits 1');
  const checked = JSON.parse(check.out) as ClusterView;
  assert.equal(checked.reachability, 'online');
  assert.equal(checked.login, 'refused');
  assert.deepEqual(checked.status, { kind: 'login-refused', label: 'reachable, login refused', usable: false });
  assert.equal(checked.lastError?.code, 'auth_failed');
  assert.ok(checked.checkedAt, 'the check is dated even though it did not succeed');
  assert.equal(checked.probedAt, undefined);

  const list = await runCliProcess([...d, 'clusters', 'list']);
  assert.match(list.out, /^lab\s+\S+\s+reachable, login refused\s/m);
  const listed = JSON.parse((await runCliProcess([...d, '--json', 'clusters', 'list'])).out) as ClusterView[];
  assert.equal(listed[0]!.status.kind, 'login-refused');

  // The right password: both facts change at the next check.
  const fixed = await runCliProcess([...d, '--json', 'clusters', 'edit', 'lab', ...login, '--password-stdin'], { input: 'demo-admin-pass\n' });
  assert.equal(fixed.code, 0, fixed.err);
  assert.deepEqual((JSON.parse(fixed.out) as ClusterView).status, { kind: 'ready', label: 'reachable, logged in', usable: true });

  const gone = await runCliProcess([...d, '--json', 'clusters', 'add', 'gone', '--url', 'http://127.0.0.1:9', '--api-key', 'k'.repeat(64)]);
  assert.equal(gone.code, 1);
  const unreachable = JSON.parse(gone.out) as ClusterView;
  assert.deepEqual([unreachable.reachability, unreachable.login, unreachable.status.label], ['offline', 'unknown', 'unreachable']);
});

test('every request updates both facts: a pull refused for its login, then a cluster that stops answering', async (t) => {
  const emu = await startEmulator({ flavor: '4.3' });
  const dir = tempDir();
  const core = createCore({ dataDir: dir.path, secrets: new FileKeyBox(dir.path) });
  t.after(async () => (await core.close(), await emu.close(), dir.remove()));
  await addCluster(core, 'lab', emu);
  const view = () => core.services.clusters.get('lab');
  assert.equal(view().status.kind, 'ready');

  // Another password saved without a check: nothing is known about it yet, and nothing claims it works.
  const edited = await core.dispatch('clusters.update', { cluster: 'lab', auth: { kind: 'user', accountName: 'Master', username: 'admin', password: 'changed-elsewhere', hash: 'md5' } });
  assert.ok(edited.ok);
  assert.deepEqual([view().reachability, view().login, view().status.label], ['unknown', 'unknown', 'not checked yet']);

  // An ordinary request (a pull, not a check) is refused at login: stored as such.
  const pulled = await core.dispatch('pull.run', { cluster: 'lab', scope: 'global' });
  assert.equal(pulled.ok, false);
  assert.deepEqual([view().reachability, view().login, view().status.label], ['online', 'refused', 'reachable, login refused']);
  assert.equal(view().lastError?.code, 'auth_failed');

  // The cluster stops answering: unreachable, and the refused login is still remembered for when it answers.
  await emu.goOffline();
  const again = await core.dispatch('pull.run', { cluster: 'lab', scope: 'global' });
  assert.equal(again.ok, false);
  assert.deepEqual([view().reachability, view().login, view().status.label], ['offline', 'refused', 'unreachable']);
  await emu.goOnline();

  // The right password again: the next request (an account tree read) stores "logged in".
  assert.ok((await core.dispatch('clusters.update', { cluster: 'lab', auth: { kind: 'user', accountName: 'Master', username: 'admin', password: 'demo-admin-pass', hash: 'md5' } })).ok);
  assert.ok((await core.dispatch('accounts.tree', { cluster: 'lab' })).ok);
  assert.deepEqual([view().reachability, view().login, view().status.label], ['online', 'accepted', 'reachable, logged in']);
  assert.equal(view().lastError, undefined);
});

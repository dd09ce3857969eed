// The job watcher of a running host acts on what another process (the `carrier-desk` command line on the same data
// folder) changed while a job waits (issue 14 item 5): a cluster moved to another address is watched there, with a
// new client and login, and nothing more goes to the old address; a setting changed there is in force at the next
// round. Real emulators over HTTP, real SQLite, the CLI in a child process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import { startHostileCluster } from '../../support/hostile-cluster.ts';
import { runCliProcess } from '../../support/cli.ts';
import { ACME, ACME_RESOURCE, accountNumbers, call, importList, numbers, openCore, runUntilIdle, tempDir, type Loose } from './helpers.ts';

const LOGIN = { kind: 'user' as const, accountName: 'Master', username: 'admin', password: 'demo-admin-pass' };

async function cli(dataDir: string, ...args: string[]): Promise<void> {
  const r = await runCliProcess(['--data-dir', dataDir, ...args]);
  assert.equal(r.code, 0, `carrier-desk ${args.join(' ')}: ${r.err}${r.out}`);
}

const jobPuts = (emu: EmulatorHandle) => emu.requestLog().filter((r) => r.method === 'PUT' && /\/resources\/jobs$/.test(r.path)).length;

test('a job waiting on an unreachable cluster is sent to the address the CLI moved the cluster to, and nothing more to the old one', async (t) => {
  const [oldEmu, newEmu] = await Promise.all([startEmulator({ flavor: '5.0', jobDelayMs: 0 }), startEmulator({ flavor: '5.0', jobDelayMs: 0 })]);
  const tmp = tempDir('moved');
  const core = await openCore(tmp.dir);
  t.after(async () => {
    await core.close();
    await Promise.all([oldEmu.close(), newEmu.close()]);
    tmp.cleanup();
  });
  await call(core, 'clusters.add', { name: 'lab', url: oldEmu.url, auth: LOGIN });
  const list = numbers(4);
  await importList(core, 'march', list);
  await call(core, 'jobs.submit', { list: 'march', cluster: 'lab', account: ACME, resource: ACME_RESOURCE, checkExisting: false });

  // The old address stops answering: the watcher's client for it (logged in by the add) gets no reply; the job waits.
  await oldEmu.goOffline();
  for (let i = 0; i < 3; i++) {
    await core.background.runNow('jobs');
    await new Promise((r) => setTimeout(r, 60));
  }
  const [waiting] = core.services.jobs.repo.unfinished() as Loose[];
  assert.ok(waiting, 'the job waits');
  assert.equal(jobPuts(newEmu), 0);

  // Another process moves the cluster; the running watcher's next rounds go to the new address.
  await cli(tmp.dir, 'clusters', 'edit', 'lab', '--url', newEmu.url, '--no-check');
  await oldEmu.goOnline();
  oldEmu.clearRequestLog();
  await runUntilIdle(core, { deadlineMs: 30_000 });
  const [job] = (await call(core, 'jobs.list', {})) as Loose[];
  assert.equal(job.state, 'complete', JSON.stringify(job));
  assert.equal(jobPuts(newEmu), 1, 'the job was created once, at the new address');
  assert.deepEqual(oldEmu.requestLog(), [], 'nothing more went to the old address');
  const created = await accountNumbers(newEmu, ACME);
  for (const n of list) assert.ok(created[n], `${n} is on the new cluster`);
});

test('a job held on a refused login is sent once the CLI moves the cluster to an address that accepts it', async (t) => {
  const emu = await startEmulator({ flavor: '5.0', jobDelayMs: 0 });
  let refuse = false;
  const refusing = await startHostileCluster(emu.url, () => (refuse ? { kind: 'unauthorized' } : { kind: 'forward' }));
  const newEmu = await startEmulator({ flavor: '5.0', jobDelayMs: 0 });
  const tmp = tempDir('moved-login');
  const core = await openCore(tmp.dir);
  t.after(async () => {
    await core.close();
    await refusing.close();
    await Promise.all([emu.close(), newEmu.close()]);
    tmp.cleanup();
  });
  await call(core, 'clusters.add', { name: 'lab', url: refusing.url, auth: LOGIN });
  await importList(core, 'march', numbers(3, 3125550000, 2000));
  await call(core, 'jobs.submit', { list: 'march', cluster: 'lab', account: ACME, resource: ACME_RESOURCE, checkExisting: false });
  // The old address starts refusing the login: the watcher holds the job.
  refuse = true;
  await runUntilIdle(core, { deadlineMs: 15_000 });
  const watcher = core.services.jobs.watcher;
  const clusterId = core.ctx.clusters.find('lab')!.id;
  assert.equal(watcher.loginBlocked(clusterId), true, 'the refused login holds the cluster');
  const seenWhileHeld = refusing.seen.length;

  // Another process fixes the profile (a new address): the hold lifts and the job goes there, once.
  await cli(tmp.dir, 'clusters', 'edit', 'lab', '--url', newEmu.url, '--no-check');
  assert.equal(watcher.loginBlocked(clusterId), false, 'a profile changed by another process lifts the hold');
  await runUntilIdle(core, { deadlineMs: 30_000 });
  const [job] = (await call(core, 'jobs.list', {})) as Loose[];
  assert.equal(job.state, 'complete', JSON.stringify(job));
  assert.equal(jobPuts(newEmu), 1);
  assert.equal(refusing.seen.length, seenWhileHeld, 'nothing more went to the refusing address');
});

test('a setting changed by the CLI is in force at the running watcher\u2019s next round', async (t) => {
  const emu = await startEmulator({ flavor: '5.0', jobDelayMs: 60_000 });
  const tmp = tempDir('setting');
  const core = await openCore(tmp.dir);
  t.after(async () => {
    await core.close();
    await emu.close();
    tmp.cleanup();
  });
  await call(core, 'clusters.add', { name: 'lab', url: emu.url, auth: LOGIN });
  await call(core, 'settings.set', { key: 'jobs.maxActivePerCluster', value: 1 });
  await importList(core, 'one', numbers(2, 3125550000, 3000));
  await importList(core, 'two', numbers(2, 3125550000, 4000));
  await call(core, 'jobs.submit', { list: 'one', cluster: 'lab', account: ACME, resource: ACME_RESOURCE, checkExisting: false });
  await call(core, 'jobs.submit', { list: 'two', cluster: 'lab', account: ACME, resource: ACME_RESOURCE, checkExisting: false });
  for (let i = 0; i < 3; i++) await core.background.runNow('jobs');
  assert.equal(jobPuts(emu), 1, 'one job at a time on the cluster');

  await cli(tmp.dir, 'settings', 'set', 'jobs.maxActivePerCluster', '2');
  await core.background.runNow('jobs');
  assert.equal(jobPuts(emu), 2, 'the second job is admitted under the setting the CLI stored');
});

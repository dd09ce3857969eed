// The job watcher under a permanent 401: it says "login refused" (not "no reply"), sends nothing more to that
// cluster while its profile is unchanged, does not count the held jobs as work in progress (so `watch --until-idle`
// ends), and sends again as soon as the profile is edited. Real emulator behind a hostile proxy; real SQLite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../../kazoo-emulator/index.ts';
import { startHostileCluster } from '../../support/hostile-cluster.ts';
import { runCli } from '../../support/cli-child.ts';
import { ACME, ACME_RESOURCE, call, importList, numbers, openCore, runUntilIdle, tempDir, type Loose } from './helpers.ts';

const LOGIN = { kind: 'user' as const, accountName: 'Master', username: 'admin', password: 'demo-admin-pass' };

test('a refused login holds the cluster until its profile changes, then the job is sent once', async (t) => {
  const emu = await startEmulator({ flavor: '5.0', jobDelayMs: 0 });
  let refuse = false;
  const hostile = await startHostileCluster(emu.url, () => (refuse ? { kind: 'unauthorized' } : { kind: 'forward' }));
  const tmp = tempDir('login');
  const core = await openCore(tmp.dir);
  t.after(async () => {
    await core.close();
    await hostile.close();
    await emu.close();
    tmp.cleanup();
  });
  await call(core, 'clusters.add', { name: 'lab', url: hostile.url, auth: LOGIN });
  await importList(core, 'march', numbers(5));
  await call(core, 'jobs.submit', { list: 'march', cluster: 'lab', account: ACME, resource: ACME_RESOURCE, checkExisting: false });

  // The credentials are revoked: every request (the cached token, then the login) is answered 401.
  refuse = true;
  const mark = hostile.seen.length;
  await runUntilIdle(core, { deadlineMs: 15_000 });
  const watcher = core.services.jobs.watcher;
  const [job] = core.services.jobs.repo.unfinished() as Loose[];
  assert.equal(job.state, 'queued', 'a refused PUT created nothing (Crossbar authenticates first), so the job waits as queued');
  assert.match(job.note, /Login refused by lab: fix the login in Clusters/);
  assert.doesNotMatch(`${job.note} ${job.last_error}`, /No reply/);
  assert.equal(watcher.loginRefusedJobs().length, 1);
  assert.equal(watcher.activeJobs().length, 0, 'a held job is not work the watcher can move');
  const sentWhileRefused = hostile.seen.length - mark;
  assert.ok(sentWhileRefused <= 4, `requests while refused: ${hostile.seen.slice(mark).join(', ')}`);

  // More rounds, later: nothing more is sent to that cluster.
  for (let i = 0; i < 5; i++) {
    await core.background.runNow('jobs');
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(hostile.seen.length - mark, sentWhileRefused, 'no retries against a refused login');
  const jobPuts = () => hostile.seen.filter((s) => /^PUT \/v2\/accounts\/[^/]+\/resources\/jobs/.test(s)).length;
  assert.ok(jobPuts() <= 1, 'the job PUT was tried at most once (refused with the cached token)');
  const refusedPuts = jobPuts();

  // The login is fixed (the profile changes): the job goes out, once, and completes.
  refuse = false;
  await call(core, 'clusters.update', { cluster: 'lab', auth: LOGIN });
  assert.equal(watcher.loginBlocked(core.ctx.clusters.find('lab')!.id), false);
  await runUntilIdle(core, { deadlineMs: 30_000 });
  const done = (await call(core, 'jobs.list', {})) as Loose[];
  assert.equal(done[0].state, 'complete');
  assert.equal(jobPuts() - refusedPuts, 1, 'sent exactly once after the fix');
});

test('watch --until-idle under a permanent 401 ends with exit 1 and says the login was refused', async (t) => {
  const emu = await startEmulator({ flavor: '5.0', jobDelayMs: 0 });
  let refuse = false;
  const hostile = await startHostileCluster(emu.url, () => (refuse ? { kind: 'unauthorized' } : { kind: 'forward' }));
  const tmp = tempDir('login-cli');
  t.after(async () => {
    await hostile.close();
    await emu.close();
    tmp.cleanup();
  });
  const setup = await openCore(tmp.dir);
  await call(setup, 'clusters.add', { name: 'lab', url: hostile.url, auth: LOGIN });
  await importList(setup, 'march', numbers(5));
  await call(setup, 'jobs.submit', { list: 'march', cluster: 'lab', account: ACME, resource: ACME_RESOURCE, checkExisting: false });
  await setup.close();

  refuse = true;
  const r = await runCli(tmp.dir, ['watch', '--until-idle'], { killAfterMs: 120_000 });
  assert.equal(r.signal, null, `watch did not end by itself:\n${r.stdout}\n${r.stderr}`);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /Login refused by lab: 1 job waits and nothing more is sent to it/);
  assert.doesNotMatch(r.stdout, /No reply to the submission/);
  const logins = hostile.seen.filter((s) => s === 'PUT /v2/user_auth').length;
  assert.ok(logins <= 2, `logins tried: ${logins}`);
});

test('the hold outlives the process: a second watch sends no login and exits 1; after clusters edit the job is sent once', async (t) => {
  // The emulator itself refuses the stored password, every time (a permanent 401, crossbar-spec §6.1).
  const emu = await startEmulator({ flavor: '5.0', jobDelayMs: 0 });
  const tmp = tempDir('login-hold');
  t.after(async () => {
    await emu.close();
    tmp.cleanup();
  });
  const setup = await openCore(tmp.dir);
  await call(setup, 'clusters.add', { name: 'lab', url: emu.url, auth: LOGIN });
  await importList(setup, 'march', numbers(5));
  await call(setup, 'jobs.submit', { list: 'march', cluster: 'lab', account: ACME, resource: ACME_RESOURCE, checkExisting: false });
  // The stored password goes stale (saved without a check, so nothing is known yet about it).
  await call(setup, 'clusters.update', { cluster: 'lab', auth: { ...LOGIN, password: 'revoked-pass' } });
  await setup.close();
  const logins = () => emu.requestLog().filter((e) => e.method === 'PUT' && e.path === '/v2/user_auth').length;
  const jobPuts = () => emu.requestLog().filter((e) => e.method === 'PUT' && /^\/v2\/accounts\/[^/]+\/resources\/jobs/.test(e.path)).length;
  const watch = () => runCli(tmp.dir, ['watch', '--until-idle'], { killAfterMs: 120_000 });

  // The first process meets the refusal (that is how it learns of it) and stops.
  const first = await watch();
  assert.equal(first.code, 1, first.stdout + first.stderr);
  assert.match(first.stdout, /Login refused by lab/);
  assert.ok(logins() >= 1, 'the first process tried the login');

  // A second process reads the stored refusal: nothing at all is sent to the cluster, and it says why.
  emu.clearRequestLog();
  const second = await watch();
  assert.equal(second.signal, null, `watch did not end by itself:\n${second.stdout}\n${second.stderr}`);
  assert.equal(second.code, 1, second.stdout + second.stderr);
  assert.match(second.stdout, /Login refused by lab: 1 job waits and nothing more is sent to it/);
  assert.equal(logins(), 0, `login attempts by the second process: ${JSON.stringify(emu.requestLog())}`);
  assert.equal(emu.requestLog().length, 0, 'no request at all while the stored login is refused');
  const jobs = await runCli(tmp.dir, ['jobs', 'list', '--json']);
  assert.match(jobs.stdout, /Login refused by lab: fix the login in Clusters/);

  // The login is fixed from another process (the edit checks it); the next watch sends the job, once, and ends well.
  const edit = await runCli(tmp.dir, ['clusters', 'edit', 'lab', '--password-env', 'LAB_PASS'], { env: { LAB_PASS: LOGIN.password } });
  assert.equal(edit.code, 0, edit.stdout + edit.stderr);
  emu.clearRequestLog();
  const third = await watch();
  assert.equal(third.code, 0, third.stdout + third.stderr);
  assert.match(third.stdout, /All jobs are finished/);
  assert.equal(jobPuts(), 1, 'the job was sent exactly once');
  const after = await openCore(tmp.dir);
  const [job] = (await call(after, 'jobs.list', {})) as Loose[];
  await after.close();
  assert.equal(job.state, 'complete');
});

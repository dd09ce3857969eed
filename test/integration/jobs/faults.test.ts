// The watcher against a misbehaving cluster: a PUT whose reply is lost (no second job), the executor killed
// mid-job (stall → remainder, nothing lost or imported twice), the cluster offline then back, a job spanning
// a month boundary with the clock shared by core and emulator (and the token expiring on the way).
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import type { Core } from '../../../electron/core/index.ts';
import { ManualClock } from '../../../electron/core/platform.ts';
import { ACME, ACME_RESOURCE, accountNumbers, addCluster, call, importList, numbers, openCore, remoteJobs, runUntilIdle, tempDir } from './helpers.ts';

describe('jobs under faults', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });
  after(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function setup(opts: { jobDelayMs: number; clock?: ManualClock }): Promise<{ emu: EmulatorHandle; core: Core }> {
    const emu = await startEmulator({ jobDelayMs: opts.jobDelayMs, ...(opts.clock ? { clock: opts.clock } : {}) });
    const tmp = tempDir('faults');
    const core = await openCore(tmp.dir, opts.clock);
    cleanups.push(() => tmp.cleanup(), () => emu.close(), () => core.close());
    await addCluster(core, 'demo', emu);
    return { emu, core };
  }

  test('a PUT whose reply is lost is found by its tag and adopted, never sent twice', async () => {
    const { emu, core } = await setup({ jobDelayMs: 1 });
    const list = numbers(12, 3125550000, 4000);
    await importList(core, 'lost', list);
    const sub = await call(core, 'jobs.submit', { list: 'lost', cluster: 'demo', account: ACME, resource: ACME_RESOURCE });
    // The emulator processes the PUT, then destroys the connection: the job exists but we never hear of it.
    emu.setFaults({ resetRate: 1, failPaths: '/resources/jobs$' });
    await core.background.runNow('jobs');
    let j = (await call(core, 'jobs.list', { batch: sub.batch.id }))[0]!;
    assert.equal(j.state, 'verifying');
    assert.equal(j.remoteId, undefined);
    // Look-ups fail too while the path is broken; the job waits.
    await core.background.runNow('jobs');
    emu.setFaults({ resetRate: 0, failPaths: '' });
    await runUntilIdle(core);
    j = (await call(core, 'jobs.list', { batch: sub.batch.id }))[0]!;
    assert.equal(j.state, 'complete');
    assert.equal(j.submitAttempts, 1);
    assert.match(j.note ?? '', /adopted/i);
    const remote = (await remoteJobs(emu, ACME, Date.now() - 86_400_000, Date.now() + 60_000)).filter((r) => String(r.name).includes(j.tag));
    assert.equal(remote.length, 1, 'exactly one job on the cluster');
    const onCluster = await accountNumbers(emu, ACME);
    for (const n of list) assert.ok(onCluster[n]);
  });

  test('a PUT refused before processing is found absent and sent again once', async () => {
    const { emu, core } = await setup({ jobDelayMs: 1 });
    const list = numbers(5, 3125550000, 4100);
    await importList(core, 'refused', list);
    const sub = await call(core, 'jobs.submit', { list: 'refused', cluster: 'demo', account: ACME, resource: ACME_RESOURCE });
    emu.setFaults({ errorRate: 1, failPaths: '/resources/jobs$' });
    await core.background.runNow('jobs');
    emu.setFaults({ errorRate: 0, failPaths: '' });
    await runUntilIdle(core);
    const j = (await call(core, 'jobs.list', { batch: sub.batch.id }))[0]!;
    assert.equal(j.state, 'complete');
    assert.equal(j.submitAttempts, 2);
    const remote = (await remoteJobs(emu, ACME, Date.now() - 86_400_000, Date.now() + 60_000)).filter((r) => String(r.name).includes(j.tag));
    assert.equal(remote.length, 1);
  });

  test('executor killed mid-job: stall detected, only the remainder resubmitted, nothing lost or doubled', async () => {
    const { emu, core } = await setup({ jobDelayMs: 15 });
    await call(core, 'settings.set', { key: 'jobs.stallAfterS', value: 0.4 });
    const list = numbers(40, 3125550000, 5000);
    await importList(core, 'killed', list);
    const sub = await call(core, 'jobs.submit', { list: 'killed', cluster: 'demo', account: ACME, resource: ACME_RESOURCE });
    let killed = false;
    let resumed = false;
    await runUntilIdle(core, {
      deadlineMs: 30_000,
      between: async () => {
        const jobs = await call(core, 'jobs.list', { batch: sub.batch.id });
        if (!killed && jobs[jobs.length - 1]!.done >= 5) {
          emu.killExecutor();
          killed = true;
        }
        if (killed && !resumed && jobs.some((j) => j.kind === 'remainder')) {
          emu.resumeExecutor();
          resumed = true;
        }
      },
    });
    assert.ok(killed && resumed);
    const jobs = await call(core, 'jobs.list', { batch: sub.batch.id });
    const first = jobs.find((j) => j.kind === 'chunk')!;
    const rest = jobs.find((j) => j.kind === 'remainder')!;
    assert.equal(first.state, 'superseded');
    assert.equal(rest.parentJobId, first.id);
    assert.equal(rest.state, 'complete');
    assert.equal(first.successes + rest.successes, 40);
    assert.equal(first.moved, rest.total);
    assert.equal(rest.failures, 0, 'no number was sent twice');
    const onCluster = await accountNumbers(emu, ACME);
    for (const n of list) assert.ok(onCluster[n], `${n} lost`);
    const batch = (await call(core, 'jobs.batches', {})).find((b) => b.id === sub.batch.id)!;
    assert.deepEqual([batch.succeeded, batch.failed, batch.pending], [40, 0, 0]);
  });

  test('the cluster goes offline mid-job and comes back: the job is followed to the end', async () => {
    const { emu, core } = await setup({ jobDelayMs: 10 });
    const list = numbers(30, 3125550000, 6000);
    await importList(core, 'offline', list);
    const sub = await call(core, 'jobs.submit', { list: 'offline', cluster: 'demo', account: ACME, resource: ACME_RESOURCE });
    let wentOff = false;
    let sawError = false;
    await runUntilIdle(core, {
      deadlineMs: 60_000,
      between: async () => {
        const j = (await call(core, 'jobs.list', { batch: sub.batch.id }))[0]!;
        if (!wentOff && j.state === 'running') {
          await emu.goOffline();
          wentOff = true;
        } else if (wentOff && !sawError && j.lastError) {
          sawError = true;
          const clusters = await call(core, 'clusters.list', {});
          assert.equal(clusters[0]!.reachability, 'offline');
          await emu.goOnline();
        }
      },
    });
    assert.ok(wentOff && sawError);
    const j = (await call(core, 'jobs.list', { batch: sub.batch.id }))[0]!;
    assert.equal(j.state, 'complete');
    assert.equal(j.successes, 30);
  });

  test('a pending job is not called stalled for the time its cluster did not answer', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 10, 9, 0, 0));
    const { emu, core } = await setup({ jobDelayMs: 1, clock });
    await call(core, 'settings.set', { key: 'jobs.stallAfterS', value: 60 });
    await call(core, 'settings.set', { key: 'jobs.autoResubmit', value: false });
    await importList(core, 'outage', numbers(8, 3125550000, 8000));
    // Part 1 holds the (paused) executor: running without progress. Part 2 waits behind it: pending.
    emu.pauseExecutor();
    const sub = await call(core, 'jobs.submit', { list: 'outage', cluster: 'demo', account: ACME, resource: ACME_RESOURCE, chunkSize: 4 });
    const states = async () => (await call(core, 'jobs.list', { batch: sub.batch.id })).sort((x, y) => x.seq - y.seq).map((j) => j.state);
    for (let i = 0; i < 20 && (await states()).join() !== 'running,submitted'; i++) {
      clock.advance(1_000);
      await core.background.runNow('jobs');
    }
    assert.deepEqual(await states(), ['running', 'submitted']);

    // Five minutes without an answer (longer than the stall threshold), then the cluster answers again: part 1 was
    // seen running without progress on both sides of the outage (stalled); part 2 was never seen quiet that long.
    await emu.goOffline();
    clock.advance(300_000);
    await core.background.runNow('jobs');
    await emu.goOnline();
    clock.advance(1_000);
    await core.background.runNow('jobs');
    assert.deepEqual(await states(), ['stalled', 'submitted'], 'an outage is not a stall of a pending job');

    // Seen quiet for longer than the threshold since the cluster came back: now part 2 is stalled too.
    clock.advance(61_000);
    await core.background.runNow('jobs');
    assert.deepEqual(await states(), ['stalled', 'stalled']);
  });

  test('a job created on the last day of a month is followed into the next month', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 31, 23, 59, 0));
    const { emu, core } = await setup({ jobDelayMs: 5, clock });
    const list = numbers(10, 3125550000, 7000);
    await importList(core, 'month', list);
    const sub = await call(core, 'jobs.submit', { list: 'month', cluster: 'demo', account: ACME, resource: ACME_RESOURCE });
    // Lose the PUT's reply so the look-up has to search January from February.
    emu.setFaults({ resetRate: 1, failPaths: '/resources/jobs$' });
    await core.background.runNow('jobs');
    emu.setFaults({ resetRate: 0, failPaths: '' });
    clock.set(Date.UTC(2026, 1, 1, 1, 30, 0)); // February, and past the token lifetime
    await runUntilIdle(core, { between: () => clock.advance(1_000) });
    const j = (await call(core, 'jobs.list', { batch: sub.batch.id }))[0]!;
    assert.match(j.remoteId ?? '', /^202601-[0-9a-f]{16}$/);
    assert.equal(j.state, 'complete');
    assert.equal(j.successes, 10);
    assert.equal(j.submitAttempts, 1);
  });
});

// A list submitted in chunks runs to completion: per-number outcomes recorded (successes, number_exists,
// not reconcilable), pre-flight refuses an unknown resource and counts numbers held by any visible account as
// present (not 'available' ones, which Kazoo re-uses), retry of failed numbers, progress events.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import type { Core } from '../../../electron/core/index.ts';
import { ACME, ACME_RESOURCE, EXISTING, accountNumbers, addCluster, call, importList, numbers, openCore, runUntilIdle, tempDir } from './helpers.ts';

// Demo seed: in_service in Globex, 'aging' in the reseller, 'available' in the master.
const IN_GLOBEX = '+12125550150';
const AGING_IN_RESELLER = '+16465550199';
const AVAILABLE_IN_MASTER = '+15125550123';

for (const flavor of ['4.3', '5.0'] as const) {
  describe(`jobs to completion (${flavor})`, () => {
    let emu: EmulatorHandle;
    let core: Core;
    const tmp = tempDir('submit');

    before(async () => {
      emu = await startEmulator({ flavor, jobDelayMs: 2 });
      core = await openCore(tmp.dir);
      await addCluster(core, 'demo', emu);
    });
    after(async () => {
      await core.close();
      await emu.close();
      tmp.cleanup();
    });

    test('pre-flight refuses an unknown resource before anything is sent', async () => {
      await importList(core, 'pf', numbers(3));
      emu.clearRequestLog();
      const r = await core.dispatch('jobs.preflight', { list: 'pf', cluster: 'demo', account: ACME, resource: 'ffffffffffffffffffffffffffffffff' });
      assert.equal(r.ok, false);
      assert.match(!r.ok ? r.error.message : '', /does not exist.*local numbers/);
      assert.equal(emu.requestLog().filter((e) => e.method === 'PUT' && e.path.includes('/jobs')).length, 0);
    });

    test('chunks complete; successes and failures are recorded per number', async () => {
      const good = numbers(23, 3125550000, 2000);
      await importList(core, 'main', [...good, EXISTING, '12345', good[0]!]);
      const pf = await call(core, 'jobs.preflight', { list: 'main', cluster: 'demo', account: ACME, resource: ACME_RESOURCE, chunkSize: 10, skipPresent: false });
      assert.equal(pf.toSubmit, 24);
      assert.equal(pf.jobs, 3);
      assert.equal(pf.alreadyPresent, 1);
      assert.equal(pf.skippedInvalid, 1);
      assert.equal(pf.skippedDuplicates, 1);
      const progress: number[] = [];
      const off = core.events.subscribe((m) => {
        if (m.event === 'jobs.progress') progress.push((m.payload as { done: number }).done);
      });
      const sub = await call(core, 'jobs.submit', { list: 'main', cluster: 'demo', account: ACME, resource: ACME_RESOURCE, chunkSize: 10, skipPresent: false });
      assert.equal(sub.jobs.length, 3);
      assert.match(sub.jobs[0]!.name, /^Carrier Desk main 1\/3 \[cd-[0-9a-f]{16}\]$/);
      await runUntilIdle(core);
      off();
      const jobs = await call(core, 'jobs.list', { batch: sub.batch.id });
      assert.deepEqual(jobs.map((j) => j.state).sort(), ['complete', 'complete', 'complete']);
      const total = jobs.reduce((a, j) => ({ s: a.s + j.successes, f: a.f + j.failures }), { s: 0, f: 0 });
      assert.deepEqual(total, { s: 23, f: 1 });
      const withExisting = jobs.find((j) => j.failures === 1)!;
      const detail = await call(core, 'jobs.get', { job: withExisting.id, outcome: 'failed' });
      assert.equal(detail.numbers.rows[0]!.number, EXISTING);
      assert.equal(detail.numbers.rows[0]!.reason, 'number_exists');
      const ok = await call(core, 'jobs.get', { job: jobs[0]!.id, outcome: 'success', limit: 1 });
      assert.equal(ok.numbers.rows[0]!.state, 'reserved');
      assert.equal(ok.numbers.rows[0]!.carrierModule, 'local');
      assert.ok(progress.length > 0);
      const onCluster = await accountNumbers(emu, ACME);
      for (const n of good) assert.ok(onCluster[n], `${n} should be on the cluster`);
      const batch = (await call(core, 'jobs.batches', {})).find((b) => b.id === sub.batch.id)!;
      assert.equal(batch.succeeded, 23);
      assert.equal(batch.failed, 1);
      // number_exists is not retried unless asked
      const retry = await core.dispatch('jobs.retryFailed', { batch: sub.batch.id });
      assert.equal(retry.ok, false);
      const retried = await call(core, 'jobs.retryFailed', { batch: sub.batch.id, includeExisting: true });
      assert.equal(retried.length, 1);
      assert.deepEqual((await call(core, 'jobs.get', { job: retried[0]!.id })).numbers.rows.map((r) => r.number), [EXISTING]);
      await runUntilIdle(core);
      const series = await call(core, 'jobs.series', { job: jobs[0]!.id });
      assert.ok(series.points.length >= 2);
    });

    test('an unparsable number in a job is recorded as Kazoo reports it', async () => {
      // The list never sends invalid rows, so this drives a job whose number Kazoo cannot reconcile through retry-like input.
      const good = numbers(2, 3125550000, 3000);
      await importList(core, 'two', good);
      const sub = await call(core, 'jobs.submit', { list: 'two', cluster: 'demo', account: ACME, resource: ACME_RESOURCE });
      await runUntilIdle(core);
      const j = (await call(core, 'jobs.list', { batch: sub.batch.id }))[0]!;
      assert.equal(j.state, 'complete');
      assert.equal(j.successes, 2);
    });

    test('numbers held by other accounts count as present; available ones do not', async () => {
      const fresh = numbers(2, 3125550000, 7000);
      await importList(core, 'mixed', [...fresh, EXISTING, IN_GLOBEX, AGING_IN_RESELLER, AVAILABLE_IN_MASTER]);
      const pf = await call(core, 'jobs.preflight', { list: 'mixed', cluster: 'demo', account: ACME, resource: ACME_RESOURCE });
      assert.equal(pf.alreadyPresent, 3);
      assert.deepEqual([...pf.alreadyPresentSample].sort(), [IN_GLOBEX, EXISTING, AGING_IN_RESELLER].sort());
      assert.equal(pf.toSubmit, 3, 'skipping present numbers leaves the fresh ones and the available one');

      // What Kazoo then does agrees with the look-up: every number sent succeeds.
      const sub = await call(core, 'jobs.submit', { list: 'mixed', cluster: 'demo', account: ACME, resource: ACME_RESOURCE });
      await runUntilIdle(core);
      const jobs = await call(core, 'jobs.list', { batch: sub.batch.id });
      assert.deepEqual(
        jobs.reduce((a, j) => ({ s: a.s + j.successes, f: a.f + j.failures }), { s: 0, f: 0 }),
        { s: 3, f: 0 },
      );
    });
  });
}

// Pre-flight's "already on the cluster" look-up covers every account the login can see, because Kazoo refuses a
// number held by any account (number_exists), and leaves out numbers in state 'available', which Kazoo re-uses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import type { Core } from '../../../electron/core/index.ts';
import { ACME, ACME_RESOURCE, EXISTING, addCluster, call, importList, numbers, openCore, runUntilIdle, tempDir } from './helpers.ts';

// Demo seed: in_service in Globex, 'aging' in the reseller, 'available' in the master.
const IN_GLOBEX = '+12125550150';
const AGING_IN_RESELLER = '+16465550199';
const AVAILABLE_IN_MASTER = '+15125550123';

let emu: EmulatorHandle;
let core: Core;
const tmp = tempDir('present');

before(async () => {
  emu = await startEmulator({ flavor: '5.0', jobDelayMs: 1 });
  core = await openCore(tmp.dir);
  await addCluster(core, 'demo', emu);
});
after(async () => {
  await core.close();
  await emu.close();
  tmp.cleanup();
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

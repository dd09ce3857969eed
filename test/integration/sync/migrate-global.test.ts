// Migrating a global carrier lists the numbers that use it in every account the login can see (the master and its
// descendants), not only the login's own account; a number that cannot be read is reported, never dropped silently.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { demoSeed, startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import type { Core } from '../../../electron/core/index.ts';
import { GLOBEX, MASTER, addCluster, call, openCore, tempDir } from './helpers.ts';

const TELIA = 'f0000000000000000000000000000001';
const INITECH = 'c0000000000000000000000000000005';
const IN_GLOBEX = '+12125550150';
const IN_MASTER = '+15125550123';
const IN_INITECH = '+13125550177';

let src: EmulatorHandle;
let dst: EmulatorHandle;
let core: Core;
const tmp = tempDir('migrate-global');

before(async () => {
  // The demo seed with Telia Wholesale (global) tied to numbers in Globex, the master and Initech.
  const seed = demoSeed();
  for (const n of seed.numbers ?? []) if ([IN_GLOBEX, IN_MASTER, IN_INITECH].includes(n.number)) n.resource_id = TELIA;
  // Reads of Initech's numbers always fail: that number's use of the carrier cannot be known.
  [src, dst] = await Promise.all([
    startEmulator({ flavor: '5.0', seed, faults: { errorRate: 1, failPaths: `^GET /v2/accounts/${INITECH}/phone_numbers/` } }),
    startEmulator({ flavor: '4.3' }),
  ]);
  core = openCore(tmp.dir);
  await addCluster(core, 'src', src);
  await addCluster(core, 'dst', dst);
});
after(async () => {
  await core.close();
  await src.close();
  await dst.close();
  tmp.cleanup();
});

test('a global source: numbers of descendants are found, unreadable ones reported apart', async () => {
  const r = await call(core, 'migrate.run', { from: { cluster: 'src', scope: 'global', id: TELIA }, to: { cluster: 'dst', scope: 'global' }, dryRun: true });
  assert.equal(r.dryRun, true);
  assert.deepEqual(r.numbers, [IN_GLOBEX, IN_MASTER]);
  assert.deepEqual(r.unreadNumbers, [IN_INITECH]);
  // The destination already holds Telia under the same id: the migration updates it there, never creates a second.
  assert.notEqual(r.plan?.targets[0]?.action, 'create');
  assert.equal(r.plan?.targets[0]?.remoteId, TELIA);
});

test('an account source scans only that account', async () => {
  const r = await call(core, 'migrate.run', { from: { cluster: 'src', scope: GLOBEX, id: 'f1000000000000000000000000000003' }, to: { cluster: 'dst', scope: MASTER }, dryRun: true });
  assert.deepEqual(r.numbers, []);
  assert.equal(r.unreadNumbers, undefined);
});

// Integration: a carrier that already exists where a target would create one (issue 14 item 7). Both demo clusters
// hold "Telia Wholesale" (f000…01) and "Bandwidth US" (f000…02) globally. A draft made from 4.3's Telia and targeted
// at 5.0 binds to 5.0's Telia (same id) and plans an update, never a create; a carrier of the same name under
// another id holds the create back (blocked, with the carriers found) until the target is bound or a second carrier
// is confirmed; `targets add` does the same from a pulled snapshot and says so; a create queued while its cluster
// was offline looks before it is sent. The CLI prints the commands that settle it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import type { Core } from '../../../electron/core/index.ts';
import { addCluster, call, openCore, otherLogin, remoteDocs, runCli, tempDir, closedAfterAll } from './helpers.ts';

const TELIA = 'f0000000000000000000000000000001';
const BANDWIDTH = 'f0000000000000000000000000000002';
const { emus, cores, dirs } = closedAfterAll();

async function setup(prefix: string): Promise<{ core: Core; e4: EmulatorHandle; e5: EmulatorHandle; dir: string }> {
  const [e4, e5] = await Promise.all([startEmulator({ flavor: '4.3' }), startEmulator({ flavor: '5.0' })]);
  emus.push(e4!, e5!);
  const tmp = tempDir(prefix);
  dirs.push(tmp);
  const core = openCore(tmp.dir);
  cores.push(core);
  await addCluster(core, 'four', e4!);
  await addCluster(core, 'five', e5!);
  return { core, e4: e4!, e5: e5!, dir: tmp.dir };
}

const creates = (emu: EmulatorHandle) => emu.requestLog().filter((l) => l.method === 'PUT' && /\/resources$/.test(l.path)).length;
const named = async (emu: EmulatorHandle, name: string) => (await remoteDocs(emu, await otherLogin(emu), 'global')).filter((d: { name: string }) => d.name === name);

test('same id on the other cluster: the target binds to it and the plan is an update of it, never a create', async () => {
  const { core, e5 } = await setup('same-id');
  const draft = await call(core, 'drafts.create', { from: { kind: 'snapshot', cluster: 'four', scope: 'global', id: TELIA } });
  await call(core, 'drafts.edit', { draft: draft.id, set: [{ path: 'weight_cost', value: 21 }] });
  const added = await call(core, 'targets.add', { draft: draft.id, cluster: 'five', scope: 'global' });
  assert.equal(added.notice, undefined, 'nothing pulled from five yet: nothing to say at add time');
  const plan = await call(core, 'sync.plan', { draft: draft.id });
  const five = plan.targets.find((t) => t.clusterName === 'five')!;
  assert.equal(five.action, 'update');
  assert.equal(five.remoteId, TELIA);
  assert.ok(five.expectedRevision, 'the update is made against the revision read');
  assert.deepEqual(five.changes.map((c) => [c.path, c.after]), [['weight_cost', 21]]);
  const res = await call(core, 'sync.apply', { draft: draft.id });
  assert.equal(res.ok, true, JSON.stringify(res.targets));
  assert.equal(creates(e5), 0, 'nothing created on five');
  const telia = await named(e5, 'Telia Wholesale');
  assert.deepEqual(telia.map((d: { id: string; weight_cost: number }) => [d.id, d.weight_cost]), [[TELIA, 21]]);
});

test('same id in a pulled snapshot: targets add binds at once and says so', async () => {
  const { core } = await setup('add-bound');
  await call(core, 'pull.run', { cluster: 'five', scope: 'global' });
  const draft = await call(core, 'drafts.create', { from: { kind: 'snapshot', cluster: 'four', scope: 'global', id: TELIA } });
  const added = await call(core, 'targets.add', { draft: draft.id, cluster: 'five', scope: 'global' });
  assert.equal(added.notice?.kind, 'bound');
  assert.match(added.notice!.message, /five global already has this carrier \('Telia Wholesale', id f0{7}/);
  assert.equal(added.targets.find((t) => t.clusterName === 'five')!.remoteId, TELIA);
});

test('same name, other id: blocked with the carriers found; binding updates it, "create anyway" makes a second one', async () => {
  const { core, e5 } = await setup('same-name');
  const doc = { name: 'Bandwidth US', gateways: [{ server: 'sip.bandwidth.example' }], rules: ['^\\+1(\\d{10})$'] };
  await call(core, 'drafts.create', { from: { kind: 'json', doc } });
  await call(core, 'targets.add', { draft: 'Bandwidth US', cluster: 'five', scope: 'global' });
  const plan = await call(core, 'sync.plan', { draft: 'Bandwidth US' });
  const t = plan.targets[0]!;
  assert.equal(t.action, 'blocked');
  assert.equal(t.blockedReasons[0]!.code, 'exists_unbound');
  assert.match(t.blockedReasons[0]!.message, /five global already has a carrier of this name: 'Bandwidth US' \(id f0+2\).*crossbar-spec §1\.5/);
  assert.deepEqual(t.existing, [{ id: BANDWIDTH, name: 'Bandwidth US' }]);
  const refused = await call(core, 'sync.apply', { draft: 'Bandwidth US' });
  assert.equal(refused.ok, false);
  assert.equal(creates(e5), 0, 'a blocked create sends nothing');

  // Bind: the plan becomes an update of the carrier that is there.
  await call(core, 'targets.add', { draft: 'Bandwidth US', cluster: 'five', scope: 'global', resourceId: BANDWIDTH });
  const bound = (await call(core, 'sync.plan', { draft: 'Bandwidth US' })).targets[0]!;
  assert.equal(bound.action, 'update');
  assert.equal(bound.remoteId, BANDWIDTH);
  assert.equal((await call(core, 'sync.apply', { draft: 'Bandwidth US' })).ok, true);
  assert.equal((await named(e5, 'Bandwidth US')).length, 1);

  // A name that differs only in case and punctuation is the same name to Kazoo (pvt_alphanum_name): held back too;
  // confirming a second carrier lets the create through.
  await call(core, 'drafts.create', { from: { kind: 'json', doc: { ...doc, name: 'bandwidth-us' } } });
  await call(core, 'targets.add', { draft: 'bandwidth-us', cluster: 'five', scope: 'global' });
  const dup = (await call(core, 'sync.plan', { draft: 'bandwidth-us' })).targets[0]!;
  assert.equal(dup.action, 'blocked');
  assert.deepEqual(dup.existing, [{ id: BANDWIDTH, name: 'Bandwidth US', boundTo: 'Bandwidth US' }]);
  await call(core, 'targets.add', { draft: 'bandwidth-us', cluster: 'five', scope: 'global', createAnyway: true });
  const anyway = (await call(core, 'sync.plan', { draft: 'bandwidth-us' })).targets[0]!;
  assert.deepEqual([anyway.action, anyway.createAnyway], ['create', true]);
  assert.equal((await call(core, 'sync.apply', { draft: 'bandwidth-us' })).ok, true);
  assert.equal(creates(e5), 1);
  // Another draft's carrier is never bound to this one.
  const r = await core.dispatch('targets.add', { draft: 'bandwidth-us', cluster: 'five', scope: 'global', resourceId: BANDWIDTH });
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.error.message : '', /already the target of draft 'Bandwidth US'/);
});

test('a create queued while its cluster was offline looks first: same name there, nothing is created', async () => {
  const { core, e5 } = await setup('offline');
  await call(core, 'drafts.create', { from: { kind: 'json', doc: { name: 'Telia Wholesale', gateways: [{ server: 'sip.telia.example' }], rules: ['^\\+46'] } } });
  await call(core, 'targets.add', { draft: 'Telia Wholesale', cluster: 'five', scope: 'global' });
  await e5.goOffline();
  const queued = await call(core, 'sync.apply', {});
  assert.deepEqual(queued.targets.map((t) => t.outcome), ['queued']);
  await e5.goOnline();
  const drained = await call(core, 'outbox.drain', {});
  assert.deepEqual([drained.done, drained.failed], [0, 1]);
  assert.equal(creates(e5), 0, 'the look found Telia Wholesale: no PUT');
  const [row] = await call(core, 'outbox.list', {});
  assert.match(row!.reason ?? '', /five global already has a carrier of this name: 'Telia Wholesale' \(id f0+1\)/);
  // The next plan shows the choice.
  const t = (await call(core, 'sync.plan', {})).targets[0]!;
  assert.deepEqual([t.action, t.existing?.[0]?.id], ['blocked', TELIA]);
});

test('the CLI names the commands that settle a held-back create, at targets add and in the plan', { timeout: 300_000 }, async () => {
  const { core, dir } = await setup('cli');
  await call(core, 'pull.run', { cluster: 'five', scope: 'global' });
  await call(core, 'drafts.create', { from: { kind: 'json', doc: { name: 'Bandwidth US', gateways: [{ server: 'sip.bw.example' }], rules: ['^\\+1'] } } });
  await core.close();
  cores.pop();
  const add = await runCli(dir, ['targets', 'add', 'Bandwidth US', 'five', '--global']);
  assert.equal(add.code, 0, add.stderr);
  assert.match(add.stdout, /five global already has a carrier of this name: 'Bandwidth US' \(id f0+2\)/);
  assert.match(add.stdout, /update 'Bandwidth US' instead: {2}carrier-desk targets add "Bandwidth US" five --global --resource-id f0+2/);
  assert.match(add.stdout, /or create a second carrier: {2}carrier-desk targets add "Bandwidth US" five --global --create-anyway/);
  const plan = await runCli(dir, ['plan']);
  assert.equal(plan.code, 1, 'a blocked target');
  assert.match(plan.stdout, /x blocked {2}Bandwidth US → five global/);
  assert.match(plan.stdout, /--resource-id f0+2/);
  const bind = await runCli(dir, ['targets', 'add', 'Bandwidth US', 'five', '--global', '--resource-id', BANDWIDTH]);
  assert.equal(bind.code, 0, bind.stderr);
  assert.match((await runCli(dir, ['plan'])).stdout, /~ update {3}Bandwidth US → five global \(f0+2\)/);
});

// Target states through the core, from what is stored after each real step against an emulator: applied, changed
// after a save, queued while the cluster does not answer, refused when the outbox's If-Match meets a newer revision,
// drifted after a pull reads an out-of-band change, and applied again after a fresh plan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../../kazoo-emulator/index.ts';
import { addCluster, call, editRemote, openCore, otherLogin, ShiftClock, tempDir } from './helpers.ts';

test('a target\u2019s state follows every stored fact: save, queue, 412 refusal, drift, apply', async (t) => {
  const emu = await startEmulator({ flavor: '5.0' });
  const { dir, cleanup } = tempDir('state');
  const clock = new ShiftClock();
  const core = openCore(dir, clock);
  t.after(async () => (await core.close(), await emu.close(), cleanup()));
  await addCluster(core, 'prod', emu);
  const draft = await call(core, 'drafts.create', { name: 'State Carrier', from: { kind: 'json', doc: { name: 'State Carrier', gateways: [{ server: 'gw.state.example' }], rules: ['^\\+1(\\d{10})$'] } } });
  await call(core, 'targets.add', { draft: draft.id, cluster: 'prod', scope: 'global' });
  const state = async () => (await call(core, 'drafts.get', { draft: draft.id })).targets[0]!.state;

  assert.equal((await state()).label, 'not applied yet');
  assert.ok((await call(core, 'sync.apply', { draft: draft.id })).ok);
  assert.deepEqual([(await state()).kind, (await state()).label], ['in-sync', 'applied']);
  const id = (await call(core, 'drafts.get', { draft: draft.id })).targets[0]!.remoteId!;

  await call(core, 'drafts.edit', { draft: draft.id, set: [{ path: 'weight_cost', value: 20 }] });
  assert.equal((await state()).label, 'changed, not applied');

  // The cluster does not answer: the change waits in the outbox, and the target says so (not "failed").
  await emu.goOffline();
  const queuedApply = await call(core, 'sync.apply', { draft: draft.id });
  assert.equal(queuedApply.targets[0]!.outcome, 'queued');
  const queued = await state();
  assert.equal(queued.label, 'queued');
  assert.match(queued.detail ?? '', /did not answer/);

  // Back, but a colleague changed the carrier meanwhile: the queued update's If-Match is refused (412).
  await emu.goOnline();
  await editRemote(emu, await otherLogin(emu), 'global', id, (doc) => (doc.grace_period = 7));
  clock.offset += 60_000;
  const drained = await call(core, 'outbox.drain', {});
  assert.equal(drained.failed, 1);
  const refused = await state();
  assert.deepEqual([refused.kind, refused.label], ['refused', 'refused: changed on the cluster']);

  // A pull reads the new revision: the target also knows it drifted; a fresh plan and apply settle everything.
  await call(core, 'pull.run', { cluster: 'prod', scope: 'global' });
  assert.equal((await state()).drifted, true);
  const again = await call(core, 'sync.apply', { draft: draft.id });
  assert.equal(again.targets[0]!.outcome, 'done', JSON.stringify(again.targets[0]));
  assert.deepEqual([(await state()).kind, (await state()).label, (await state()).drifted], ['in-sync', 'applied', false]);

  // Changed on the cluster only: drifted once read.
  await editRemote(emu, await otherLogin(emu), 'global', id, (doc) => (doc.weight_cost = 55));
  assert.equal((await state()).label, 'applied', 'nothing read yet says otherwise');
  await call(core, 'pull.run', { cluster: 'prod', scope: 'global' });
  assert.deepEqual([(await state()).kind, (await state()).label], ['drifted', 'changed on the cluster']);
});

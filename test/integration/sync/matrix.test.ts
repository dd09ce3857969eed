// The Overview through the CLI (`matrix --refresh --json`) against two emulated clusters: every pulled carrier is
// listed (with or without a draft), Refresh reads the clusters again so an out-of-band change shows as drifted with
// its field changes, an unbound target meets a carrier of the same name as "exists, not bound" (never "missing"), and
// a cluster that cannot be read keeps its cells, marked as of when they were read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../../kazoo-emulator/index.ts';
import { runCliProcess } from '../../support/cli.ts';
import { addCluster, call, editRemote, openCore, otherLogin, tempDir } from './helpers.ts';
import type { MatrixView } from '../../../electron/shared/contract/sync.ts';

const TELIA = 'f0000000000000000000000000000001';
const BANDWIDTH = 'f0000000000000000000000000000002';
const EMERGENCY = 'f0000000000000000000000000000003';

test('matrix --refresh --json: every carrier, drift with its changes, "exists, not bound", unreadable clusters as of', async (t) => {
  const [e43, e50] = await Promise.all([startEmulator({ flavor: '4.3' }), startEmulator({ flavor: '5.0' })]);
  const { dir, cleanup } = tempDir('matrix');
  const core = openCore(dir);
  t.after(async () => (await core.close(), await Promise.all([e43.close(), e50.close()]), cleanup()));
  await addCluster(core, 'lab-43', e43);
  await addCluster(core, 'prod-50', e50);
  await call(core, 'pull.run', { cluster: 'lab-43', scope: 'global' });
  await call(core, 'pull.run', { cluster: 'prod-50', scope: 'global' });
  // A draft bound to lab-43's Telia Wholesale; a new draft named like a carrier prod-50 has, targeted there unbound.
  const draft = await call(core, 'drafts.create', { from: { kind: 'snapshot', cluster: 'lab-43', scope: 'global', id: TELIA } });
  const twin = await call(core, 'drafts.create', { from: { kind: 'json', doc: { name: 'Bandwidth US', gateways: [{ server: 'sbc.other.example', enabled: true }], rules: ['^\\+1\\d{10}$'] } } });
  await call(core, 'targets.add', { draft: twin.id, cluster: 'prod-50', scope: 'global' });
  await core.close();

  const matrix = async (...args: string[]) => {
    const r = await runCliProcess(['--data-dir', dir, '--json', 'matrix', ...args]);
    return { code: r.code, view: JSON.parse(r.out) as MatrixView, err: r.err };
  };
  const cell = (v: MatrixView, row: string, cluster: string) => {
    const col = v.columns.find((c) => c.clusterName === cluster && c.scope === 'global')!;
    return v.rows.find((r) => r.key === row)!.cells[col.key]!;
  };
  const draftRow = `draft:${draft.id}`;
  const states = (v: MatrixView, row: string) => ['lab-43', 'prod-50'].map((c) => cell(v, row, c).state);

  let { code, view } = await matrix();
  assert.equal(code, 0);
  assert.deepEqual([cell(view, draftRow, 'lab-43').state, cell(view, draftRow, 'lab-43').label], ['in-sync', 'in sync']);
  assert.equal(cell(view, draftRow, 'prod-50').state, 'untargeted');
  // A target never applied, where a carrier of the same name is: "exists, not bound" with that carrier, not "missing".
  const unbound = cell(view, `draft:${twin.id}`, 'prod-50');
  assert.deepEqual([unbound.state, unbound.label, unbound.resourceId], ['exists-unbound', 'exists, not bound', BANDWIDTH]);
  assert.match(unbound.detail ?? '', /the same name \(Bandwidth US, id f0{30}2\)/);
  // Every carrier of the pulled clusters, one row per carrier; where a draft stands for it, the cell points there.
  assert.deepEqual(states(view, `resource:${EMERGENCY}`), ['no-draft', 'no-draft']);
  assert.equal(view.rows.find((r) => r.key === `resource:${EMERGENCY}`)!.draftId, null);
  assert.deepEqual(states(view, `resource:${TELIA}`), ['in-draft', 'no-draft']);
  assert.deepEqual(states(view, `resource:${BANDWIDTH}`), ['no-draft', 'in-draft']);
  assert.match(cell(view, `resource:${TELIA}`, 'lab-43').detail ?? '', /the target of the draft Telia Wholesale/);

  // Someone changes Telia Wholesale on lab-43. Without a refresh nothing stored says so; Refresh reads it.
  await editRemote(e43, await otherLogin(e43), 'global', TELIA, (doc) => (doc.weight_cost = 77));
  ({ view } = await matrix());
  assert.equal(cell(view, draftRow, 'lab-43').state, 'in-sync');
  ({ code, view } = await matrix('--refresh'));
  assert.equal(code, 0);
  assert.deepEqual(view.refresh!.clusters.map((c) => [c.clusterName, c.ok]).sort(), [['lab-43', true], ['prod-50', true]]);
  const drifted = cell(view, draftRow, 'lab-43');
  assert.deepEqual([drifted.state, drifted.label], ['drifted', 'changed on the cluster']);
  assert.deepEqual(drifted.changes, [{ path: 'weight_cost', kind: 'changed', before: 20, after: 77 }]);

  // prod-50 stops answering: the refresh says so (exit 1) and its cells keep their state, marked as of their read.
  await e50.goOffline();
  const offline = await matrix('--refresh');
  assert.equal(offline.code, 1);
  const unread = offline.view.refresh!.clusters.find((c) => c.clusterName === 'prod-50')!;
  assert.equal(unread.ok, false);
  assert.match(unread.error!.message, /reach|refused|connect/i);
  const staleCell = cell(offline.view, `resource:${EMERGENCY}`, 'prod-50');
  assert.deepEqual([staleCell.state, staleCell.stale], ['no-draft', true]);
  assert.ok(staleCell.asOf! > 0);
  assert.equal(offline.view.columns.find((c) => c.clusterName === 'prod-50')!.unreadable, 'unreachable');
  assert.equal(cell(offline.view, draftRow, 'lab-43').state, 'drifted', 'the readable cluster is read as before');

  // The text form says the same.
  const text = await runCliProcess(['--data-dir', dir, 'matrix']);
  assert.match(text.out, /Telia Wholesale\s+changed on the cluster\s+not targeted\n/);
  assert.match(text.out, /Emergency 911 Provider \(no draft\)\s+no draft\s+no draft\*/);
  assert.match(text.out, /~ weight_cost: 20 → 77/);
  assert.match(text.out, /\* as of the last read of a cluster that cannot be read now: prod-50\/global as of \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  assert.match(text.out, /Bind it: carrier-desk targets add "Bandwidth US" prod-50 --global --resource-id f0{30}2 /);
});

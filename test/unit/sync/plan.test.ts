// Unit tests of the pure plan: diff, three-way merge, conflicts, defaults (noop after create), deletes, blocked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { contentHashOf, plan, type PlanTargetInput, type RemoteState } from '../../../electron/core/sync/plan.ts';
import { diffDocs, threeWayMerge } from '../../../electron/core/drafts/diff.ts';
import { applyDefaults, normalizeResource, type SchemaSet } from '../../../electron/core/drafts/defaults.ts';
import { canonicalJson, hashDoc, publicFields } from '../../../electron/core/drafts/canonical.ts';

function schemas(): SchemaSet {
  const dir = new URL('../../../electron/core/kazoo/builtin-schemas/5.0/', import.meta.url);
  const out: Record<string, Record<string, unknown>> = {};
  if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.endsWith('.json')) out[f.replace(/\.json$/, '')] = JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
  return out;
}
const SCHEMAS = schemas();
const NONE: SchemaSet = {};

function input(over: Partial<PlanTargetInput>): PlanTargetInput {
  const t: Omit<PlanTargetInput, 'desiredHash'> = {
    targetId: 't1', draftId: 'd1', draftName: 'Carrier A', clusterId: 'c1', clusterName: 'prod', scope: 'global',
    desired: { name: 'A', gateways: [{ server: 'a.example' }], rules: ['^\\+1(\\d{10})$'] },
    remoteId: null, baseRevision: null, baseRemote: null, baseMine: null, remote: { state: 'absent' },
    errors: [], warnings: [], superDuper: true, schemas: NONE, existing: [], createAnyway: false, ...over,
  };
  // As plan-builder passes it: the hash of the draft's document.
  return { ...t, desiredHash: over.desiredHash !== undefined ? over.desiredHash : t.desired ? hashDoc(t.desired) : null };
}
const found = (doc: Record<string, unknown>, revision: string): RemoteState => ({ state: 'found', doc, revision });

test('canonical JSON sorts keys at every depth and hashes stably', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
  assert.equal(hashDoc({ a: 1, b: 2 }), hashDoc({ b: 2, a: 1 }));
});

test('diff goes down into gateways and reports added/removed/changed with paths', () => {
  const before = { name: 'A', gateways: [{ server: 'a', port: 5060 }], flags: ['x'] };
  const after = { name: 'A', gateways: [{ server: 'b', port: 5060 }, { server: 'c' }], emergency: true };
  assert.deepEqual(diffDocs(before, after), [
    { path: 'emergency', kind: 'added', after: true },
    { path: 'flags', kind: 'removed', before: ['x'] },
    { path: 'gateways.0.server', kind: 'changed', before: 'a', after: 'b', identity: 'gateway b:5060' },
    { path: 'gateways.1', kind: 'added', after: { server: 'c' }, identity: 'gateway c:5060' },
  ]);
});

test('three-way merge: different fields merge, same field differently is a conflict, same change is not', () => {
  const base = { name: 'A', weight_cost: 50, gateways: [{ server: 'a', port: 5060 }] };
  const mine = { name: 'A2', weight_cost: 50, gateways: [{ server: 'a', port: 5070 }] };
  const theirs = { name: 'A', weight_cost: 10, gateways: [{ server: 'b', port: 5060 }] };
  const m = threeWayMerge(base, mine, theirs);
  assert.deepEqual(m.conflicts, []);
  assert.deepEqual(m.merged, { name: 'A2', weight_cost: 10, gateways: [{ server: 'b', port: 5070 }] });
  assert.deepEqual(m.fromTheirs.sort(), ['gateways.0.server', 'weight_cost']);
  const c = threeWayMerge(base, { ...base, weight_cost: 20 }, { ...base, weight_cost: 30 });
  assert.deepEqual(c.conflicts, [{ path: 'weight_cost', base: 50, mine: 20, theirs: 30 }]);
  assert.deepEqual(threeWayMerge(base, { ...base, weight_cost: 20 }, { ...base, weight_cost: 20 }).conflicts, []);
  // a key removed on one side and untouched on the other is removed
  assert.deepEqual(threeWayMerge({ a: 1, b: 2 }, { a: 1 }, { a: 1, b: 2, c: 3 }).merged, { a: 1, c: 3 });
});

test('create when nothing is on the cluster; the content hash covers defaults', { skip: !SCHEMAS.resources && 'builtin schemas absent' }, () => {
  const p = plan([input({ schemas: SCHEMAS })]);
  const t = p.targets[0]!;
  assert.equal(t.action, 'create');
  assert.equal(t.send!.weight_cost, 50, 'defaults are filled into what is sent');
  assert.equal((t.send!.gateways as { port: number }[])[0]!.port, 5060);
  assert.equal(t.contentHash, contentHashOf(hashDoc(t.input.desired), SCHEMAS));
  assert.deepEqual(p.summary, { create: 1, update: 0, delete: 0, noop: 0, conflict: 0, blocked: 0 });
});

test('a freshly created resource (server filled defaults and an id) plans as noop, and rebases', { skip: !SCHEMAS.resources && 'builtin schemas absent' }, () => {
  const desired = { name: 'A', gateways: [{ server: 'a.example' }], rules: ['^1$'] };
  const stored = {
    id: 'r1', name: 'A', gateways: [{ server: 'a.example', port: 5060, enabled: true, invite_format: 'route', endpoint_type: 'sip', channel_selection: 'ascending', force_port: false, skype_rr: true }],
    rules: ['^1$'], rules_test: [], flags: [], enabled: true, emergency: false, weight_cost: '50', grace_period: 5, from_account_realm: false,
  };
  const t = plan([input({ desired, schemas: SCHEMAS, remoteId: 'r1', remote: found(stored, '1-a') })]).targets[0]!;
  assert.equal(t.action, 'noop');
  assert.equal(t.rebase, true);
  assert.equal(t.drifted, false);
});

test('update: field diff against the fresh remote and If-Match on its revision', () => {
  const base = { name: 'A', gateways: [{ server: 'a' }] };
  const t = plan([input({ desired: { name: 'A', gateways: [{ server: 'b' }] }, remoteId: 'r1', baseRevision: '1-a', baseRemote: base, baseMine: base, remote: found({ ...base, id: 'r1' }, '1-a') })]).targets[0]!;
  assert.equal(t.action, 'update');
  assert.equal(t.expectedRevision, '1-a');
  assert.deepEqual(t.changes, [{ path: 'gateways.0.server', kind: 'changed', before: 'a', after: 'b', identity: 'gateway b:5060' }]);
  assert.deepEqual(t.send, { name: 'A', gateways: [{ server: 'b' }] });
});

test('the content hash names what is sent: equal hashes, equal documents; a changed draft, schema set or merge, another hash', { skip: !SCHEMAS.resources && 'builtin schemas absent' }, () => {
  const draft = { name: 'A', gateways: [{ server: 'a.example' }], rules: ['^1$'] };
  // The same set with another default: the same draft fills to another document.
  const otherDefaults: SchemaSet = { ...SCHEMAS, resources: { ...SCHEMAS.resources!, properties: { ...(SCHEMAS.resources!.properties as object), weight_cost: { type: 'integer', default: 70 } } } };
  const base = { name: 'A', weight_cost: 50, gateways: [{ server: 'x.example' }] };
  const cases = [
    input({ desired: draft, schemas: SCHEMAS }),
    input({ targetId: 't2', desired: { rules: ['^1$'], gateways: [{ server: 'a.example' }], name: 'A' }, schemas: SCHEMAS }),
    input({ targetId: 't3', desired: draft, schemas: otherDefaults }),
    input({ targetId: 't4', desired: { ...draft, name: 'B' }, schemas: SCHEMAS }),
    input({ targetId: 't5', desired: draft, schemas: NONE }),
    // An update whose merge takes the cluster's weight_cost: hashed from the merged document itself.
    input({ targetId: 't6', desired: { ...base, gateways: [{ server: 'b.example' }] }, remoteId: 'r1', baseRevision: '1-a', baseRemote: base, baseMine: base, remote: found({ ...base, weight_cost: 10 }, '2-b') }),
    input({ targetId: 't7', desired: { ...base, gateways: [{ server: 'b.example' }] }, remoteId: 'r1', baseRevision: '1-a', baseRemote: base, baseMine: base, remote: found({ ...base, weight_cost: 20 }, '2-c') }),
  ];
  const p = plan(cases).targets;
  assert.deepEqual(p.map((t) => t.action), ['create', 'create', 'create', 'create', 'create', 'update', 'update']);
  for (const a of p) {
    for (const b of p) {
      if (a.contentHash === b.contentHash) assert.equal(canonicalJson(a.send), canonicalJson(b.send), `${a.input.targetId} and ${b.input.targetId} share a hash`);
    }
  }
  const [same, reordered, defaults, renamed, noSchemas, merged, mergedOther] = p as [typeof p[0], typeof p[0], typeof p[0], typeof p[0], typeof p[0], typeof p[0], typeof p[0]];
  assert.equal(reordered.contentHash, same.contentHash, 'the same draft with its keys in another order');
  assert.notEqual(defaults.send!.weight_cost, same.send!.weight_cost);
  assert.notEqual(defaults.contentHash, same.contentHash, 'another schema set, another document');
  assert.notEqual(renamed.contentHash, same.contentHash);
  assert.notEqual(noSchemas.contentHash, same.contentHash);
  assert.equal(merged.contentHash, hashDoc(merged.send));
  assert.notEqual(mergedOther.contentHash, merged.contentHash);
});

test('out-of-band change to another field merges automatically and is shown as merged', () => {
  const base = { name: 'A', weight_cost: 50, gateways: [{ server: 'a' }] };
  const theirs = { ...base, weight_cost: 10 };
  const t = plan([input({ desired: { ...base, gateways: [{ server: 'b' }] }, remoteId: 'r1', baseRevision: '1-a', baseRemote: base, baseMine: base, remote: found(theirs, '2-b') })]).targets[0]!;
  assert.equal(t.action, 'update');
  assert.deepEqual(t.merged, ['weight_cost']);
  assert.equal(t.expectedRevision, '2-b');
  assert.deepEqual(t.send, { name: 'A', weight_cost: 10, gateways: [{ server: 'b' }] });
  assert.equal(t.drifted, true);
});

test('same field changed on both sides is a conflict with base/mine/theirs', () => {
  const base = { name: 'A', weight_cost: 50, gateways: [] };
  const t = plan([input({ desired: { ...base, weight_cost: 20 }, remoteId: 'r1', baseRevision: '1-a', baseRemote: base, baseMine: base, remote: found({ ...base, weight_cost: 30 }, '2-b') })]).targets[0]!;
  assert.equal(t.action, 'conflict');
  assert.deepEqual(t.conflicts, [{ path: 'weight_cost', base: 50, mine: 20, theirs: 30 }]);
});

test('remote changed, draft not: noop (drifted) that keeps the remote change', () => {
  const base = { name: 'A', weight_cost: 50, gateways: [] };
  const t = plan([input({ desired: base, remoteId: 'r1', baseRevision: '1-a', baseRemote: base, baseMine: base, remote: found({ ...base, weight_cost: 30 }, '2-b') })]).targets[0]!;
  assert.equal(t.action, 'noop');
  assert.equal(t.drifted, true);
  assert.equal(t.rebase, true);
});

test('after a drifted rebase (base remote moved, base mine kept) an edit sends mine on top of theirs', () => {
  const oldBase = { name: 'A', weight_cost: 50, gateways: [] };
  const theirs = { ...oldBase, weight_cost: 30 };
  const t = plan([input({ desired: { ...oldBase, name: 'B' }, remoteId: 'r1', baseRevision: '2-b', baseRemote: theirs, baseMine: oldBase, remote: found(theirs, '2-b') })]).targets[0]!;
  assert.equal(t.action, 'update');
  assert.deepEqual(t.send, { name: 'B', weight_cost: 30, gateways: [] });
});

test('create confirmed lost: remote id known, nothing confirmed, the resource exists → noop (no second create)', () => {
  const d = { name: 'A', gateways: [] };
  const t = plan([input({ desired: d, remoteId: 'r1', remote: found({ ...d, id: 'r1' }, '1-x') })]).targets[0]!;
  assert.equal(t.action, 'noop');
  const again = plan([input({ desired: d, remoteId: 'r1', remote: { state: 'absent' } })]).targets[0]!;
  assert.equal(again.action, 'create', 'not there: create again with the same id');
});

test('delete: with If-Match; already gone is noop; changed remotely is a conflict', () => {
  const base = { name: 'A', gateways: [] };
  const del = plan([input({ desired: null, remoteId: 'r1', baseRevision: '1-a', baseRemote: base, baseMine: base, remote: found(base, '1-a') })]).targets[0]!;
  assert.equal(del.action, 'delete');
  assert.equal(del.expectedRevision, '1-a');
  assert.equal(plan([input({ desired: null, remoteId: 'r1', remote: { state: 'absent' } })]).targets[0]!.action, 'noop');
  assert.equal(plan([input({ desired: null, remoteId: 'r1', baseRevision: '1-a', baseRemote: base, remote: found({ ...base, weight_cost: 1 }, '2-b') })]).targets[0]!.action, 'conflict');
});

test('deleted on the cluster while the draft still has it: conflict, not a silent re-create', () => {
  const base = { name: 'A', gateways: [] };
  const t = plan([input({ desired: base, remoteId: 'r1', baseRevision: '1-a', baseRemote: base, baseMine: base, remote: { state: 'absent' } })]).targets[0]!;
  assert.equal(t.action, 'conflict');
  assert.equal(t.conflicts[0]!.path, '');
});

test('blocked: validation errors, global without super-duper, unreachable (deferred to the outbox)', () => {
  const v = plan([input({ errors: [{ path: 'gateways.0.server', rule: 'minLength', message: 'too short', severity: 'error' }] })]).targets[0]!;
  assert.equal(v.action, 'blocked');
  assert.equal(v.blockedReasons[0]!.code, 'validation');
  assert.equal(v.deferred, undefined);
  const sd = plan([input({ superDuper: false })]).targets[0]!;
  assert.equal(sd.blockedReasons[0]!.code, 'not_super_duper');
  const base = { name: 'A', gateways: [] };
  const off = plan([input({ desired: { ...base, name: 'B' }, remoteId: 'r1', baseRevision: '1-a', baseRemote: base, baseMine: base, remote: { state: 'unknown', error: { code: 'unreachable', message: 'refused' } } })]).targets[0]!;
  assert.equal(off.action, 'blocked');
  assert.equal(off.deferred, 'update');
  assert.equal(off.expectedRevision, '1-a');
  const offNoop = plan([input({ desired: base, remoteId: 'r1', baseRevision: '1-a', baseRemote: base, baseMine: base, remote: { state: 'unknown', error: { code: 'unreachable', message: 'refused' } } })]).targets[0]!;
  assert.equal(offNoop.action, 'noop');
});

test('defaults: filled from the schema, nested ones too; lenient types coerced', { skip: !SCHEMAS.resources && 'builtin schemas absent' }, () => {
  const d = applyDefaults({ name: 'A', gateways: [{ server: 's', port: '5070' }], weight_cost: '40' }, SCHEMAS);
  assert.equal(d.weight_cost, 40);
  const g = (d.gateways as Record<string, unknown>[])[0]!;
  assert.equal(g.port, 5070);
  assert.equal(g.invite_format, 'route');
  assert.equal(d.enabled, true);
});

test('1,000 resources × 3 clusters plan fast (mostly in sync, some edits)', { skip: !SCHEMAS.resources && 'builtin schemas absent' }, () => {
  const inputs: PlanTargetInput[] = [];
  const sets = [{ ...SCHEMAS }, { ...SCHEMAS }, { ...SCHEMAS }];
  for (let i = 0; i < 1000; i++) {
    const doc = { name: `Carrier ${i}`, gateways: [{ server: `gw${i}.example`, username: 'u', password: 'p' }, { server: `gw${i}b.example` }], rules: ['^\\+1(\\d{10})$'], weight_cost: 50 };
    const desired = i % 10 === 0 ? { ...doc, weight_cost: 40 } : doc;
    for (let c = 0; c < 3; c++) {
      const stored = applyDefaults({ ...doc, id: `r${i}` }, sets[c]!);
      inputs.push(input({ targetId: `t${i}-${c}`, desired, remoteId: `r${i}`, baseRevision: '1-a', baseRemote: stored, baseMine: doc, remote: found(stored, '1-a'), schemas: sets[c]! }));
    }
  }
  const started = process.hrtime.bigint();
  const p = plan(inputs);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  assert.equal(p.summary.update, 300);
  assert.equal(p.summary.noop, 2700);
  // Reported, not asserted (wall-clock): the benchmark owns the budget.
  process.stdout.write(`# plan 3000 targets: ${ms.toFixed(1)} ms\n`);
});

test('the plan\'s shortcuts give what the full path gives: normalizing in one walk, diffing only differing keys', { skip: !SCHEMAS.resources && 'builtin schemas absent' }, () => {
  const stored = { id: 'r1', _rev: '2-x', pvt_type: 'resource', name: 'A', gateways: [{ server: 'a', port: '5070' }], weight_cost: '10' };
  assert.deepEqual(normalizeResource(stored, SCHEMAS), applyDefaults(publicFields(stored), SCHEMAS));
  // A member present but undefined counts as absent, on either side; nested changes keep sorted paths.
  const before = { b: { y: 1, x: [1, 2] }, a: undefined, c: 1, z: { k: 1 } };
  const after = { c: 1, a: 2, b: { x: [1, 3], y: 1 }, d: undefined, z: { k: 1 } };
  assert.deepEqual(diffDocs(before, after), [
    { path: 'a', kind: 'added', after: 2 },
    { path: 'b.x.1', kind: 'changed', before: 2, after: 3 },
  ]);
});

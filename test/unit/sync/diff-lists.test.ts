// Unit: diffs and three-way merges of lists of objects by identity (issue 14 item 8). Moving gateway 3 to the top is a
// move, not "gateways.0.password removed"; an added or removed gateway is one entry; edits are listed under the
// gateway's identity; a move on one side and an edit on the other merge; real clashes are conflicts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffDocs, threeWayMerge } from '../../../electron/core/drafts/diff.ts';
import { align, moved } from '../../../electron/core/drafts/array-align.ts';
import { maskChanges } from '../../../electron/core/sync/executor.ts';

const gw = (n: number, extra: Record<string, unknown> = {}) => ({ server: `sip${n}.example`, port: 5060, username: `u${n}`, password: `p${n}`, realm: `r${n}.example`, ...extra });
const doc = (gateways: unknown[], extra: Record<string, unknown> = {}) => ({ name: 'C', gateways, ...extra });

test('moving gateway 4 to the top is one move, nothing removed', () => {
  const before = doc([gw(1), gw(2), gw(3), gw(4)]);
  const after = doc([gw(4), gw(1), gw(2), gw(3)]);
  assert.deepEqual(diffDocs(before, after), [{ path: 'gateways.0', kind: 'moved', from: 'gateways.3', identity: 'gateway sip4.example:5060' }]);
});

test('a removed gateway is one entry holding the whole gateway; the ones after it did not move', () => {
  const changes = diffDocs(doc([gw(1), gw(2), gw(3)]), doc([gw(1), gw(3)]));
  assert.deepEqual(changes, [{ path: 'gateways.1', kind: 'removed', before: gw(2), identity: 'gateway sip2.example:5060' }]);
  // Secrets inside it stay masked wherever the change is shown.
  assert.deepEqual((maskChanges(changes)[0]!.before as { password: string }).password, '***');
});

test('an added gateway is one entry; a moved and edited one shows the move and its field changes under its identity', () => {
  const changes = diffDocs(doc([gw(1), gw(2)]), doc([gw(2, { realm: 'new.example' }), gw(1), gw(3)]));
  assert.deepEqual(changes, [
    { path: 'gateways.0', kind: 'moved', from: 'gateways.1', identity: 'gateway sip2.example:5060' },
    { path: 'gateways.0.realm', kind: 'changed', before: 'r2.example', after: 'new.example', identity: 'gateway sip2.example:5060' },
    { path: 'gateways.2', kind: 'added', after: gw(3), identity: 'gateway sip3.example:5060' },
  ]);
});

test('a port missing on one side is the schema default 5060 (crossbar-spec §2.2): the same gateway', () => {
  const { port: _port, ...noPort } = gw(1);
  assert.deepEqual(diffDocs(doc([noPort, gw(2)]), doc([gw(2), gw(1)])), [
    { path: 'gateways.0', kind: 'moved', from: 'gateways.1', identity: 'gateway sip2.example:5060' },
    { path: 'gateways.1.port', kind: 'added', after: 5060, identity: 'gateway sip1.example:5060' },
  ]);
});

test('edits in place read as field changes; a changed server at the same position is that gateway edited', () => {
  assert.deepEqual(diffDocs(doc([gw(1), gw(2)]), doc([gw(1), gw(2, { password: 'new' })])), [
    { path: 'gateways.1.password', kind: 'changed', before: 'p2', after: 'new', identity: 'gateway sip2.example:5060' },
  ]);
  assert.deepEqual(diffDocs(doc([gw(1), gw(2)]), doc([gw(1), gw(2, { server: 'sip9.example' })])), [
    { path: 'gateways.1.server', kind: 'changed', before: 'sip2.example', after: 'sip9.example', identity: 'gateway sip9.example:5060' },
  ]);
});

test('other lists of objects (formatters) are matched by content: a reorder is a move', () => {
  const f = (r: string) => ({ regex: r, prefix: '+1', direction: 'outbound' });
  const before = { formatters: { to: [f('^1'), f('^2'), f('^3')] } };
  const after = { formatters: { to: [f('^3'), f('^1'), f('^2')] } };
  assert.deepEqual(diffDocs(before, after), [{ path: 'formatters.to.0', kind: 'moved', from: 'formatters.to.2' }]);
  // A formatter edited where it stands is a field change.
  assert.deepEqual(diffDocs(before, { formatters: { to: [f('^1'), { ...f('^2'), prefix: '+44' }, f('^3')] } }), [
    { path: 'formatters.to.1.prefix', kind: 'changed', before: '+1', after: '+44' },
  ]);
});

test('moved: only the elements out of the longest kept order', () => {
  assert.deepEqual([...moved(align([1, 2, 3, 4].map((n) => gw(n)), [4, 1, 2, 3].map((n) => gw(n))))], [0]);
  assert.deepEqual([...moved(align([1, 2, 3].map((n) => gw(n)), [1, 3].map((n) => gw(n))))], []);
  // Reversed: all but one moved (which one stays is a matter of taste).
  assert.equal(moved(align([1, 2, 3].map((n) => gw(n)), [3, 2, 1].map((n) => gw(n)))).size, 2);
});

test('merge: my reorder and their edit of a moved gateway both survive, without conflict', () => {
  const base = doc([gw(1), gw(2), gw(3)]);
  const mine = doc([gw(3), gw(1), gw(2)]);
  const theirs = doc([gw(1), gw(2, { password: 'rotated' }), gw(3, { realm: 'moved.example' })]);
  const m = threeWayMerge(base, mine, theirs);
  assert.deepEqual(m.conflicts, []);
  assert.deepEqual(m.merged.gateways, [gw(3, { realm: 'moved.example' }), gw(1), gw(2, { password: 'rotated' })]);
  assert.deepEqual(m.fromTheirs.sort(), ['gateways.0.realm', 'gateways.2.password']);
});

test('merge: their reorder and my edit both survive; the order is theirs', () => {
  const base = doc([gw(1), gw(2), gw(3)]);
  const mine = doc([gw(1, { realm: 'mine.example' }), gw(2), gw(3)]);
  const theirs = doc([gw(2), gw(3), gw(1)]);
  const m = threeWayMerge(base, mine, theirs);
  assert.deepEqual(m.conflicts, []);
  assert.deepEqual(m.merged.gateways, [gw(2), gw(3), gw(1, { realm: 'mine.example' })]);
});

test('merge: their added gateway is kept beside my reorder, after the gateway it follows there', () => {
  const base = doc([gw(1), gw(2)]);
  const m = threeWayMerge(base, doc([gw(2), gw(1)]), doc([gw(1), gw(5), gw(2)]));
  assert.deepEqual(m.conflicts, []);
  assert.deepEqual(m.merged.gateways, [gw(2), gw(1), gw(5)]);
});

test('merge: the same edit on both sides of a moved gateway is no conflict; a different one is, at that field', () => {
  const base = doc([gw(1), gw(2)]);
  const same = threeWayMerge(base, doc([gw(2, { realm: 'x' }), gw(1)]), doc([gw(1), gw(2, { realm: 'x' })]));
  assert.deepEqual([same.conflicts, same.merged.gateways], [[], [gw(2, { realm: 'x' }), gw(1)]]);
  const clash = threeWayMerge(base, doc([gw(2, { realm: 'x' }), gw(1)]), doc([gw(1), gw(2, { realm: 'y' })]));
  assert.deepEqual(clash.conflicts, [{ path: 'gateways.0.realm', base: 'r2.example', mine: 'x', theirs: 'y' }]);
});

test('merge: a gateway I removed and they edited is a conflict; both reordering differently is a conflict on the list', () => {
  const base = doc([gw(1), gw(2), gw(3)]);
  const removed = threeWayMerge(base, doc([gw(1), gw(3)]), doc([gw(1), gw(2, { realm: 'theirs' }), gw(3)]));
  assert.equal(removed.conflicts.length, 1);
  assert.equal(removed.conflicts[0]!.path, 'gateways.1');
  assert.equal(removed.conflicts[0]!.mine, undefined);
  // Removed on my side, untouched on theirs: simply removed.
  assert.deepEqual(threeWayMerge(base, doc([gw(1), gw(3)]), doc([gw(1), gw(2), gw(3)], { weight_cost: 9 })).merged.gateways, [gw(1), gw(3)]);
  const orders = threeWayMerge(base, doc([gw(3), gw(1), gw(2)]), doc([gw(2), gw(1), gw(3)]));
  assert.deepEqual(orders.conflicts.map((c) => c.path), ['gateways']);
});

test('the CLI plan text shows a move as a move and a new gateway as a field tree, its password masked', async () => {
  const { planText } = await import('../../../electron/cli/commands/sync.ts');
  const changes = maskChanges(diffDocs(doc([gw(1), gw(2), gw(3)]), doc([gw(3), gw(1), gw(2), gw(4)])));
  const target = {
    targetId: 't', draftId: 'd', draftName: 'C', clusterId: 'c', clusterName: 'five', scope: 'global', remoteId: 'r1', action: 'update' as const,
    blockedReasons: [], changes, merged: [], conflicts: [], expectedRevision: '1-a', contentHash: 'h', errors: [], warnings: [], drifted: false,
  };
  const text = planText({ createdAt: 0, targets: [target], summary: { create: 0, update: 1, delete: 0, noop: 0, conflict: 0, blocked: 0 }, saved: { format: 'carrier-desk-plan/2', createdAt: 0, targets: [] } });
  assert.match(text, /↕ gateways\.0 \(gateway sip3\.example:5060\): moved from position 3 to 1/);
  assert.match(text, /\+ gateways\.3 \(gateway sip4\.example:5060\):\n {8}password: "\*\*\*"\n {8}port: 5060\n {8}realm: "r4\.example"\n {8}server: "sip4\.example"/);
  assert.doesNotMatch(text, /"p4"|removed/);
  // A target whose cluster did not answer is counted as queued on apply, not only as blocked.
  const offline = { ...target, targetId: 't2', clusterName: 'four', action: 'blocked' as const, deferred: 'update' as const, blockedReasons: [{ code: 'unreachable', message: 'Cannot reach four.' }] };
  const both = planText({ createdAt: 0, targets: [target, offline], summary: { create: 0, update: 1, delete: 0, noop: 0, conflict: 0, blocked: 1 }, saved: { format: 'carrier-desk-plan/2', createdAt: 0, targets: [] } });
  assert.match(both, /1 blocked \(1 of them queued on apply, sent when their cluster answers\)\./);
  assert.match(both, /will be queued: update/);
});

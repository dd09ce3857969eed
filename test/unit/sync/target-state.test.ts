// A target's state from stored facts: every rule of sync/target-state.ts, in the order it applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { targetState, type TargetFacts } from '../../../electron/core/sync/target-state.ts';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const synced: TargetFacts = {
  deleting: false,
  draftHash: 'h2',
  syncedHash: 'h2',
  remoteId: 'r1',
  baseRevision: '2-b',
  applied: true,
  snapshot: { revision: '2-b', fetchedAt: NOW - 60_000 },
  live: null,
  lastError: null,
  existing: null,
  notSuperDuper: false,
  now: NOW,
};
const state = (patch: Partial<TargetFacts>) => targetState({ ...synced, ...patch });

test('in sync: "applied" after an apply of ours, "in sync" for a carrier only pulled; dated by the last read', () => {
  assert.deepEqual(state({}), { kind: 'in-sync', label: 'applied', drifted: false, asOf: NOW - 60_000 });
  assert.equal(state({ applied: false }).label, 'in sync');
});

test('a saved version the cluster has not got is "changed, not applied"', () => {
  assert.deepEqual([state({ draftHash: 'h3' }).kind, state({ draftHash: 'h3' }).label], ['changed', 'changed, not applied']);
});

test('the cluster\u2019s revision as last read against the base: drifted, or diverged when the draft changed too', () => {
  const drift = state({ snapshot: { revision: '3-c', fetchedAt: NOW } });
  assert.deepEqual([drift.kind, drift.label, drift.drifted], ['drifted', 'changed on the cluster', true]);
  const both = state({ snapshot: { revision: '3-c', fetchedAt: NOW }, draftHash: 'h3' });
  assert.deepEqual([both.kind, both.label, both.drifted], ['diverged', 'changed here and on the cluster', true]);
  assert.equal(state({ snapshot: null }).kind, 'in-sync', 'never read: nothing says it drifted');
});

test('never confirmed, or bound but never synced: "not applied yet"', () => {
  assert.equal(state({ baseRevision: null, remoteId: null, syncedHash: null, applied: false, snapshot: null }).label, 'not applied yet');
  assert.equal(state({ syncedHash: null, applied: false }).kind, 'not-applied');
});

test('a live outbox row wins: queued with its reason and next try, sending while its lease runs, interrupted after', () => {
  const queued = state({ draftHash: 'h3', live: { state: 'queued', reason: 'The cluster did not answer: refused', attempts: 2, nextAttemptAt: Date.UTC(2026, 5, 1, 12, 5), leaseUntil: null } });
  assert.deepEqual([queued.kind, queued.label, queued.detail], ['queued', 'queued', 'The cluster did not answer: refused Next try at 12:05 UTC.']);
  assert.equal(state({ live: { state: 'queued', reason: null, attempts: 0, nextAttemptAt: NOW, leaseUntil: null } }).detail, 'Waiting to be sent.');
  // A next try already past is never shown as a time: the row is due.
  const due = state({ live: { state: 'queued', reason: 'The cluster did not answer: refused', attempts: 3, nextAttemptAt: NOW - 60_000, leaseUntil: null } });
  assert.equal(due.detail, "The cluster did not answer: refused Due for another try: sent at the outbox's next run.");
  assert.equal(state({ live: { state: 'in_flight', reason: null, attempts: 1, nextAttemptAt: NOW, leaseUntil: NOW + 1 } }).label, 'sending…');
  const stuck = state({ live: { state: 'in_flight', reason: null, attempts: 1, nextAttemptAt: NOW, leaseUntil: NOW - 1 } });
  assert.deepEqual([stuck.kind, stuck.detail], ['queued', 'Interrupted while sending; the next run of the outbox resumes it.']);
  // Even with an old error recorded: the row on its way is what is happening now.
  assert.equal(state({ lastError: { code: 'precondition_failed', message: 'x' }, live: { state: 'queued', reason: null, attempts: 0, nextAttemptAt: NOW, leaseUntil: null } }).kind, 'queued');
});

test('the last refusal or failure until settled: refused (changed on the cluster), conflict, did not succeed', () => {
  const refused = state({ lastError: { code: 'precondition_failed', message: 'If-Match refused' } });
  assert.deepEqual([refused.kind, refused.label], ['refused', 'refused: changed on the cluster']);
  assert.deepEqual([state({ lastError: { code: 'conflict', message: 'Conflict on weight_cost' } }).kind, state({ lastError: { code: 'conflict', message: 'Conflict on weight_cost' } }).detail], ['conflict', 'Conflict on weight_cost']);
  const failed = state({ lastError: { code: 'validation', message: 'gateways.0.server: required' } });
  assert.deepEqual([failed.kind, failed.label, failed.detail], ['failed', 'did not succeed', 'gateways.0.server: required']);
});

test('global scope without a super-duper login blocks only what would have to be sent', () => {
  assert.equal(state({ notSuperDuper: true }).kind, 'in-sync');
  assert.deepEqual([state({ notSuperDuper: true, draftHash: 'h3' }).kind, state({ notSuperDuper: true, draftHash: 'h3' }).label], ['blocked', 'needs a super-duper admin login']);
});

test('marked for deletion: "to delete" while it is on the cluster, "not on the cluster" once gone', () => {
  assert.equal(state({ deleting: true }).label, 'to delete');
  assert.equal(state({ deleting: true, remoteId: null, baseRevision: null }).label, 'not on the cluster');
});

test('a target never bound, where a carrier with its id or name already is: "exists, not bound", never "not applied yet"', () => {
  const unbound = { remoteId: null, baseRevision: null, syncedHash: null, applied: false, snapshot: null };
  const byId = state({ ...unbound, existing: { resourceId: 'f01', name: 'Telia Wholesale', by: 'id' } });
  assert.deepEqual([byId.kind, byId.label], ['exists-unbound', 'exists, not bound']);
  assert.match(byId.detail ?? '', /already has this carrier \(Telia Wholesale, id f01, the id it has on another target\)/);
  assert.match(state({ ...unbound, existing: { resourceId: 'f09', name: 'Telia Wholesale', by: 'name' } }).detail ?? '', /the same name \(Telia Wholesale, id f09\)/);
  assert.equal(state({ ...unbound, existing: null }).kind, 'not-applied');
  // The outbox held a create back for the same reason: still "exists, not bound", not a failure.
  const held = state({ ...unbound, lastError: { code: 'exists_unbound', message: 'prod-50 global already has a carrier of this name.' } });
  assert.deepEqual([held.kind, held.detail], ['exists-unbound', 'prod-50 global already has a carrier of this name.']);
});

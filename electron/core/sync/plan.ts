// The plan: a PURE function from (drafts with targets, their bases, fresh remote state, cluster facts) to one
// action per target — create / update (field diff) / delete / noop / conflict (three-way) / blocked.
import type { ErrorValue } from '../../shared/result.ts';
import type { Issue, PlanAction, PlanSummary } from '../../shared/contract/sync.ts';
import { deepEqual, hashDoc, publicFields, type JsonObject } from '../drafts/canonical.ts';
import { applyDefaults, type SchemaSet } from '../drafts/defaults.ts';
import { diffDocs, threeWayMerge, type FieldChange, type MergeConflict } from '../drafts/diff.ts';

/** Error codes meaning the cluster did not answer (work for it can wait in the outbox). */
const NO_ANSWER = new Set(['unreachable', 'network', 'timeout', 'tls']);

export type RemoteState =
  | { state: 'found'; doc: JsonObject; revision: string }
  | { state: 'absent' }
  | { state: 'unknown'; error: ErrorValue };

export interface PlanTargetInput {
  targetId: string;
  draftId: string;
  draftName: string;
  clusterId: string;
  clusterName: string;
  scope: string;
  /** The draft's current document; null when the draft is marked for deletion. */
  desired: JsonObject | null;
  remoteId: string | null;
  /** Revision of the remote document at the last sync (null: never confirmed on the cluster). */
  baseRevision: string | null;
  /** The remote document at the last sync. */
  baseRemote: JsonObject | null;
  /** The draft's document at the last sync (the common ancestor on the draft's side). */
  baseMine: JsonObject | null;
  remote: RemoteState;
  /** Schema errors and local-check errors/warnings for this target. */
  errors: Issue[];
  warnings: Issue[];
  /** From the cluster's last probe; undefined = unknown (the cluster will decide). */
  superDuper: boolean | undefined;
  /** The cluster's schema set, for default filling; the same object for targets of the same cluster. */
  schemas: SchemaSet;
}

export interface PlannedTarget {
  input: PlanTargetInput;
  action: PlanAction;
  deferred?: 'create' | 'update' | 'delete';
  blockedReasons: { code: string; message: string }[];
  changes: FieldChange[];
  merged: string[];
  conflicts: MergeConflict[];
  expectedRevision: string | null;
  /** The document to send for create/update (normalized: public fields + defaults). */
  send: JsonObject | null;
  contentHash: string | null;
  /** The remote answered with a revision different from the base but nothing must be sent: refresh the bases. */
  rebase: boolean;
  drifted: boolean;
}

export interface Plan {
  targets: PlannedTarget[];
  summary: PlanSummary;
}

/** Memoised normalization: the same draft object planned for several targets of one cluster is filled once. */
class Normalizer {
  private readonly memo = new WeakMap<SchemaSet, WeakMap<JsonObject, JsonObject>>();
  of(doc: JsonObject, schemas: SchemaSet): JsonObject {
    let m = this.memo.get(schemas);
    if (!m) this.memo.set(schemas, (m = new WeakMap()));
    let n = m.get(doc);
    if (!n) m.set(doc, (n = applyDefaults(publicFields(doc), schemas)));
    return n;
  }
}

export function plan(inputs: readonly PlanTargetInput[]): Plan {
  const norm = new Normalizer();
  const targets = inputs.map((t) => planTarget(t, norm));
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, noop: 0, conflict: 0, blocked: 0 };
  for (const t of targets) summary[t.action]++;
  return { targets, summary };
}

function base(input: PlanTargetInput): Omit<PlannedTarget, 'action'> {
  return { input, blockedReasons: [], changes: [], merged: [], conflicts: [], expectedRevision: null, send: null, contentHash: null, rebase: false, drifted: false };
}

function planTarget(t: PlanTargetInput, norm: Normalizer): PlannedTarget {
  let remote = t.remote;
  const offline = remote.state === 'unknown';
  if (remote.state === 'unknown') {
    // Plan against the last state we saw; apply queues the operation and If-Match guards it when it runs.
    if (t.remoteId && t.baseRemote && t.baseRevision) remote = { state: 'found', doc: t.baseRemote, revision: t.baseRevision };
    else remote = { state: 'absent' };
  }
  const r = compute(t, remote, norm);
  const blockers: { code: string; message: string }[] = [];
  if (r.action === 'noop' || r.action === 'conflict') return offline ? { ...r, rebase: false } : r;
  if (t.scope === 'global' && t.superDuper === false) {
    blockers.push({ code: 'not_super_duper', message: `Global resources on ${t.clusterName} need a super-duper admin login; this login is not one.` });
  }
  if (r.action !== 'delete' && t.errors.length > 0) {
    const first = t.errors[0]!;
    blockers.push({ code: 'validation', message: `${t.errors.length} validation error(s), first: ${first.path ? first.path + ': ' : ''}${first.message}` });
  }
  if (offline && t.remote.state === 'unknown') {
    if (NO_ANSWER.has(t.remote.error.code)) {
      blockers.push({ code: 'unreachable', message: `${t.clusterName} did not answer (${t.remote.error.message}); planned against the last known state and queued on apply.` });
    } else {
      blockers.push({ code: 'remote_error', message: `Reading the resource from ${t.clusterName} failed: ${t.remote.error.message}` });
    }
  }
  if (blockers.length === 0) return r;
  const onlyOffline = blockers.every((b) => b.code === 'unreachable');
  return {
    ...r,
    action: 'blocked',
    ...(onlyOffline ? { deferred: r.action as 'create' | 'update' | 'delete' } : {}),
    blockedReasons: blockers,
    rebase: false,
  };
}

function compute(t: PlanTargetInput, remote: Exclude<RemoteState, { state: 'unknown' }>, norm: Normalizer): PlannedTarget {
  const out = base(t);
  // ---- the draft is marked for deletion
  if (t.desired === null) {
    if (remote.state === 'absent' || !t.remoteId) return { ...out, action: 'noop' };
    const theirs = norm.of(remote.doc, t.schemas);
    const anc = t.baseRemote ?? t.baseMine;
    if (anc && t.baseRevision !== remote.revision && !deepEqual(norm.of(anc, t.schemas), theirs)) {
      // Deleting would throw away a change made on the cluster since the base: the person must choose.
      return {
        ...out,
        action: 'conflict',
        conflicts: [{ path: '', theirs: publicFields(remote.doc) }],
        expectedRevision: remote.revision,
        changes: diffDocs(norm.of(anc, t.schemas), theirs),
      };
    }
    return { ...out, action: 'delete', expectedRevision: remote.revision, changes: [{ path: '', kind: 'removed', before: theirs }] };
  }

  const mine = norm.of(t.desired, t.schemas);
  // ---- nothing on the cluster
  if (remote.state === 'absent') {
    if (t.remoteId && t.baseRevision) {
      // It existed at the last sync and is gone now: deleted on the cluster. Re-creating must be a decision.
      return { ...out, action: 'conflict', conflicts: [{ path: '', mine: publicFields(t.desired) }] };
    }
    return { ...out, action: 'create', send: mine, contentHash: hashDoc(mine), changes: diffDocs(undefined, mine).length ? topLevelAdds(mine) : [] };
  }

  // ---- the resource exists
  // Fast path (most targets of a big plan): the draft is unchanged since the last sync, so there is nothing of
  // ours to send whatever the cluster did; no default filling needed.
  if (t.baseRemote && t.baseMine && (t.desired === t.baseMine || deepEqual(t.desired, t.baseMine))) {
    if (t.baseRevision === remote.revision) return { ...out, action: 'noop' };
    // The draft is unchanged since the last sync: whatever changed on the cluster is kept (merge = theirs).
    const drifted = !deepEqual(publicFields(t.baseRemote), publicFields(remote.doc));
    return { ...out, action: 'noop', rebase: true, drifted };
  }
  const theirs = norm.of(remote.doc, t.schemas);
  const ancestorDoc = t.baseMine ?? t.baseRemote;
  const ancestor = ancestorDoc ? norm.of(ancestorDoc, t.schemas) : theirs;
  const theirsMoved = t.baseRevision !== remote.revision && (t.baseRemote ? !deepEqual(norm.of(t.baseRemote, t.schemas), theirs) : false);
  const needsRebase = t.baseRevision !== remote.revision || !t.baseRemote;

  if (deepEqual(mine, theirs)) return { ...out, action: 'noop', rebase: needsRebase, drifted: false };
  const m = threeWayMerge(ancestor, mine, theirs);
  const merged = m.fromTheirs.filter((p) => p !== '');
  if (m.conflicts.length > 0) {
    return { ...out, action: 'conflict', conflicts: m.conflicts, merged, send: m.merged, expectedRevision: remote.revision, changes: diffDocs(theirs, m.merged) };
  }
  if (deepEqual(m.merged, theirs)) {
    return { ...out, action: 'noop', rebase: needsRebase, drifted: theirsMoved || m.fromTheirs.length > 0 };
  }
  return {
    ...out,
    action: 'update',
    send: m.merged,
    contentHash: hashDoc(m.merged),
    expectedRevision: remote.revision,
    changes: diffDocs(theirs, m.merged),
    merged,
    drifted: theirsMoved,
  };
}

function topLevelAdds(doc: JsonObject): FieldChange[] {
  return Object.keys(doc)
    .sort()
    .map((k) => ({ path: k, kind: 'added' as const, after: doc[k] }));
}

// The plan: a PURE function from (drafts with targets, their bases, fresh remote state, cluster facts) to one
// action per target — create / update (field diff) / delete / noop / conflict (three-way) / blocked.
import { hash } from 'node:crypto';
import type { ErrorValue } from '../../shared/result.ts';
import type { Issue, PlanAction, PlanSummary } from '../../shared/contract/sync.ts';
import { deepEqual, hashDoc, publicFields, type JsonObject } from '../drafts/canonical.ts';
import { NORMALIZED_VERSION, normalizedEquals, normalizeResource, schemaSetKey, type SchemaSet } from '../drafts/defaults.ts';
import { diffDocs, threeWayMerge, type FieldChange, type MergeConflict } from '../drafts/diff.ts';
import type { ExistingMatch } from './existing.ts';
import { MISSING_SECRET_RULES } from '../drafts/local-checks.ts';
import { missingSecretPaths } from '../drafts/secret-fields.ts';

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
  /** hashDoc(desired), which the caller has computed already (null with `desired`): see PlannedTarget.contentHash. */
  desiredHash: string | null;
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
  /** Without the local checks' advice when planned for apply (buildPlan's `warnings: false`): apply shows none. */
  warnings: Issue[];
  /** From the cluster's last probe; undefined = unknown (the cluster will decide). */
  superDuper: boolean | undefined;
  /** The cluster's schema set, for default filling; the same object for targets of the same cluster. */
  schemas: SchemaSet;
  /**
   * For an unbound target: carriers of the same name (other ids) its scope holds, from a fresh listing; null when
   * the scope could not be read (or the target is bound).
   */
  existing: ExistingMatch['byName'] | null;
  /** The person confirmed creating a carrier even though one of the same name exists there. */
  createAnyway: boolean;
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
  /**
   * What is sent, as an identity: equal hashes, the same document (a saved plan is applied only while it holds, an
   * outbox row is reused only for the same change). The draft's document as filled under a schema set is named by
   * the draft's hash, the set's and the filling's version (contentHashOf), which the plan has without writing out the
   * filled document (that canonical JSON and its SHA-256 were a third of a big plan); a merge with the cluster's
   * changes, by hashDoc of the merged document.
   */
  contentHash: string | null;
  /** The remote answered with a revision different from the base but nothing must be sent: refresh the bases. */
  rebase: boolean;
  drifted: boolean;
}

export interface Plan {
  targets: PlannedTarget[];
  summary: PlanSummary;
}

/**
 * Memoised normalization: the same draft object planned for several targets of one cluster (or of clusters sharing
 * a schema set) is filled once, and its content hash computed once.
 */
class Normalizer {
  private readonly memo = new WeakMap<SchemaSet, WeakMap<JsonObject, JsonObject>>();
  private readonly hashes = new WeakMap<SchemaSet, Map<string, string>>();
  /** For draft documents shared by several targets: filled once per schema set, kept for the whole plan. */
  of(doc: JsonObject, schemas: SchemaSet): JsonObject {
    let m = this.memo.get(schemas);
    if (!m) this.memo.set(schemas, (m = new WeakMap()));
    let n = m.get(doc);
    if (!n) m.set(doc, (n = normalizeResource(doc, schemas)));
    return n;
  }
  /** contentHashOf the target's draft document under its schema set, once per (draft, set) in a plan. */
  hash(t: PlanTargetInput): string {
    const desiredHash = t.desiredHash ?? hashDoc(t.desired);
    let m = this.hashes.get(t.schemas);
    if (!m) this.hashes.set(t.schemas, (m = new Map()));
    let h = m.get(desiredHash);
    if (h === undefined) m.set(desiredHash, (h = contentHashOf(desiredHash, t.schemas)));
    return h;
  }
}

/**
 * One target's documents in their comparable form. The remote and base documents are used by that target only, so
 * their filled copies are kept just while the target is planned (memoising them for the whole plan kept thousands of
 * copies alive through young collections: most of the plan's GC time); the draft's goes through the shared memo.
 * A class, not closures: one is made per target, noop or not.
 */
class TargetDocs {
  private lastIn: JsonObject | null = null;
  private lastOut: JsonObject | null = null;
  private prevIn: JsonObject | null = null;
  private prevOut: JsonObject | null = null;
  constructor(
    private readonly norm: Normalizer,
    private readonly t: PlanTargetInput,
  ) {}

  private made(doc: JsonObject): JsonObject | null {
    if (doc === this.t.desired) return this.norm.of(doc, this.t.schemas);
    return doc === this.lastIn ? this.lastOut : doc === this.prevIn ? this.prevOut : null;
  }

  of(doc: JsonObject): JsonObject {
    const hit = this.made(doc);
    if (hit) return hit;
    this.prevIn = this.lastIn;
    this.prevOut = this.lastOut;
    this.lastIn = doc;
    return (this.lastOut = normalizeResource(doc, this.t.schemas));
  }

  /** deepEqual(of(doc), normalized), without building the copy when it is not made yet (the usual update's ancestor). */
  equals(doc: JsonObject, normalized: JsonObject): boolean {
    const hit = this.made(doc);
    return hit ? deepEqual(hit, normalized) : normalizedEquals(doc, normalized, this.t.schemas);
  }
}

/**
 * The content hash of normalizeResource(desired, schemas) without writing it out: that document is a function of the
 * draft's document (named by its hash), the schema set (named by its content key) and the filling's version.
 */
export function contentHashOf(desiredHash: string, schemas: SchemaSet): string {
  return hash('sha256', `${NORMALIZED_VERSION}\n${schemaSetKey(schemas)}\n${desiredHash}`, 'hex');
}

export function plan(inputs: readonly PlanTargetInput[]): Plan {
  const targets = new Planner().targets(inputs);
  return { targets, summary: summarize(targets) };
}

/** Plans targets in batches (one cluster at a time, as its reads finish) sharing the normalization memo. */
export class Planner {
  private readonly norm = new Normalizer();
  targets(inputs: readonly PlanTargetInput[]): PlannedTarget[] {
    return inputs.map((t) => planTarget(t, this.norm));
  }
  /** Fills a draft's defaults under a schema set ahead of its targets (compiling the set's defaults the first time). */
  prepare(desired: JsonObject, schemas: SchemaSet): void {
    this.norm.of(desired, schemas);
  }
}

export function summarize(targets: readonly PlannedTarget[]): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, noop: 0, conflict: 0, blocked: 0 };
  for (const t of targets) summary[t.action]++;
  return summary;
}

type Outcome = Partial<Omit<PlannedTarget, 'input' | 'action' | 'deferred'>>;

/**
 * A planned target as one literal with every member (the same shape for all): spreading a base object and writing
 * over its members took a tenth of a big plan.
 */
function planned(input: PlanTargetInput, action: PlanAction, o: Outcome = {}): PlannedTarget {
  return {
    input,
    blockedReasons: o.blockedReasons ?? [],
    changes: o.changes ?? [],
    merged: o.merged ?? [],
    conflicts: o.conflicts ?? [],
    expectedRevision: o.expectedRevision ?? null,
    send: o.send ?? null,
    contentHash: o.contentHash ?? null,
    rebase: o.rebase ?? false,
    drifted: o.drifted ?? false,
    action,
  };
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
  // A draft with a secret that is not there (left out of an export, not decryptable here) is blocked even when
  // nothing would be sent: its document no longer says what the target should hold until the secret is entered.
  const missingSecret = t.desired !== null && t.errors.some((e) => MISSING_SECRET_RULES.has(e.rule));
  if ((r.action === 'noop' || r.action === 'conflict') && !missingSecret) return offline ? { ...r, rebase: false } : r;
  if (t.scope === 'global' && t.superDuper === false) {
    blockers.push({ code: 'not_super_duper', message: `Global resources on ${t.clusterName} need a super-duper admin login; this login is not one.` });
  }
  if (r.action === 'create' && t.existing && t.existing.length > 0 && !t.createAnyway) {
    blockers.push({ code: 'exists_unbound', message: existsMessage(t) });
  }
  if (r.action !== 'delete' && t.errors.length > 0) {
    const first = t.errors[0]!;
    blockers.push({ code: 'validation', message: `${t.errors.length} validation error(s), first: ${first.path ? first.path + ': ' : ''}${first.message}` });
  }
  const holes = r.send ? holesOf(r.send) : [];
  if (holes.length > 0 && !missingSecret) {
    // Taken from a stored base whose secret cannot be decrypted here: never sent with a hole in it.
    blockers.push({ code: 'secret_missing', message: `The document to send has no value for ${holes.join(', ')} (a stored secret that cannot be decrypted here). Enter it in the draft, then plan again.` });
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
  const n = new TargetDocs(norm, t);
  // ---- the draft is marked for deletion
  if (t.desired === null) {
    if (remote.state === 'absent' || !t.remoteId) return planned(t, 'noop');
    const theirs = n.of(remote.doc);
    const anc = t.baseRemote ?? t.baseMine;
    if (anc && t.baseRevision !== remote.revision && !n.equals(anc, theirs)) {
      // Deleting would throw away a change made on the cluster since the base: the person must choose.
      return planned(t, 'conflict', {
        conflicts: [{ path: '', theirs: publicFields(remote.doc) }],
        expectedRevision: remote.revision,
        changes: diffDocs(n.of(anc), theirs),
      });
    }
    return planned(t, 'delete', { expectedRevision: remote.revision, changes: [{ path: '', kind: 'removed', before: theirs }] });
  }

  const mine = norm.of(t.desired, t.schemas);
  // ---- nothing on the cluster
  if (remote.state === 'absent') {
    if (t.remoteId && t.baseRevision) {
      // It existed at the last sync and is gone now: deleted on the cluster. Re-creating must be a decision.
      return planned(t, 'conflict', { conflicts: [{ path: '', mine: publicFields(t.desired) }] });
    }
    // diffDocs(undefined, mine) is always the one whole-document addition: list it by top-level field instead.
    return planned(t, 'create', { send: mine, contentHash: norm.hash(t), changes: topLevelAdds(mine) });
  }

  // ---- the resource exists
  // Fast path (most targets of a big plan): the draft is unchanged since the last sync, so there is nothing of
  // ours to send whatever the cluster did; no default filling needed.
  if (t.baseRemote && t.baseMine && (t.desired === t.baseMine || deepEqual(t.desired, t.baseMine))) {
    if (t.baseRevision === remote.revision) return planned(t, 'noop');
    // The draft is unchanged since the last sync: whatever changed on the cluster is kept (merge = theirs).
    const drifted = !deepEqual(publicFields(t.baseRemote), publicFields(remote.doc));
    return planned(t, 'noop', { rebase: true, drifted });
  }
  const theirs = n.of(remote.doc);
  const ancestorDoc = t.baseMine ?? t.baseRemote;
  const theirsMoved = t.baseRevision !== remote.revision && (t.baseRemote ? !n.equals(t.baseRemote, theirs) : false);
  const needsRebase = t.baseRevision !== remote.revision || !t.baseRemote;

  if (deepEqual(mine, theirs)) return planned(t, 'noop', { rebase: needsRebase, drifted: false });
  // Nothing changed on the cluster's side since the ancestor (the usual update): the merge is mine, whole.
  const m = !ancestorDoc || n.equals(ancestorDoc, theirs) ? { merged: mine, fromTheirs: [], conflicts: [] } : threeWayMerge(n.of(ancestorDoc), mine, theirs);
  const merged = m.fromTheirs.filter((p) => p !== '');
  if (m.conflicts.length > 0) {
    return planned(t, 'conflict', { conflicts: m.conflicts, merged, send: m.merged, expectedRevision: remote.revision, changes: diffDocs(theirs, m.merged) });
  }
  // (The merge being mine itself, that was asked just above.)
  if (m.merged !== mine && deepEqual(m.merged, theirs)) {
    return planned(t, 'noop', { rebase: needsRebase, drifted: theirsMoved || m.fromTheirs.length > 0 });
  }
  return planned(t, 'update', {
    send: m.merged,
    // Nothing taken from theirs (and no conflict): the merge is mine, the draft's document as filled.
    contentHash: m.fromTheirs.length === 0 ? norm.hash(t) : hashDoc(m.merged),
    expectedRevision: remote.revision,
    changes: diffDocs(theirs, m.merged),
    merged,
    drifted: theirsMoved,
  });
}

/** missingSecretPaths of a document to send, once per document (targets of one draft share it). */
const holesMemo = new WeakMap<JsonObject, string[]>();
function holesOf(doc: JsonObject): string[] {
  let h = holesMemo.get(doc);
  if (!h) holesMemo.set(doc, (h = missingSecretPaths(doc)));
  return h;
}

function topLevelAdds(doc: JsonObject): FieldChange[] {
  return Object.keys(doc)
    .sort()
    .map((k) => ({ path: k, kind: 'added' as const, after: doc[k] }));
}

/** Why a create is held back: Kazoo would store a second carrier of that name (it checks ids only, crossbar-spec §1.5). */
function existsMessage(t: PlanTargetInput): string {
  const list = t.existing!.map((e) => `'${e.name}' (id ${e.id}${e.boundTo ? `, kept by draft '${e.boundTo}'` : ''})`).join(', ');
  const where = `${t.clusterName} ${t.scope === 'global' ? 'global' : `account ${t.scope}`}`;
  const one = t.existing!.length === 1;
  return `${where} already has ${one ? 'a carrier' : 'carriers'} of this name: ${list}. Kazoo does not refuse a second carrier with the same name (crossbar-spec §1.5), so creating would make a duplicate. Bind this target to ${one ? 'it' : 'one of them'} to update it instead, or confirm that a second carrier is wanted.`;
}

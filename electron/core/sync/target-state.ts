// A target's state, derived from stored facts only (never from a status column written along the way): the draft's
// current version against the version last synced, the live outbox row, the last refusal or failure recorded on the
// target, and the cluster's revision as last read against the revision the target is based on. The one function the
// drafts view, the Overview matrix and the CLI (`drafts show`, `drafts list`, `matrix`) all show.
import type { ErrorValue } from '../../shared/result.ts';
import type { TargetState, TargetStateView } from '../../shared/contract/sync.ts';

export interface TargetFacts {
  /** The draft is marked for deletion. */
  deleting: boolean;
  /** Hash of the draft's current version. */
  draftHash: string;
  /** Hash of the draft document at the last sync of this target (null: never synced). */
  syncedHash: string | null;
  remoteId: string | null;
  /** The cluster's revision this target is based on (null: never confirmed on the cluster). */
  baseRevision: string | null;
  /** Something was applied through this target (its last apply succeeded). */
  applied: boolean;
  /** The bound resource as last read from the cluster (pull, refresh, apply). */
  snapshot: { revision: string; fetchedAt: number } | null;
  /** The target's newest outbox row while it is queued or in flight. */
  live: { state: 'queued' | 'in_flight'; reason: string | null; attempts: number; nextAttemptAt: number; leaseUntil: number | null } | null;
  /** The last refusal or failure recorded on the target (cleared when a later apply, plan or resolve settles it). */
  lastError: ErrorValue | null;
  /** For a target never bound: a carrier already in the scope with the draft's carrier's id or its name (as last read). */
  existing: { resourceId: string; name: string; by: 'id' | 'name' } | null;
  /** Global scope on a login that is not super-duper admin (crossbar-spec §1.3: global resources need one). */
  notSuperDuper: boolean;
  now: number;
}

/** Codes recorded on a target that mean "refused because the cluster changed it" (crossbar-spec §3: If-Match → 412). */
const CHANGED_ON_CLUSTER = new Set(['precondition_failed']);

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

function view(kind: TargetState, label: string, f: TargetFacts, drifted: boolean, detail?: string): TargetStateView {
  return { kind, label, drifted, ...(detail ? { detail } : {}), ...(f.snapshot ? { asOf: f.snapshot.fetchedAt } : {}) };
}

export function targetState(f: TargetFacts): TargetStateView {
  const drifted = f.snapshot !== null && f.baseRevision !== null && f.snapshot.revision !== f.baseRevision;
  // 1. Work on its way: the outbox row is the truth until it ends.
  if (f.live) {
    const l = f.live;
    if (l.state === 'in_flight' && (l.leaseUntil ?? 0) > f.now) return view('sending', 'sending…', f, drifted);
    const why = l.state === 'in_flight' ? 'Interrupted while sending; the next run of the outbox resumes it.' : l.reason;
    // A time already past is not shown as the next try: the row is due and waits for the outbox's next run.
    const next = l.state !== 'queued' || l.attempts === 0 ? '' : l.nextAttemptAt > f.now ? ` Next try at ${clock(l.nextAttemptAt)} UTC.` : ' Due for another try: sent at the outbox\'s next run.';
    return view('queued', 'queued', f, drifted, `${why ?? 'Waiting to be sent.'}${next}`);
  }
  // 2. The last attempt did not go through, and nothing has settled it since.
  if (f.lastError) {
    if (CHANGED_ON_CLUSTER.has(f.lastError.code)) {
      return view('refused', 'refused: changed on the cluster', f, drifted, 'The cluster refused the change because the carrier changed there since the plan. Plan again to see both sides.');
    }
    if (f.lastError.code === 'conflict') return view('conflict', 'conflict: choose mine or theirs', f, drifted, f.lastError.message);
    // A create held back because a carrier of that name is there (sync/existing.ts): nothing failed, it waits for a choice.
    if (f.lastError.code === 'exists_unbound') return view('exists-unbound', 'exists, not bound', f, drifted, f.lastError.message);
    return view('failed', 'did not succeed', f, drifted, f.lastError.message);
  }
  // 3. What a plan would do, from the stored sides.
  const pending = (kind: TargetState, label: string, detail?: string) =>
    f.notSuperDuper ? view('blocked', 'needs a super-duper admin login', f, drifted, 'Global carriers can only be changed with a super-duper admin login.') : view(kind, label, f, drifted, detail);
  if (f.deleting) return f.remoteId && f.baseRevision ? pending('to-delete', 'to delete') : view('deleted', 'not on the cluster', f, false);
  if (!f.baseRevision && !f.remoteId && f.existing) {
    const e = f.existing;
    // crossbar-spec §1.5: a create with an id in use is refused (409), a name in use is not, so a create would make a
    // second carrier of that name. The plan binds the first case and holds the second back (sync/existing.ts).
    const detail =
      e.by === 'id'
        ? `The cluster already has this carrier (${e.name}, id ${e.resourceId}, the id it has on another target); this target is not bound to it yet. The plan binds it and updates that carrier.`
        : `The cluster already has a carrier with the same name (${e.name}, id ${e.resourceId}); this target is not bound to it. Bind the target to it, or confirm a second carrier: until then the create is held back.`;
    return view('exists-unbound', 'exists, not bound', f, false, detail);
  }
  // Never confirmed on the cluster, or bound to a resource the draft was never synced with.
  if (!f.baseRevision || f.syncedHash === null) return pending('not-applied', 'not applied yet');
  const changed = f.syncedHash !== f.draftHash;
  if (changed && drifted) return pending('diverged', 'changed here and on the cluster', 'Plan to see what merges and what conflicts.');
  if (changed) return pending('changed', 'changed, not applied');
  if (drifted) return view('drifted', 'changed on the cluster', f, true);
  return view('in-sync', f.applied ? 'applied' : 'in sync', f, false);
}

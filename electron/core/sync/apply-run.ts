// One apply: plans the targets, persists each change in the outbox before sending it, sends them (the executor), and
// reports every target truthfully. Several applies may run at once (CLI processes, the app, its outbox task): the
// target is the unit of exclusion. A target whose live outbox row another run holds is waited for, then joined
// (the same change: report how it ended) or planned again (another change); a target changed by another run since
// it was read is planned again; a row left by a dead run is taken over (its send looks before it writes).
import type { CoreContext } from '../context.ts';
import type { ApplyResult, ApplyTargetResult, JsonDoc, SavedPlan } from '../../shared/contract/sync.ts';
import { newResourceId } from '../kazoo/index.ts';
import { publicFields } from '../drafts/canonical.ts';
import type { OutboxRow } from '../db/repos/outbox-repo.ts';
import { buildPlan } from './plan-builder.ts';
import type { PlannedTarget } from './plan.ts';
import type { FeedRow, OutboxExecutor, RowOutcome } from './executor.ts';
import { heldByOther, newLease, type Lease } from './lease.ts';
import type { SyncStore } from './store.ts';

const OK_OUTCOMES = new Set(['done', 'noop']);
/** How many times one apply plans a target again after other runs changed it (each time it waited for them). */
export const MAX_REPLANS = 5;

function isOk(r: ApplyTargetResult): boolean {
  return OK_OUTCOMES.has(r.outcome) || (r.outcome === 'joined' && r.joinedOutcome === 'done');
}

type Staged =
  | { result: ApplyTargetResult; rowId?: number; replanAfter?: undefined }
  | { rowId: number; result?: undefined; replanAfter?: boolean }
  | { wait: OutboxRow }
  | { replan: true };

/** The operation a planned target sends (a blocked one only when it waits for its cluster); null: nothing. */
function planOp(p: PlannedTarget): 'create' | 'update' | 'delete' | null {
  if (p.action === 'create' || p.action === 'update' || p.action === 'delete') return p.action;
  return p.action === 'blocked' && p.deferred ? p.deferred : null;
}

/** True when an outbox row sends exactly what the plan would: same operation, content and If-Match revision. */
function sameWork(row: OutboxRow, p: PlannedTarget): boolean {
  const op = planOp(p);
  if (op === null || row.op !== op || row.content_hash !== p.contentHash) return false;
  if (p.input.remoteId !== null && row.remote_id !== p.input.remoteId) return false;
  return op === 'create' || row.expected_revision === p.expectedRevision;
}

export function targetResult(p: PlannedTarget, outcome: ApplyTargetResult['outcome'], extra: Partial<ApplyTargetResult> = {}): ApplyTargetResult {
  const t = p.input;
  return { targetId: t.targetId, draftName: t.draftName, clusterName: t.clusterName, scope: t.scope, action: p.action, outcome, remoteId: t.remoteId, ...extra };
}

export class ApplyRun {
  constructor(
    private readonly ctx: CoreContext,
    private readonly store: SyncStore,
    private readonly executor: OutboxExecutor,
  ) {}

  async run(args: { draft?: string | undefined; cluster?: string | undefined; plan?: SavedPlan | undefined }): Promise<ApplyResult> {
    // The run's lease: the outbox rows it reserves are its own until it sends them; other runs wait or join.
    const lease = newLease();
    const saved = args.plan ? new Map(args.plan.targets.map((t) => [t.targetId, t])) : null;
    const results = new Map<string, ApplyTargetResult>();
    const rowTarget = new Map<number, { p: PlannedTarget; replanAfter: boolean }>();
    // Targets of a saved plan that no longer exist come first, as the plan is gathered.
    const missing = new Map<string, ApplyTargetResult>();
    // Targets to plan again (another run changed them while this one planned), and why.
    const replan = new Set<string>();
    const waitedFor = new Set<string>();
    const waits = new Set<Promise<void>>();
    const track = (w: Promise<void>) => {
      waits.add(w);
      void w.finally(() => waits.delete(w));
    };
    const afterRow = new Map<number, () => void>();
    let total = 0;
    const onDone = (o: RowOutcome) => {
      const { p, replanAfter } = rowTarget.get(o.rowId)!;
      afterRow.get(o.rowId)?.();
      if (replanAfter) {
        // A dead run's send of another change, finished first: now plan this target again.
        replan.add(p.input.targetId);
        return;
      }
      const joined = o.outcome === 'joined' && o.joined ? { joinedOutcome: o.joined.outcome } : {};
      const r = targetResult(p, o.outcome, {
        remoteId: this.store.drafts.target(p.input.targetId)?.remote_id ?? p.input.remoteId,
        ...(o.revision ? { revision: o.revision } : {}), ...(o.reason ? { reason: o.reason } : {}), ...(o.error ? { error: o.error } : {}), ...joined,
      });
      results.set(p.input.targetId, r);
      this.ctx.events.emit('sync.progress', { targetId: r.targetId, draftName: r.draftName, clusterName: r.clusterName, scope: r.scope, action: r.action, outcome: r.outcome, done: results.size + missing.size, total });
    };
    // A target's change is persisted and started as soon as it is planned (right after its own read; a cluster's
    // creates together), while other targets are still being read. The targets planned in one turn of the event loop
    // (the replies of many clusters) are staged in one transaction (store.writes), and the rows that start at once
    // are claimed in that same transaction (the executor's claims join the batch being run, db/turn-batch.ts): one
    // commit and one turn of the event loop fewer before the writes leave. Every outbox row is still committed,
    // claimed, before its request is sent, and the executor keeps its per-cluster limit across the whole apply.
    const feed = this.executor.feed(onDone, lease);
    const seals = new Map<JsonDoc, string>();
    const staging = new Set<Promise<void>>();
    let stageError: unknown = null;
    const onPlanned = (targets: PlannedTarget[]) => {
      const toRun: FeedRow[] = [];
      const staged = this.store.writes.run(() => {
        for (const p of targets) {
          const id = p.input.targetId;
          const r = this.stage(p, saved?.get(id), lease, seals, waitedFor.has(id));
          if ('replan' in r) replan.add(id);
          else if ('wait' in r) track(this.join(p, saved?.get(id), r.wait, lease, results, replan, waitedFor));
          else {
            if (r.rowId !== undefined) rowTarget.set(r.rowId, { p, replanAfter: r.replanAfter === true });
            if (r.result) results.set(id, r.result);
            else if (r.rowId !== undefined) {
              toRun.push({ id: r.rowId, clusterId: p.input.clusterId, clusterName: p.input.clusterName });
              if (r.replanAfter) track(new Promise<void>((resolve) => afterRow.set(r.rowId!, resolve)));
            }
          }
        }
        // Last, once every target of the piece is staged: a piece that threw is undone whole and starts nothing. The
        // rows' claims are queued into this batch, so a row is sent only once its staging and claim are committed.
        feed.add(toRun);
      });
      const started = staged.then(
        () => {
          for (const r of toRun) if (!rowTarget.get(r.id)!.replanAfter) this.executor.leases.hold(r.id, lease);
          this.store.outboxChanged();
        },
        (e: unknown) => {
          stageError ??= e;
        },
      );
      staging.add(started);
      void started.finally(() => staging.delete(started));
    };
    /** After a plan: every target it planned is staged and started (or the first error of staging is the plan's). */
    const settle = async () => {
      while (staging.size > 0) await Promise.all([...staging]);
      if (stageError) planError ??= stageError;
    };
    const onTargets = (ids: string[]) => {
      const fresh = new Set(ids);
      for (const [id, s] of saved ?? []) {
        if (fresh.has(id)) continue;
        missing.set(id, { targetId: id, draftName: s.draftId, clusterName: s.clusterId, scope: s.scope, action: s.action, outcome: 'refused', remoteId: s.remoteId, reason: 'The target no longer exists.' });
      }
      total = ids.length + missing.size;
    };
    let planError: unknown = null;
    const filter = { draft: args.draft, cluster: args.cluster, ...(saved ? { targetIds: new Set(saved.keys()) } : {}) };
    // Apply reports outcomes, never warnings: the local checks' advice (the rule linter) is not computed.
    await buildPlan(this.store, filter, { onTargets, onPlanned, warnings: false }).catch((e: unknown) => {
      planError = e;
    });
    await settle();
    // Targets another run was working on: planned again once it is done with them (a bounded number of times).
    for (let round = 1; !planError; round++) {
      while (waits.size > 0) await Promise.all([...waits]);
      if (replan.size === 0) break;
      const ids = new Set(replan);
      replan.clear();
      if (round > MAX_REPLANS) {
        for (const id of ids) {
          const t = this.store.drafts.target(id);
          results.set(id, {
            targetId: id, draftName: this.store.drafts.find(t?.draft_id ?? '')?.name ?? id, clusterName: this.ctx.clusters.find(t?.cluster_id ?? '')?.name ?? '',
            scope: t?.scope ?? '', action: 'noop', outcome: 'skipped', remoteId: t?.remote_id ?? null,
            reason: 'Other runs kept changing this target while this apply waited for them; run apply again.',
          });
        }
        break;
      }
      await buildPlan(this.store, { targetIds: ids }, { onPlanned, warnings: false }).catch((e: unknown) => {
        planError = e;
      });
      await settle();
    }
    // Rows already started keep running to their recorded end even if planning failed for others.
    const outcomes = await feed.close();
    if (planError) throw planError;
    // A target refused with 412 is re-planned so the person sees what it would take now; nothing more is sent.
    const stale = outcomes.filter((o) => o.outcome === 'stale').map((o) => o.targetId);
    if (stale.length > 0) {
      const again = await buildPlan(this.store, { targetIds: new Set(stale) }, { warnings: false }).catch(() => null);
      for (const p of again?.targets ?? []) {
        const r = results.get(p.input.targetId);
        if (r) r.reason = `${r.reason ?? ''} Re-planned: now '${p.action}'${p.changes.length ? ` (${p.changes.length} change(s))` : ''}${p.conflicts.length ? ` with ${p.conflicts.length} conflict(s)` : ''}.`.trim();
      }
    }
    if (this.store.outbox.counts().queued > 0) this.ctx.background.wake('outbox');
    const list = [...missing.values(), ...results.values()];
    return { ok: list.every(isOk), targets: list };
  }

  /**
   * Another run holds the target's live row: wait until it lets go. The same change (same operation and content)
   * is then reported as joined with how it ended; anything else is planned again against what it left.
   */
  private async join(
    p: PlannedTarget,
    s: SavedPlan['targets'][number] | undefined,
    live: OutboxRow,
    lease: Lease,
    results: Map<string, ApplyTargetResult>,
    replan: Set<string>,
    waitedFor: Set<string>,
  ): Promise<void> {
    const id = p.input.targetId;
    const latest = await this.executor.awaitRelease(id, lease);
    // The change the other run sends is this one: what this plan would send, or what the saved plan being applied
    // said (a plan read while the other run's create was already stored sees nothing left to send).
    const asSaved = s !== undefined && live.op === (s.deferred ?? s.action) && live.content_hash === s.contentHash;
    const same = latest?.id === live.id && (sameWork(live, p) || asSaved) && latest.state !== 'superseded';
    if (!same) {
      waitedFor.add(id);
      replan.add(id);
      return;
    }
    const w = this.executor.joinedWork(latest);
    results.set(id, targetResult(p, 'joined', { joinedOutcome: w.outcome, reason: w.reason, remoteId: this.store.drafts.target(id)?.remote_id ?? p.input.remoteId }));
  }

  /**
   * What apply does with one planned target, inside the caller's transaction: a result now (noop, refused, conflict,
   * blocked, queued for later), an outbox row to run, a row of another run to wait for, or "plan it again" (another
   * run changed the target since it was read). `seals` shares one sealed text per document object.
   */
  private stage(p: PlannedTarget, s: SavedPlan['targets'][number] | undefined, lease: Lease, seals: Map<JsonDoc, string>, waited: boolean): Staged {
    const result = (outcome: ApplyTargetResult['outcome'], extra: Partial<ApplyTargetResult> = {}) => targetResult(p, outcome, extra);
    const id = p.input.targetId;
    const now = this.store.now();
    const live = this.store.outbox.live(id);
    // One live row per target (enforced by the schema): while another run holds it, this one waits.
    if (live && heldByOther(live, lease, now)) return { wait: live };
    const target = this.store.drafts.target(id);
    if (!target) return { result: result('refused', { reason: 'The target was removed meanwhile.' }) };
    // Planned against a state another run changed since (it chose the create's id, or recorded a change): plan again.
    if (target.remote_id !== p.input.remoteId || target.base_revision !== p.input.baseRevision) return { replan: true };
    // A row left by a run whose process is gone: this run takes it over.
    if (live && live.lease_owner !== null && live.lease_owner !== lease.owner) this.store.outbox.voidLease(live.id, live.lease_owner);
    if (live?.state === 'in_flight') {
      // Its request may have reached the cluster: send it to its end first (a resumed send looks before it writes),
      // then plan again unless it was this very change.
      return { rowId: live.id, replanAfter: !sameWork(live, p) };
    }
    if (p.action === 'noop') {
      this.rebase(p);
      return { result: result('noop', waited ? { reason: 'Another run sent a change to it meanwhile; the cluster now holds this version.' } : {}) };
    }
    if (s) {
      // The operation each side sends: a cluster that stopped (or started) answering since the plan changes whether
      // the change is sent now or queued, not what is sent (same content, same If-Match revision): not a refusal.
      const same = (s.deferred ?? s.action) === (p.deferred ?? p.action) && s.expectedRevision === p.expectedRevision && s.contentHash === p.contentHash;
      if (!same) {
        const why = s.action !== p.action ? `it is now '${p.deferred ? `${p.deferred}, queued` : p.action}' (was '${s.action}')` : s.expectedRevision !== p.expectedRevision ? `the remote revision is now ${p.expectedRevision ?? 'none'} (planned ${s.expectedRevision ?? 'none'})` : 'the draft changed';
        const reason = `Changed since the plan was saved${waited ? ' (another run sent a change to it meanwhile)' : ''}: ${why}. Run plan again.`;
        // Refused because the cluster's side moved: recorded, so the target says so until a plan or apply settles it.
        if (s.expectedRevision !== p.expectedRevision) this.store.drafts.updateTarget(id, { last_error_json: JSON.stringify({ code: 'precondition_failed', message: reason }) }, now);
        return { result: result('refused', { reason }) };
      }
    }
    if (p.action === 'conflict') {
      const reason = `Conflict on ${p.conflicts.map((c) => c.path || '(whole resource)').join(', ')}: choose mine or theirs for each field (in the plan view, or with carrier-desk resolve), then plan again.`;
      // The target shows the conflict until it is resolved, or applied again without one.
      this.store.drafts.updateTarget(id, { status: 'conflict', last_error_json: JSON.stringify({ code: 'conflict', message: reason }) }, now);
      return { result: result('failed', { reason }) };
    }
    if (p.action === 'blocked' && !p.deferred) {
      return { result: result('failed', { reason: p.blockedReasons.map((b) => b.message).join(' ') }) };
    }
    const deferred = p.action === 'blocked';
    const rowId = this.enqueue(p, planOp(p)!, seals, deferred ? null : lease, live);
    if (deferred) return { rowId, result: result('queued', { reason: p.blockedReasons.map((b) => b.message).join(' ') }) };
    return { rowId };
  }

  /**
   * Persists the outbox row (and a new resource's client-chosen id) BEFORE anything is sent, reserved for `lease`
   * (null: left for the background outbox). A free queued row holding the same change is taken over as it is; one
   * holding another change is superseded. A create keeps the id chosen for the target by any earlier apply.
   */
  private enqueue(p: PlannedTarget, op: 'create' | 'update' | 'delete', seals: Map<JsonDoc, string>, lease: Lease | null, live: OutboxRow | undefined): number {
    const at = this.store.now();
    const t = p.input;
    const seal = (doc: JsonDoc): string => {
      let text = seals.get(doc);
      if (text === undefined) seals.set(doc, (text = this.store.seal(doc)));
      return text;
    };
    return this.store.drafts.transaction(() => {
      if (live && sameWork(live, p)) {
        if (lease) this.store.outbox.reserve(live.id, lease, at + this.executor.timing.leaseMs, at);
        this.store.drafts.updateTarget(t.targetId, { status: 'queued', last_error_json: null }, at);
        return live.id;
      }
      if (live) this.store.outbox.supersede(t.targetId, at);
      let remoteId = t.remoteId;
      if (op === 'create' && !remoteId) {
        remoteId = newResourceId();
        this.store.drafts.updateTarget(t.targetId, { remote_id: remoteId }, at);
      }
      const rowId = this.store.outbox.insert(
        {
          target_id: t.targetId, op, remote_id: remoteId!, doc_json: p.send ? seal(p.send) : null,
          mine_json: t.desired ? seal(t.desired) : null, expected_revision: p.expectedRevision, content_hash: p.contentHash,
          // A deferred operation keeps why it waits (the cluster did not answer when planned): its target shows it.
          next_attempt_at: at, reason: p.action === 'blocked' ? p.blockedReasons.map((b) => b.message).join(' ') : null,
          // A create planned without a look at its scope (the cluster did not answer) looks before it is sent.
          check_existing: op === 'create' && t.existing === null && !t.createAnyway ? 1 : 0,
        },
        lease,
        lease ? at + this.executor.timing.leaseMs : null,
        at,
      );
      this.store.drafts.updateTarget(t.targetId, { status: 'queued', last_error_json: null }, at);
      return rowId;
    });
  }

  /** A noop against a new remote revision: adopt it as the base so the next plan compares with it. */
  private rebase(p: PlannedTarget): void {
    const t = p.input;
    const at = this.store.now();
    this.store.outbox.supersede(t.targetId, at);
    if (!p.rebase || t.remote.state !== 'found') {
      // Nothing to send after a fresh read: an earlier refusal or conflict of this target is settled.
      this.store.drafts.updateTarget(t.targetId, { status: 'in_sync', ...(t.remote.state === 'unknown' ? {} : { last_error_json: null }), ...(t.desired === null && t.remote.state === 'absent' ? { remote_id: null, base_revision: null, base_doc_json: null, base_mine_json: null } : {}) }, at);
      return;
    }
    const ancestor = t.baseMine ?? t.baseRemote;
    const baseMine = p.drifted && ancestor ? ancestor : t.desired ?? publicFields(t.remote.doc);
    this.store.drafts.updateTarget(
      t.targetId,
      { base_revision: t.remote.revision, base_doc_json: this.store.seal(t.remote.doc), base_mine_json: this.store.seal(baseMine), status: 'in_sync', last_error_json: null },
      at,
    );
  }
}

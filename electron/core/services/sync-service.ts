// Use cases for syncing: pull, snapshot listing, plan, apply (directly or from a saved plan), conflict
// resolution, the outbox background task and the carriers × clusters matrix.
import type { CoreContext } from '../context.ts';
import type {
  ApplyResult, ApplyTargetResult, DraftView, MatrixCell, MatrixView, PlanView, PullResult, SavedPlan, SnapshotItem, JsonDoc,
} from '../../shared/contract/sync.ts';
import { NotFoundLocalError, UserInputError } from '../errors.ts';
import { newResourceId } from '../kazoo/index.ts';
import { clone, hashDoc, publicFields } from '../drafts/canonical.ts';
import { setAt } from '../drafts/doc-path.ts';
import { buildPlan, planView, type PlanFilter } from '../sync/plan-builder.ts';
import type { PlannedTarget } from '../sync/plan.ts';
import { OutboxExecutor, type RowOutcome } from '../sync/executor.ts';
import { pullScope } from '../sync/pull.ts';
import { checkScope, type SyncStore } from '../sync/store.ts';

const OK_OUTCOMES = new Set(['done', 'noop']);

function targetResult(p: PlannedTarget, outcome: ApplyTargetResult['outcome'], extra: Partial<ApplyTargetResult> = {}): ApplyTargetResult {
  const t = p.input;
  return { targetId: t.targetId, draftName: t.draftName, clusterName: t.clusterName, scope: t.scope, action: p.action, outcome, remoteId: t.remoteId, ...extra };
}

export class SyncService {
  readonly executor: OutboxExecutor;

  constructor(
    private readonly ctx: CoreContext,
    private readonly store: SyncStore,
  ) {
    this.executor = new OutboxExecutor(store);
    ctx.background.register({ name: 'outbox', run: () => this.drainRound() });
  }

  async pull(cluster: string, scope: string | undefined, all: boolean): Promise<PullResult> {
    const row = this.store.cluster(cluster);
    return this.ctx.clients.use(row.id, async (client) => {
      let scopes: string[];
      if (all) {
        const session = await client.session();
        const descendants = await client.accounts.descendants(session.accountId).catch(() => []);
        scopes = [...(row.super_duper === 1 ? ['global'] : []), session.accountId, ...descendants.map((d) => d.id)];
      } else if (scope) scopes = [checkScope(scope)];
      else scopes = [row.account_id ?? (await client.session()).accountId];
      await this.store.schemas.refresh(row.id, client, this.store.now()).catch(() => undefined);
      const result: PullResult = { cluster: row.name, scopes: [] };
      for (const s of [...new Set(scopes)]) result.scopes.push(await pullScope(this.store, row, client, s));
      return result;
    });
  }

  resources(cluster: string, scope?: string): SnapshotItem[] {
    const row = this.store.cluster(cluster);
    const bound = new Map<string, string[]>();
    for (const b of this.store.drafts.boundTargets(row.id)) {
      const k = `${b.scope}/${b.remote_id}`;
      bound.set(k, [...(bound.get(k) ?? []), b.draft_id]);
    }
    return this.store.snapshots
      .list(row.id, scope === undefined ? undefined : checkScope(scope))
      .map((s) => this.store.snapshotItem(s, row.name, bound.get(`${s.scope}/${s.resource_id}`) ?? []));
  }

  resource(cluster: string, scope: string, id: string): { item: SnapshotItem; doc: JsonDoc } {
    const row = this.store.cluster(cluster);
    const snap = this.store.snapshots.get(row.id, checkScope(scope), id);
    if (!snap) throw new NotFoundLocalError(`Resource (pull ${row.name} first) on ${row.name}/${scope}`, id);
    const item = this.resources(cluster, scope).find((i) => i.resourceId === id)!;
    return { item, doc: this.store.open(snap.doc_json) };
  }

  async plan(filter: PlanFilter): Promise<PlanView> {
    return planView(await buildPlan(this.store, filter), this.store.now());
  }

  async apply(args: { draft?: string | undefined; cluster?: string | undefined; plan?: SavedPlan | undefined }): Promise<ApplyResult> {
    const saved = args.plan ? new Map(args.plan.targets.map((t) => [t.targetId, t])) : null;
    const results = new Map<string, ApplyTargetResult>();
    const rowTarget = new Map<number, PlannedTarget>();
    const at = this.store.now();
    // Targets of a saved plan that no longer exist come first, as the plan is gathered.
    const missing = new Map<string, ApplyTargetResult>();
    let total = 0;
    let done = 0;
    const onDone = (o: RowOutcome) => {
      const p = rowTarget.get(o.rowId)!;
      const r = targetResult(p, o.outcome === 'skipped' ? 'skipped' : o.outcome, {
        remoteId: this.store.drafts.target(p.input.targetId)?.remote_id ?? p.input.remoteId,
        ...(o.revision ? { revision: o.revision } : {}), ...(o.reason ? { reason: o.reason } : {}), ...(o.error ? { error: o.error } : {}),
      });
      results.set(p.input.targetId, r);
      this.ctx.events.emit('sync.progress', { targetId: r.targetId, draftName: r.draftName, clusterName: r.clusterName, scope: r.scope, action: r.action, outcome: r.outcome, done: ++done, total });
    };
    // A target's change is persisted and started as soon as it is planned (right after its own read; a cluster's
    // creates together, in one transaction), while other targets are still being read. Every outbox row is still
    // committed before its request is sent, and the executor keeps its per-cluster limit across the whole apply.
    const feed = this.executor.feed(onDone);
    const seals = new Map<JsonDoc, string>();
    const onPlanned = (targets: PlannedTarget[]) => {
      const toRun: { id: number; clusterId: string }[] = [];
      const before = results.size;
      this.store.drafts.transaction(() => {
        for (const p of targets) {
          const r = this.stage(p, saved?.get(p.input.targetId), at, seals);
          if (r.rowId !== undefined) rowTarget.set(r.rowId, p);
          if (r.result) results.set(p.input.targetId, r.result);
          else if (r.rowId !== undefined) toRun.push({ id: r.rowId, clusterId: p.input.clusterId });
        }
      });
      done += results.size - before;
      this.store.outboxChanged();
      feed.add(toRun);
    };
    const onTargets = (ids: string[]) => {
      const fresh = new Set(ids);
      for (const [id, s] of saved ?? []) {
        if (fresh.has(id)) continue;
        missing.set(id, { targetId: id, draftName: s.draftId, clusterName: s.clusterId, scope: s.scope, action: s.action, outcome: 'refused', remoteId: s.remoteId, reason: 'The target no longer exists.' });
      }
      total = ids.length + missing.size;
      done = missing.size;
    };
    let planError: unknown = null;
    await buildPlan(this.store, { draft: args.draft, cluster: args.cluster, ...(saved ? { targetIds: new Set(saved.keys()) } : {}) }, { onTargets, onPlanned }).catch((e: unknown) => {
      planError = e;
    });
    // Rows already started keep running to their recorded end even if planning failed for others.
    const outcomes = await feed.close();
    if (planError) throw planError;
    // A target refused with 412 is re-planned so the person sees what it would take now; nothing more is sent.
    const stale = outcomes.filter((o) => o.outcome === 'stale').map((o) => o.targetId);
    if (stale.length > 0) {
      const again = await buildPlan(this.store, { targetIds: new Set(stale) }).catch(() => null);
      for (const p of again?.targets ?? []) {
        const r = results.get(p.input.targetId);
        if (r) r.reason = `${r.reason ?? ''} Re-planned: now '${p.action}'${p.changes.length ? ` (${p.changes.length} change(s))` : ''}${p.conflicts.length ? ` with ${p.conflicts.length} conflict(s)` : ''}.`.trim();
      }
    }
    if (this.store.outbox.counts().queued > 0) this.ctx.background.wake('outbox');
    const list = [...missing.values(), ...results.values()];
    return { ok: list.every((r) => OK_OUTCOMES.has(r.outcome)), targets: list };
  }

  /**
   * What apply does with one planned target, inside the caller's transaction: a result now (noop, refused, conflict,
   * blocked, queued for later), and/or an outbox row to run. `seals` shares one sealed text per document object.
   */
  private stage(p: PlannedTarget, s: SavedPlan['targets'][number] | undefined, at: number, seals: Map<JsonDoc, string>): { result?: ApplyTargetResult; rowId?: number } {
    const result = (outcome: ApplyTargetResult['outcome'], extra: Partial<ApplyTargetResult> = {}) => targetResult(p, outcome, extra);
    const id = p.input.targetId;
    if (p.action === 'noop') {
      this.rebase(p);
      return { result: result('noop') };
    }
    if (s) {
      const same = s.action === p.action && (s.deferred ?? null) === (p.deferred ?? null) && s.expectedRevision === p.expectedRevision && s.contentHash === p.contentHash;
      if (!same) {
        const why = s.action !== p.action ? `it is now '${p.action}' (was '${s.action}')` : s.expectedRevision !== p.expectedRevision ? `the remote revision is now ${p.expectedRevision ?? 'none'} (planned ${s.expectedRevision ?? 'none'})` : 'the draft changed';
        return { result: result('refused', { reason: `Changed since the plan was saved: ${why}. Run plan again.` }) };
      }
    }
    if (p.action === 'conflict') {
      this.store.drafts.updateTarget(id, { status: 'conflict' }, at);
      return { result: result('failed', { reason: `Conflict on ${p.conflicts.map((c) => c.path || '(whole resource)').join(', ')}: choose mine or theirs for each field (in the plan view, or with carrier-desk resolve), then plan again.` }) };
    }
    if (p.action === 'blocked' && !p.deferred) {
      return { result: result('failed', { reason: p.blockedReasons.map((b) => b.message).join(' ') }) };
    }
    const op = p.action === 'blocked' ? p.deferred! : (p.action as 'create' | 'update' | 'delete');
    const rowId = this.enqueue(p, op, seals);
    if (p.action === 'blocked') return { rowId, result: result('queued', { reason: p.blockedReasons.map((b) => b.message).join(' ') }) };
    return { rowId };
  }

  /** Persists the outbox row (and a new resource's client-chosen id) BEFORE anything is sent. */
  private enqueue(p: PlannedTarget, op: 'create' | 'update' | 'delete', seals: Map<JsonDoc, string>): number {
    const at = this.store.now();
    const t = p.input;
    const seal = (doc: JsonDoc): string => {
      let text = seals.get(doc);
      if (text === undefined) seals.set(doc, (text = this.store.seal(doc)));
      return text;
    };
    return this.store.drafts.transaction(() => {
      let remoteId = t.remoteId;
      if (op === 'create' && !remoteId) {
        remoteId = newResourceId();
        this.store.drafts.updateTarget(t.targetId, { remote_id: remoteId }, at);
      }
      const rowId = this.store.outbox.enqueue(
        {
          target_id: t.targetId, op, remote_id: remoteId!, doc_json: p.send ? seal(p.send) : null,
          mine_json: t.desired ? seal(t.desired) : null, expected_revision: p.expectedRevision, content_hash: p.contentHash,
          next_attempt_at: at, reason: null,
        },
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
      this.store.drafts.updateTarget(t.targetId, { status: 'in_sync', ...(t.desired === null && t.remote.state === 'absent' ? { remote_id: null, base_revision: null, base_doc_json: null, base_mine_json: null } : {}) }, at);
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

  async resolve(args: { draft: string; cluster: string; scope: string; choices: Record<string, 'mine' | 'theirs'>; default?: 'mine' | 'theirs' | undefined }): Promise<DraftView> {
    const d = this.store.draft(args.draft);
    const cluster = this.store.cluster(args.cluster);
    const target = this.store.drafts.targetFor(d.id, cluster.id, checkScope(args.scope));
    if (!target) throw new NotFoundLocalError(`Target of draft '${d.name}'`, `${cluster.name}/${args.scope}`);
    const planned = (await buildPlan(this.store, { targetIds: new Set([target.id]) })).targets[0];
    if (!planned || planned.action !== 'conflict') throw new UserInputError(`There is no conflict to resolve on ${cluster.name}/${args.scope} (the plan says '${planned?.action ?? 'nothing'}').`);
    const pick = (path: string) => {
      const c = args.choices[path] ?? args.default;
      if (!c) throw new UserInputError(`Choose mine or theirs for ${path || 'the whole resource'} (or give a default).`);
      return c;
    };
    const at = this.store.now();
    const remote = planned.input.remote;
    const whole = planned.conflicts.length === 1 && planned.conflicts[0]!.path === '';
    if (whole && remote.state !== 'found') {
      // Deleted on the cluster, still in the draft: mine = create it again (new id), theirs = drop this target.
      if (pick('') === 'mine') this.store.drafts.updateTarget(target.id, { remote_id: null, base_revision: null, base_doc_json: null, base_mine_json: null, status: 'new' }, at);
      else this.store.drafts.removeTarget(target.id);
    } else if (remote.state === 'found') {
      const theirs = publicFields(remote.doc);
      if (whole) {
        // Marked for deletion here, changed there: mine = delete anyway, theirs = keep it and take their document.
        if (pick('') === 'theirs') {
          this.store.drafts.setDeletedMark(d.id, false, at);
          this.store.saveVersion(d, theirs, `resolved: took ${cluster.name}/${args.scope} (revision ${remote.revision})`);
        }
      } else {
        const doc = clone(planned.send ?? theirs);
        for (const c of planned.conflicts) if (pick(c.path) === 'theirs') setAt(doc, c.path, c.theirs === undefined ? undefined : clone(c.theirs));
        const chosen = planned.conflicts.map((c) => `${c.path}=${pick(c.path)}`).join(', ');
        this.store.saveVersion(d, publicFields(doc), `resolved against ${cluster.name}/${args.scope} revision ${remote.revision}: ${chosen}`.slice(0, 500));
      }
      this.store.drafts.updateTarget(
        target.id,
        { base_revision: remote.revision, base_doc_json: this.store.seal(remote.doc), base_mine_json: this.store.seal(theirs), status: 'new', last_error_json: null },
        at,
      );
    }
    this.store.changed(d.id);
    return this.store.view(d.id);
  }

  /** One round of the outbox: runs what is due; returns the delay until the next due row (null: nothing queued). */
  async drainRound(): Promise<number | null> {
    const due = this.store.outbox.due(this.store.now());
    if (due.length > 0) {
      const rows = due
        .map((r) => ({ id: r.id, clusterId: this.store.drafts.target(r.target_id)?.cluster_id ?? '' }))
        .filter((r) => r.clusterId);
      await this.executor.runMany(rows);
    }
    const next = this.store.outbox.nextDue();
    return next === null ? null : Math.max(250, next - this.store.now());
  }

  /** Runs every queued operation now, whatever its backoff says (a person asked for it). */
  async drain(): Promise<{ attempted: number; done: number; failed: number; queued: number }> {
    const due = this.store.outbox.due(this.store.now(), 500, true);
    const rows = due.map((r) => ({ id: r.id, clusterId: this.store.drafts.target(r.target_id)?.cluster_id ?? '' })).filter((r) => r.clusterId);
    const out = await this.executor.runMany(rows);
    return {
      attempted: out.filter((o) => o.outcome !== 'skipped').length,
      done: out.filter((o) => o.outcome === 'done').length,
      failed: out.filter((o) => o.outcome === 'failed' || o.outcome === 'stale').length,
      queued: this.store.outbox.counts().queued,
    };
  }

  matrix(): MatrixView {
    const columns = new Map<string, MatrixView['columns'][number]>();
    const rows: MatrixView['rows'] = [];
    for (const d of this.store.drafts.list()) {
      const cells: Record<string, MatrixCell> = {};
      const docHash = hashDoc(this.store.currentDoc(d));
      for (const t of this.store.drafts.targets(d.id)) {
        const c = this.ctx.clusters.find(t.cluster_id);
        const key = `${t.cluster_id}/${t.scope}`;
        if (!columns.has(key)) columns.set(key, { key, clusterId: t.cluster_id, clusterName: c?.name ?? t.cluster_id, scope: t.scope });
        cells[key] = this.cell(t, d.deleted_mark === 1, docHash, c?.super_duper ?? null);
      }
      rows.push({ draftId: d.id, name: d.name, markedForDelete: d.deleted_mark === 1, cells });
    }
    const cols = [...columns.values()].sort((a, b) => a.clusterName.localeCompare(b.clusterName) || a.scope.localeCompare(b.scope));
    for (const r of rows) for (const c of cols) r.cells[c.key] ??= 'untargeted';
    return { columns: cols, rows };
  }

  private cell(t: import('../db/repos/drafts-repo.ts').TargetRow, deleting: boolean, docHash: string, superDuper: number | null): MatrixCell {
    if (t.status === 'conflict') return 'conflict';
    if (t.status === 'queued' || t.status === 'in_flight') return 'queued';
    if (t.status === 'failed' || t.status === 'stale') return 'failed';
    if (t.scope === 'global' && superDuper === 0) return 'blocked';
    if (deleting) return t.remote_id && t.base_revision ? 'pending' : 'in-sync';
    if (!t.remote_id || !t.base_revision) return 'missing';
    const snap = this.store.snapshots.get(t.cluster_id, t.scope, t.remote_id);
    if (snap && snap.revision !== t.base_revision) return 'drifted';
    const mineHash = t.base_mine_json ? hashDoc(this.store.open(t.base_mine_json)) : null;
    return mineHash === docHash ? 'in-sync' : 'pending';
  }
}

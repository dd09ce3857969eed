// Use cases for syncing: pull, snapshot listing, plan, apply (directly or from a saved plan), conflict
// resolution, the outbox background task and the carriers × clusters matrix.
import { NameBook } from '../sync/name-book.ts';
import { hostname } from 'node:os';
import type { CoreContext } from '../context.ts';
import type {
  ApplyResult, DraftView, MatrixView, PlanView, PullResult, PullScopeResult, SavedPlan, SnapshotItem, JsonDoc,
} from '../../shared/contract/sync.ts';
import { NotFoundLocalError, UserInputError } from '../errors.ts';
import { clone, publicFields } from '../drafts/canonical.ts';
import { setAt } from '../drafts/doc-path.ts';
import { buildPlan, planView, type PlanFilter } from '../sync/plan-builder.ts';
import { OutboxExecutor } from '../sync/executor.ts';
import { heldByOther } from '../sync/lease.ts';
import { ApplyRun } from '../sync/apply-run.ts';
import { PULL_CONCURRENCY, pullScope } from '../sync/pull.ts';
import { Limiter } from '../sync/pool.ts';
import type { ClusterRow } from '../db/repos/clusters-repo.ts';
import type { KazooClient } from '../kazoo/index.ts';
import { buildMatrix, refreshScopes } from '../sync/matrix.ts';
import { pullRoutingData } from '../routing-data/pull-routing.ts';
import { maskStored } from '../drafts/secret-fields.ts';
import { checkScope, type SyncStore } from '../sync/store.ts';

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
      // Routing data (classifiers, configs, account tree) is read beside the resources; it never fails the pull.
      const routing = pullRoutingData(this.store.routing, row, client, () => this.store.now()).catch(() => undefined);
      const result: PullResult = { cluster: row.name, scopes: [] };
      try {
        result.scopes = await this.pullScopes(row, client, [...new Set(scopes)]);
      } finally {
        // Awaited even when a scope failed, so nothing is still writing once the pull has answered.
        const r = await routing;
        if (r) result.routing = r;
        this.ctx.events.emit('routing.changed', { clusterId: row.id });
        this.ctx.events.emit('snapshots.changed', { clusterId: row.id });
      }
      return result;
    });
  }

  /**
   * Pulls the scopes side by side under one limit of PULL_CONCURRENCY requests (an account or two of resources
   * each kept 2 requests in flight when pulled one after another), reporting 'pull.progress' as each finishes.
   * The first scope that fails stops the others (their waiting requests are dropped, those in flight aborted) and
   * fails the pull with its error, as before.
   */
  private async pullScopes(row: ClusterRow, client: KazooClient, scopes: string[]): Promise<PullScopeResult[]> {
    const limiter = new Limiter(PULL_CONCURRENCY);
    let first: { error: unknown } | undefined;
    let done = 0;
    const progress = () => this.ctx.events.emit('pull.progress', { clusterId: row.id, cluster: row.name, done, total: scopes.length });
    progress();
    const settled = await Promise.allSettled(
      scopes.map(async (s) => {
        try {
          return await pullScope(this.store, row, client, s, limiter);
        } catch (e) {
          // The first failure is the cause; the scopes it stopped fail after it with "stopped".
          first ??= { error: e };
          limiter.close(e);
          throw e;
        } finally {
          done++;
          progress();
        }
      }),
    );
    if (first) throw first.error;
    return settled.map((r) => (r as PromiseFulfilledResult<PullScopeResult>).value);
  }

  resources(cluster: string, scope?: string): SnapshotItem[] {
    const row = this.store.cluster(cluster);
    const bound = new Map<string, string[]>();
    for (const b of this.store.drafts.boundTargets(row.id)) {
      const k = `${b.scope}/${b.remote_id}`;
      bound.set(k, [...(bound.get(k) ?? []), b.draft_id]);
    }
    const names = new NameBook(this.store);
    return this.store.snapshots.list(row.id, scope === undefined ? undefined : checkScope(scope)).map((s) => {
      const scopeName = names.scopeName(row.id, s.scope);
      return { ...this.store.snapshotItem(s, row.name, bound.get(`${s.scope}/${s.resource_id}`) ?? []), ...(scopeName ? { scopeName } : {}) };
    });
  }

  pulledScopes(cluster: string): { scope: string; pulledAt: number }[] {
    return this.store.snapshots.pulledScopes(this.store.cluster(cluster).id).map((s) => ({ scope: s.scope, pulledAt: s.pulled_at }));
  }

  /** One pulled resource, its secrets masked unless showSecrets. */
  resource(cluster: string, scope: string, id: string, showSecrets = false): { item: SnapshotItem; doc: JsonDoc } {
    const row = this.store.cluster(cluster);
    const snap = this.store.snapshots.get(row.id, checkScope(scope), id);
    if (!snap) throw new NotFoundLocalError(`Resource (pull ${row.name} first) on ${row.name}/${scope}`, id);
    const item = this.resources(cluster, scope).find((i) => i.resourceId === id)!;
    return { item, doc: showSecrets ? this.store.open(snap.doc_json) : maskStored(JSON.parse(snap.doc_json) as JsonDoc, this.ctx.secrets) };
  }

  async plan(filter: PlanFilter): Promise<PlanView> {
    return planView(await buildPlan(this.store, filter), this.store.now());
  }

  /** Plans and applies now (or applies a saved plan); see ApplyRun for how parallel runs share the work. */
  apply(args: { draft?: string | undefined; cluster?: string | undefined; plan?: SavedPlan | undefined }): Promise<ApplyResult> {
    return new ApplyRun(this.ctx, this.store, this.executor).run(args);
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
    // One immediate transaction (issue 15): refused while a change to the target is queued or in flight, or when the
    // target changed since it was read (an apply in another process), so the choice never lands beside a send.
    this.store.drafts.transaction(() => {
      const fresh = this.store.drafts.target(target.id);
      if (!fresh || this.store.outbox.live(target.id) || fresh.remote_id !== target.remote_id || fresh.base_revision !== target.base_revision) {
        throw this.store.targetBusy(d.name, target, cluster.name);
      }
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
    });
    this.store.changed(d.id);
    return this.store.view(d.id);
  }

  /** One round of the outbox: runs what is due; returns the delay until the next due row (null: nothing queued). */
  async drainRound(): Promise<number | null> {
    const rows = this.dueRows(false);
    if (rows.length > 0) await this.executor.runMany(rows);
    const next = this.store.outbox.nextDue();
    return next === null ? null : Math.max(250, next - this.store.now());
  }

  /** Runs every queued operation now, whatever its backoff says (a person asked for it). */
  async drain(): Promise<{ attempted: number; done: number; failed: number; queued: number }> {
    const out = await this.executor.runMany(this.dueRows(true));
    return {
      attempted: out.filter((o) => o.outcome !== 'skipped').length,
      done: out.filter((o) => o.outcome === 'done').length,
      failed: out.filter((o) => o.outcome === 'failed' || o.outcome === 'stale').length,
      queued: this.store.outbox.counts().queued,
    };
  }

  /** Rows the outbox may run now: due (or all queued when forced), not held by another run that is alive. */
  private dueRows(force: boolean): { id: number; clusterId: string }[] {
    const now = this.store.now();
    return this.store.outbox
      .due(now, hostname(), 500, force)
      .filter((r) => !heldByOther(r, null, now))
      .map((r) => ({ id: r.id, clusterId: this.store.drafts.target(r.target_id)?.cluster_id ?? '' }))
      .filter((r) => r.clusterId);
  }

  /** The Overview from stored state; with refresh, every pulled (or targeted) scope is read again first. */
  async matrix(refresh: boolean): Promise<MatrixView> {
    const read = refresh ? await refreshScopes(this.store) : undefined;
    return { ...buildMatrix(this.store), ...(read ? { refresh: read } : {}) };
  }
}

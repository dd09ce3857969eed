// Runs outbox rows against the clusters: each row is claimed (persisted as in flight) BEFORE the remote call and
// its result is recorded in one transaction (target bases, outbox state, snapshot, audit). A row resumed after a
// crash looks first, so a create whose reply was lost is found, not repeated.
import type { ErrorValue } from '../../shared/result.ts';
import type { ApplyOutcome, FieldChangeView } from '../../shared/contract/sync.ts';
import { AppError, toErrorValue } from '../errors.ts';
import { containsSent, NotFoundError, PreconditionFailedError, type KazooClient, type Scope } from '../kazoo/index.ts';
import type { OutboxRow } from '../db/repos/outbox-repo.ts';
import type { TargetRow } from '../db/repos/drafts-repo.ts';
import { hashDoc, publicFields, type JsonObject } from '../drafts/canonical.ts';
import { diffDocs } from '../drafts/diff.ts';
import { isSecretPath, maskSecrets } from '../drafts/secret-fields.ts';
import { isOffline } from './remote.ts';
import { toScope, type SyncStore } from './store.ts';

export const LEASE_MS = 120_000;
export const PER_CLUSTER_CONCURRENCY = 4;

export interface RowOutcome {
  rowId: number;
  targetId: string;
  outcome: Exclude<ApplyOutcome, 'noop' | 'refused' | 'skipped'> | 'skipped';
  revision?: string;
  reason?: string;
  error?: ErrorValue;
}

/** Backoff for a cluster that did not answer: 5 s, 10 s, 20 s ... capped at 10 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(600_000, 5_000 * 2 ** Math.max(0, attempts - 1));
}

export function maskChanges(changes: FieldChangeView[]): FieldChangeView[] {
  return changes.map((c) => {
    if (!isSecretPath(c.path)) return { ...c, ...(c.before !== undefined ? { before: maskSecrets(c.before) } : {}), ...(c.after !== undefined ? { after: maskSecrets(c.after) } : {}) };
    return { path: c.path, kind: c.kind, ...(c.before !== undefined ? { before: '***' } : {}), ...(c.after !== undefined ? { after: '***' } : {}) };
  });
}

interface Done {
  doc: JsonObject | null;
  revision: string | null;
  requestId: string | null;
}

export class OutboxExecutor {
  constructor(private readonly store: SyncStore) {}

  /** clusterName: the audit's name for the row's cluster, when the caller already has it (runMany looks it up once). */
  async run(rowId: number, clusterName?: string): Promise<RowOutcome> {
    const s = this.store;
    const now = s.now();
    // The claim and the target's in-flight status are committed together, before the remote call.
    const claimed = s.drafts.transaction((): RowOutcome | { row: OutboxRow; target: TargetRow } => {
      const pre = s.outbox.get(rowId);
      if (!pre || !s.outbox.claim(rowId, now, LEASE_MS)) return { rowId, targetId: pre?.target_id ?? '', outcome: 'skipped', reason: 'taken by another run' };
      const row = s.outbox.get(rowId)!;
      const target = s.drafts.target(row.target_id);
      if (!target) {
        s.outbox.finish(rowId, 'failed', 'The target was removed.', now);
        return { rowId, targetId: row.target_id, outcome: 'failed', reason: 'The target was removed.' };
      }
      s.drafts.updateTarget(target.id, { status: 'in_flight' }, now);
      return { row, target };
    });
    if ('outcome' in claimed) return claimed;
    const { row, target } = claimed;
    s.outboxChanged();
    const scope = toScope(target.scope);
    const sent = row.doc_json ? s.open(row.doc_json) : null;
    try {
      const done = await s.ctx.clients.use(target.cluster_id, (client) => this.perform(client, scope, row, sent));
      this.recordSuccess(row, target, sent, done, clusterName);
      return { rowId, targetId: target.id, outcome: 'done', ...(done.revision ? { revision: done.revision } : {}) };
    } catch (e) {
      return this.recordFailure(row, target, sent, e, clusterName);
    } finally {
      s.outboxChanged();
    }
  }

  private async perform(client: KazooClient, scope: Scope, row: OutboxRow, sent: JsonObject | null): Promise<Done> {
    const id = row.remote_id;
    const resumed = row.attempts > 1;
    const current = async () => {
      try {
        return await client.resources.get(scope, id);
      } catch (e) {
        if (e instanceof NotFoundError && !e.endpointMissing) return null;
        throw e;
      }
    };
    if (row.op === 'create') {
      if (resumed) {
        const got = await current();
        if (got) return { doc: got.doc, revision: got.revision ?? null, requestId: got.requestId };
      }
      const created = await client.resources.create(scope, { ...sent!, id });
      return { doc: created.doc, revision: created.revision ?? null, requestId: created.requestId };
    }
    if (row.op === 'update') {
      try {
        const r = await client.resources.update(scope, id, { ...sent! }, { ifMatch: row.expected_revision ?? '*' });
        return { doc: r.doc, revision: r.revision ?? null, requestId: r.requestId };
      } catch (e) {
        // A retried POST whose first attempt was stored answers 412: accept it only if the cluster holds what we sent.
        if (!(e instanceof PreconditionFailedError)) throw e;
        const got = await current();
        if (got && containsSent(got.doc, sent)) return { doc: got.doc, revision: got.revision ?? null, requestId: got.requestId };
        throw e;
      }
    }
    try {
      const r = await client.resources.delete(scope, id, row.expected_revision ? { ifMatch: row.expected_revision } : {});
      return { doc: null, revision: null, requestId: r.requestId };
    } catch (e) {
      if (e instanceof NotFoundError && !e.endpointMissing) return { doc: null, revision: null, requestId: null };
      if (e instanceof PreconditionFailedError && (await current()) === null) return { doc: null, revision: null, requestId: null };
      throw e;
    }
  }

  private clusterName(clusterId: string, known: string | undefined): string {
    return known ?? this.store.ctx.clusters.find(clusterId)?.name ?? clusterId;
  }

  private recordSuccess(row: OutboxRow, target: TargetRow, sent: JsonObject | null, done: Done, clusterName?: string): void {
    const s = this.store;
    const at = s.now();
    const name = this.clusterName(target.cluster_id, clusterName);
    const before = target.base_doc_json ? publicFields(s.open(target.base_doc_json)) : undefined;
    s.drafts.transaction(() => {
      if (row.op === 'delete') {
        s.drafts.updateTarget(target.id, { remote_id: null, base_revision: null, base_doc_json: null, base_mine_json: null, last_applied_hash: null, status: 'done', last_error_json: null }, at);
        s.snapshots.remove(target.cluster_id, target.scope, row.remote_id);
      } else {
        // A reply without the document (some servers answer writes with little data): the sent one is the base.
        const doc = done.doc && Object.keys(publicFields(done.doc)).length > 0 ? done.doc : (sent ?? {});
        const docJson = s.seal(doc);
        s.drafts.updateTarget(
          target.id,
          { remote_id: row.remote_id, base_revision: done.revision, base_doc_json: docJson, base_mine_json: row.mine_json, last_applied_hash: row.content_hash, status: 'done', last_error_json: null },
          at,
        );
        if (done.revision) {
          s.snapshots.upsert({
            cluster_id: target.cluster_id, scope: target.scope, resource_id: row.remote_id, name: typeof doc.name === 'string' ? doc.name : row.remote_id,
            enabled: doc.enabled === false ? 0 : 1, doc_json: docJson, revision: done.revision, fetched_at: at,
          });
        }
      }
      s.outbox.finish(row.id, 'done', null, at);
      s.audit.insert({
        at, cluster_id: target.cluster_id, cluster_name: name, scope: target.scope, resource_id: row.remote_id,
        draft_id: target.draft_id, action: row.op, diff_json: JSON.stringify(maskChanges(diffDocs(before ?? {}, sent ? publicFields(sent) : {}))),
        before_hash: before ? hashDoc(before) : null, after_hash: done.doc ? hashDoc(publicFields(done.doc)) : null,
        request_id: done.requestId, result: 'ok', error: null,
      });
    });
  }

  private recordFailure(row: OutboxRow, target: TargetRow, sent: JsonObject | null, e: unknown, clusterName?: string): RowOutcome {
    const s = this.store;
    const at = s.now();
    const error = toErrorValue(e);
    const code = e instanceof AppError ? e.code : 'internal';
    if (isOffline(e) || code === 'rate_limited' || code === 'server_error') {
      const reason = `${code === 'rate_limited' ? 'The cluster asked to slow down' : code === 'server_error' ? 'The cluster had a server error' : 'The cluster did not answer'}: ${error.message}`;
      s.drafts.transaction(() => {
        s.outbox.requeue(row.id, at + retryDelayMs(row.attempts), reason, at);
        s.drafts.updateTarget(target.id, { status: 'queued', last_error_json: JSON.stringify(error) }, at);
      });
      return { rowId: row.id, targetId: target.id, outcome: 'queued', reason, error };
    }
    const stale = e instanceof PreconditionFailedError;
    const reason = stale ? 'The resource changed on the cluster since the plan (If-Match refused); run plan again.' : error.message;
    const name = this.clusterName(target.cluster_id, clusterName);
    s.drafts.transaction(() => {
      s.outbox.finish(row.id, 'failed', reason, at);
      s.drafts.updateTarget(target.id, { status: stale ? 'stale' : 'failed', last_error_json: JSON.stringify(error) }, at);
      s.audit.insert({
        at, cluster_id: target.cluster_id, cluster_name: name, scope: target.scope, resource_id: row.remote_id,
        draft_id: target.draft_id, action: row.op, diff_json: JSON.stringify(maskChanges(diffDocs({}, sent ? publicFields(sent) : {}))),
        before_hash: null, after_hash: null, request_id: (e as { requestId?: string }).requestId ?? null, result: 'failed', error: reason,
      });
    });
    return { rowId: row.id, targetId: target.id, outcome: stale ? 'stale' : 'failed', reason, error };
  }

  /** Runs rows grouped per cluster: PER_CLUSTER_CONCURRENCY at a time per cluster, clusters in parallel. */
  async runMany(rows: { id: number; clusterId: string }[], onDone?: (o: RowOutcome) => void): Promise<RowOutcome[]> {
    const feed = this.feed(onDone);
    feed.add(rows);
    return feed.close();
  }

  /**
   * Like runMany, for rows that arrive over time (apply starts a target's write as soon as it is planned): rows
   * start as soon as they are added, still at most PER_CLUSTER_CONCURRENCY in flight per cluster. close() resolves
   * with every outcome once no more rows will be added and all have finished.
   */
  feed(onDone?: (o: RowOutcome) => void): { add(rows: { id: number; clusterId: string }[]): void; close(): Promise<RowOutcome[]> } {
    interface Lane { ids: number[]; next: number; active: number; offline: RowOutcome | null; name: string }
    const lanes = new Map<string, Lane>();
    const out: RowOutcome[] = [];
    const running = new Set<Promise<void>>();
    let failure: { error: unknown } | null = null;
    const worker = async (lane: Lane) => {
      while (lane.next < lane.ids.length) {
        const id = lane.ids[lane.next++]!;
        let o: RowOutcome;
        if (lane.offline) {
          // The cluster did not answer: queue the rest without waiting for each to time out.
          o = this.defer(id, lane.offline);
        } else {
          o = await this.run(id, lane.name);
          if (o.outcome === 'queued' && o.error && ['unreachable', 'network', 'timeout', 'tls'].includes(o.error.code)) lane.offline = o;
        }
        out.push(o);
        onDone?.(o);
      }
    };
    const start = (lane: Lane) => {
      lane.active++;
      const p: Promise<void> = worker(lane)
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => {
          lane.active--;
          running.delete(p);
        });
      running.add(p);
    };
    return {
      add: (rows) => {
        for (const r of rows) {
          let lane = lanes.get(r.clusterId);
          if (!lane) lanes.set(r.clusterId, (lane = { ids: [], next: 0, active: 0, offline: null, name: this.clusterName(r.clusterId, undefined) }));
          lane.ids.push(r.id);
          // Every running worker is busy with a row; a free slot takes the new one now.
          if (lane.active < PER_CLUSTER_CONCURRENCY && lane.next < lane.ids.length) start(lane);
        }
      },
      close: async () => {
        while (running.size > 0) await Promise.all(running);
        if (failure) throw failure.error;
        return out;
      },
    };
  }

  private defer(id: number, like: RowOutcome): RowOutcome {
    const s = this.store;
    const row = s.outbox.get(id);
    if (!row || row.state !== 'queued') return { rowId: id, targetId: row?.target_id ?? '', outcome: 'skipped' };
    const at = s.now();
    s.drafts.transaction(() => {
      s.outbox.requeue(id, at + retryDelayMs(Math.max(1, row.attempts)), like.reason ?? 'The cluster did not answer.', at);
      s.drafts.updateTarget(row.target_id, { status: 'queued' }, at);
    });
    return { rowId: id, targetId: row.target_id, outcome: 'queued', ...(like.reason ? { reason: like.reason } : {}), ...(like.error ? { error: like.error } : {}) };
  }
}

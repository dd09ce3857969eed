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

  async run(rowId: number): Promise<RowOutcome> {
    const s = this.store;
    const now = s.now();
    const pre = s.outbox.get(rowId);
    if (!pre || !s.outbox.claim(rowId, now, LEASE_MS)) return { rowId, targetId: pre?.target_id ?? '', outcome: 'skipped', reason: 'taken by another run' };
    const row = s.outbox.get(rowId)!;
    const target = s.drafts.target(row.target_id);
    if (!target) {
      s.outbox.finish(rowId, 'failed', 'The target was removed.', now);
      return { rowId, targetId: row.target_id, outcome: 'failed', reason: 'The target was removed.' };
    }
    s.drafts.updateTarget(target.id, { status: 'in_flight' }, now);
    s.outboxChanged();
    const scope = toScope(target.scope);
    const sent = row.doc_json ? s.open(row.doc_json) : null;
    try {
      const done = await s.ctx.clients.use(target.cluster_id, (client) => this.perform(client, scope, row, sent));
      this.recordSuccess(row, target, sent, done);
      return { rowId, targetId: target.id, outcome: 'done', ...(done.revision ? { revision: done.revision } : {}) };
    } catch (e) {
      return this.recordFailure(row, target, sent, e);
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

  private recordSuccess(row: OutboxRow, target: TargetRow, sent: JsonObject | null, done: Done): void {
    const s = this.store;
    const at = s.now();
    const cluster = s.ctx.clusters.find(target.cluster_id);
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
        at, cluster_id: target.cluster_id, cluster_name: cluster?.name ?? target.cluster_id, scope: target.scope, resource_id: row.remote_id,
        draft_id: target.draft_id, action: row.op, diff_json: JSON.stringify(maskChanges(diffDocs(before ?? {}, sent ? publicFields(sent) : {}))),
        before_hash: before ? hashDoc(before) : null, after_hash: done.doc ? hashDoc(publicFields(done.doc)) : null,
        request_id: done.requestId, result: 'ok', error: null,
      });
    });
  }

  private recordFailure(row: OutboxRow, target: TargetRow, sent: JsonObject | null, e: unknown): RowOutcome {
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
    const cluster = s.ctx.clusters.find(target.cluster_id);
    s.drafts.transaction(() => {
      s.outbox.finish(row.id, 'failed', reason, at);
      s.drafts.updateTarget(target.id, { status: stale ? 'stale' : 'failed', last_error_json: JSON.stringify(error) }, at);
      s.audit.insert({
        at, cluster_id: target.cluster_id, cluster_name: cluster?.name ?? target.cluster_id, scope: target.scope, resource_id: row.remote_id,
        draft_id: target.draft_id, action: row.op, diff_json: JSON.stringify(maskChanges(diffDocs({}, sent ? publicFields(sent) : {}))),
        before_hash: null, after_hash: null, request_id: (e as { requestId?: string }).requestId ?? null, result: 'failed', error: reason,
      });
    });
    return { rowId: row.id, targetId: target.id, outcome: stale ? 'stale' : 'failed', reason, error };
  }

  /** Runs rows grouped per cluster: PER_CLUSTER_CONCURRENCY at a time per cluster, clusters in parallel. */
  async runMany(rows: { id: number; clusterId: string }[], onDone?: (o: RowOutcome) => void): Promise<RowOutcome[]> {
    const byCluster = new Map<string, number[]>();
    for (const r of rows) byCluster.set(r.clusterId, [...(byCluster.get(r.clusterId) ?? []), r.id]);
    const out: RowOutcome[] = [];
    await Promise.all(
      [...byCluster.values()].map(async (ids) => {
        let next = 0;
        let offline: RowOutcome | null = null;
        const worker = async () => {
          while (next < ids.length) {
            const id = ids[next++]!;
            let o: RowOutcome;
            if (offline) {
              // The cluster did not answer: queue the rest without waiting for each to time out.
              o = this.defer(id, offline);
            } else {
              o = await this.run(id);
              if (o.outcome === 'queued' && o.error && ['unreachable', 'network', 'timeout', 'tls'].includes(o.error.code)) offline = o;
            }
            out.push(o);
            onDone?.(o);
          }
        };
        await Promise.all(Array.from({ length: Math.min(PER_CLUSTER_CONCURRENCY, ids.length) }, worker));
      }),
    );
    return out;
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

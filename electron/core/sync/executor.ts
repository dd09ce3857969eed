// Runs outbox rows against the clusters: each row is claimed (persisted as in flight) BEFORE the remote call and
// its result is recorded in one transaction (target bases, outbox state, snapshot, audit). A row resumed after a
// crash looks first, so a create whose reply was lost is found, not repeated.
import type { ErrorValue } from '../../shared/result.ts';
import type { ApplyOutcome, FieldChangeView } from '../../shared/contract/sync.ts';
import { AppError, toErrorValue } from '../errors.ts';
import { PreconditionFailedError } from '../kazoo/index.ts';
import type { OutboxRow } from '../db/repos/outbox-repo.ts';
import type { TargetRow } from '../db/repos/drafts-repo.ts';
import { hashDoc, publicFields, type JsonObject } from '../drafts/canonical.ts';
import { diffDocs } from '../drafts/diff.ts';
import { isSecretPath, maskSecrets, missingSecretPaths } from '../drafts/secret-fields.ts';
import { isOffline } from './remote.ts';
import { toScope, type SyncStore } from './store.ts';
import { CreateClash, ExistingCarrier, sendRow, STALE_REASON, type Around, type Done } from './send.ts';
import { whileWaiting } from '../while-waiting.ts';
import { DEFAULT_LEASE_TIMING, heldByOther, holderText, LeaseKeeper, newLease, type Lease, type LeaseTiming } from './lease.ts';

export const PER_CLUSTER_CONCURRENCY = 4;
/** How often a run waiting for another run's row looks again (a row finished in this process wakes it at once). */
export const WAIT_POLL_MS = 150;

export interface RowOutcome {
  rowId: number;
  targetId: string;
  /** 'joined': another run had the row; `joined` says how that run's work ended. */
  outcome: Exclude<ApplyOutcome, 'noop' | 'refused' | 'skipped'> | 'skipped';
  revision?: string;
  reason?: string;
  error?: ErrorValue;
  joined?: JoinedWork;
}

/** How the work of another run on a target ended, as the target's latest outbox row says. */
export interface JoinedWork {
  outcome: 'done' | 'queued' | 'failed' | 'stale' | 'replaced';
  reason: string;
  rowId: number | null;
}

/** Backoff for a cluster that did not answer: 5 s, 10 s, 20 s ... capped at 10 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(600_000, 5_000 * 2 ** Math.max(0, attempts - 1));
}

export function maskChanges(changes: FieldChangeView[]): FieldChangeView[] {
  return changes.map((c) => {
    if (!isSecretPath(c.path)) return { ...c, ...(c.before !== undefined ? { before: maskSecrets(c.before) } : {}), ...(c.after !== undefined ? { after: maskSecrets(c.after) } : {}) };
    return { ...c, ...(c.before !== undefined ? { before: '***' } : {}), ...(c.after !== undefined ? { after: '***' } : {}) };
  });
}

/** A row to run, with its cluster (and that cluster's name when the caller has it: the audit names it). */
export interface FeedRow {
  id: number;
  clusterId: string;
  clusterName?: string | undefined;
}

export interface RunOptions {
  /** The audit's name for the row's cluster, when the caller already has it. */
  clusterName?: string | undefined;
  /** The run's lease (a row it reserved is claimed with it); a fresh one when absent. */
  lease?: Lease | undefined;
  /** When another run has the row: wait for it and report its outcome ('joined') instead of 'skipped'. */
  follow?: boolean | undefined;
  /** Called once the cluster has answered the row's request with success, before the result is recorded. */
  onReplied?: (() => void) | undefined;
}

/** What the audit records of a change before its reply: the fields changed (secrets masked), the hash of what was there. */
interface AuditOfChange {
  diffJson: string;
  beforeHash: string | null;
}

export class OutboxExecutor {
  readonly leases: LeaseKeeper;
  /** Lease length and renewal period (tests shorten them). */
  readonly timing: LeaseTiming = { ...DEFAULT_LEASE_TIMING };
  private readonly sleepers = new Set<() => void>();

  constructor(private readonly store: SyncStore) {
    this.leases = new LeaseKeeper(store, this.timing);
  }

  async run(rowId: number, opts: RunOptions = {}): Promise<RowOutcome> {
    const s = this.store;
    const lease = opts.lease ?? newLease();
    // The claim and the target's in-flight status are committed together, before the remote call (with the claims
    // of the other rows started in this turn of the event loop: one transaction for the targets of many clusters).
    const claimed = await s.writes.run((): RowOutcome | { row: OutboxRow; target: TargetRow } | { taken: OutboxRow } => {
      const now = s.now();
      const until = now + this.timing.leaseMs;
      // Free, ours, or its lease ran out: claimed at once (the usual case: apply just staged and reserved it).
      let row = s.outbox.claimRow(rowId, lease, until, now);
      if (!row) {
        const pre = s.outbox.get(rowId);
        if (!pre) return { rowId, targetId: '', outcome: 'skipped', reason: 'The operation no longer exists.' };
        // A holder whose process is gone (kill -9) loses its lease now rather than when it runs out.
        if (pre.lease_owner !== null && pre.lease_owner !== lease.owner && !heldByOther(pre, lease, now)) {
          s.outbox.voidLease(rowId, pre.lease_owner);
          row = s.outbox.claimRow(rowId, lease, until, now);
        }
        if (!row) return { taken: pre };
      }
      const target = s.drafts.target(row.target_id);
      if (!target) {
        s.outbox.finish(rowId, lease.owner, 'failed', 'The target was removed.', now);
        return { rowId, targetId: row.target_id, outcome: 'failed', reason: 'The target was removed.' };
      }
      s.drafts.updateTarget(target.id, { status: 'in_flight' }, now);
      return { row, target };
    });
    if ('taken' in claimed) {
      if (!opts.follow) return { rowId, targetId: claimed.taken.target_id, outcome: 'skipped', reason: 'taken by another run' };
      return this.follow(rowId, claimed.taken.target_id, lease);
    }
    if ('outcome' in claimed) return claimed;
    const { row, target } = claimed;
    this.leases.hold(rowId, lease);
    s.outboxChanged();
    // The target's badge is derived from its outbox row: its views reload.
    s.changed(target.draft_id);
    const scope = toScope(target.scope);
    const sent = row.doc_json ? s.open(row.doc_json) : null;
    let out: RowOutcome | null;
    try {
      const holes = sent ? missingSecretPaths(sent) : [];
      if (holes.length > 0) {
        // Queued with a key this machine no longer has (or a secret left out): never sent with a hole in it.
        throw new AppError('secret_missing', `Not sent: the queued document has no value for ${holes.join(', ')} (a stored secret that cannot be decrypted on this machine). Enter it again in the draft, then plan and apply.`);
      }
      const reply = s.ctx.clients.use(target.cluster_id, (client) => sendRow(client, scope, row, sent, () => this.lookAround(target)));
      // What the audit says about the change does not depend on the reply: worked out while the request is on its way.
      const audit = whileWaiting(() => this.auditOfChange(target, sent));
      const done = await reply;
      opts.onReplied?.();
      out = (await this.recordSuccess(row, target, sent, done, lease, audit(), opts.clusterName))
        ? { rowId, targetId: target.id, outcome: 'done', ...(done.revision ? { revision: done.revision } : {}) }
        : null;
    } catch (e) {
      out = await this.recordFailure(row, target, sent, e, lease, opts.clusterName);
    } finally {
      this.leases.drop(rowId);
      this.wakeSleepers();
      s.outboxChanged();
      s.changed(target.draft_id);
    }
    // Our lease ran out under the request and another run took the row over: its result is the one recorded.
    return out ?? this.follow(rowId, target.id, lease);
  }

  /** Waits until no other run holds the target's live row; returns how the target's latest row ended. */
  async awaitRelease(targetId: string, lease: Lease): Promise<OutboxRow | undefined> {
    const s = this.store;
    for (;;) {
      const live = s.outbox.live(targetId);
      if (!live || !heldByOther(live, lease, s.now())) return live ?? s.outbox.latestFor(targetId);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.sleepers.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, WAIT_POLL_MS);
        this.sleepers.add(wake);
      });
    }
  }

  /** What a row's state says about how the work on it ended. */
  joinedWork(row: OutboxRow | undefined): JoinedWork {
    if (!row) return { outcome: 'replaced', reason: 'Nothing is queued for it any more.', rowId: null };
    const by = holderText(row);
    if (row.state === 'done') return { outcome: 'done', reason: `Sent by ${by}.`, rowId: row.id };
    if (row.state === 'queued') return { outcome: 'queued', reason: `Queued by ${by}: ${row.reason ?? 'waiting for its next attempt'}`, rowId: row.id };
    if (row.state === 'failed') {
      const stale = row.reason === STALE_REASON;
      return { outcome: stale ? 'stale' : 'failed', reason: `${by[0]!.toUpperCase()}${by.slice(1)} tried and failed: ${row.reason ?? 'no reason recorded'}`, rowId: row.id };
    }
    return { outcome: 'replaced', reason: `Replaced by a newer plan of ${by}.`, rowId: row.id };
  }

  private async follow(rowId: number, targetId: string, lease: Lease): Promise<RowOutcome> {
    const latest = await this.awaitRelease(targetId, lease);
    const joined = this.joinedWork(latest);
    return { rowId, targetId, outcome: 'joined', reason: joined.reason, joined };
  }

  private wakeSleepers(): void {
    for (const wake of [...this.sleepers]) wake();
  }

  /** What the target's draft is known as on its cluster (ids elsewhere, resources other drafts are bound to). */
  private lookAround(target: TargetRow): Around {
    return { knownIds: this.store.knownIds(target.draft_id), bound: this.store.boundNames(target.cluster_id, target.scope) };
  }

  private clusterName(clusterId: string, known: string | undefined): string {
    return known ?? this.store.ctx.clusters.find(clusterId)?.name ?? clusterId;
  }

  /** The part of a successful send's audit that needs no reply (worked out while the request is on its way). */
  private auditOfChange(target: TargetRow, sent: JsonObject | null): AuditOfChange {
    const before = target.base_doc_json ? publicFields(this.store.open(target.base_doc_json)) : undefined;
    return {
      diffJson: JSON.stringify(maskChanges(diffDocs(before ?? {}, sent ? publicFields(sent) : {}))),
      beforeHash: before ? hashDoc(before) : null,
    };
  }

  /**
   * Records a sent row; false (nothing written) when this run no longer holds it. Committed with the other results of
   * this turn (store.writes) before it resolves: the outcome is reported only once it is durable. A process killed
   * before that commit leaves the row in flight, and the next run's resumed send looks before it writes (send.ts).
   */
  private recordSuccess(
    row: OutboxRow,
    target: TargetRow,
    sent: JsonObject | null,
    done: Done,
    lease: Lease,
    audit: AuditOfChange,
    clusterName?: string,
  ): Promise<boolean> {
    const s = this.store;
    const at = s.now();
    const name = this.clusterName(target.cluster_id, clusterName);
    // Sealed outside the transaction: it only holds the write lock for the writes.
    const replied = done.doc ? publicFields(done.doc) : null;
    const doc = row.op === 'delete' ? null : replied && Object.keys(replied).length > 0 ? done.doc : (sent ?? {});
    const docJson = doc ? s.seal(doc) : null;
    return s.writes.run(() => {
      if (!s.outbox.finish(row.id, lease.owner, 'done', null, at)) return false;
      if (!doc || !docJson) {
        s.drafts.updateTarget(target.id, { remote_id: null, base_revision: null, base_doc_json: null, base_mine_json: null, last_applied_hash: null, status: 'done', last_error_json: null }, at);
        s.snapshots.remove(target.cluster_id, target.scope, row.remote_id);
      } else {
        // A reply without the document (some servers answer writes with little data): the sent one is the base.
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
      s.audit.insert({
        at, cluster_id: target.cluster_id, cluster_name: name, scope: target.scope, resource_id: row.remote_id,
        draft_id: target.draft_id, action: row.op, diff_json: audit.diffJson,
        before_hash: audit.beforeHash, after_hash: replied ? hashDoc(replied) : null,
        request_id: done.requestId, result: 'ok', error: null,
      });
      return true;
    });
  }

  /** Records a failed send (queued again when the cluster did not answer); null when this run no longer holds the row. */
  private async recordFailure(row: OutboxRow, target: TargetRow, sent: JsonObject | null, e: unknown, lease: Lease, clusterName?: string): Promise<RowOutcome | null> {
    const s = this.store;
    const at = s.now();
    const where = `${this.clusterName(target.cluster_id, clusterName)} ${target.scope === 'global' ? 'global' : `account ${target.scope}`}`;
    const error = e instanceof ExistingCarrier ? { code: 'exists_unbound', message: e.reason(where) } : toErrorValue(e instanceof CreateClash ? e.conflict : e);
    const code = e instanceof AppError ? e.code : 'internal';
    if (isOffline(e) || code === 'rate_limited' || code === 'server_error') {
      const reason = `${code === 'rate_limited' ? 'The cluster asked to slow down' : code === 'server_error' ? 'The cluster had a server error' : 'The cluster did not answer'}: ${error.message}`;
      const kept = s.drafts.transaction(() => {
        if (!s.outbox.requeue(row.id, lease.owner, at + retryDelayMs(row.attempts), reason, at)) return false;
        s.drafts.updateTarget(target.id, { status: 'queued', last_error_json: JSON.stringify(error) }, at);
        return true;
      });
      return kept ? { rowId: row.id, targetId: target.id, outcome: 'queued', reason, error } : null;
    }
    const stale = e instanceof PreconditionFailedError || (e instanceof CreateClash && e.found !== null);
    const reason = e instanceof CreateClash ? e.reason(row.remote_id) : stale ? STALE_REASON : error.message;
    const found = e instanceof CreateClash ? e.found : null;
    const foundJson = found ? s.seal(found.doc) : null;
    const name = this.clusterName(target.cluster_id, clusterName);
    const kept = s.drafts.transaction(() => {
      if (!s.outbox.finish(row.id, lease.owner, 'failed', reason, at)) return false;
      s.drafts.updateTarget(target.id, { status: stale ? 'stale' : 'failed', last_error_json: JSON.stringify({ ...error, message: reason }) }, at);
      // The same carrier (by the id it has elsewhere) is there: bind to it instead of the id chosen for a create.
      if (e instanceof ExistingCarrier && e.match.byId) {
        s.drafts.updateTarget(target.id, { remote_id: e.match.byId.id, base_revision: null, base_doc_json: null, base_mine_json: null }, at);
      }
      if (e instanceof CreateClash) {
        // Our id holds other content: bind to it so the next plan shows the update from what is there. A deleted
        // resource keeps its id for ever (crossbar-spec §1.9): the next apply chooses a new one.
        if (found) s.drafts.updateTarget(target.id, { base_revision: found.revision ?? '', base_doc_json: foundJson, base_mine_json: null }, at);
        else s.drafts.updateTarget(target.id, { remote_id: null }, at);
      }
      s.audit.insert({
        at, cluster_id: target.cluster_id, cluster_name: name, scope: target.scope, resource_id: row.remote_id,
        draft_id: target.draft_id, action: row.op, diff_json: JSON.stringify(maskChanges(diffDocs({}, sent ? publicFields(sent) : {}))),
        before_hash: null, after_hash: null, request_id: (e as { requestId?: string }).requestId ?? null, result: 'failed', error: reason,
      });
      return true;
    });
    return kept ? { rowId: row.id, targetId: target.id, outcome: stale ? 'stale' : 'failed', reason, error } : null;
  }

  /** Runs rows grouped per cluster: PER_CLUSTER_CONCURRENCY at a time per cluster, clusters in parallel. */
  async runMany(rows: FeedRow[], onDone?: (o: RowOutcome) => void): Promise<RowOutcome[]> {
    const feed = this.feed(onDone);
    feed.add(rows);
    return feed.close();
  }

  /**
   * Like runMany, for rows that arrive over time (apply starts a target's write as soon as it is planned): rows
   * start as soon as they are added, still at most PER_CLUSTER_CONCURRENCY in flight per cluster. close() resolves
   * with every outcome once no more rows will be added and all have finished. With a lease (apply's), rows it
   * reserved are claimed with it, and a row another run took is followed to its end ('joined').
   */
  feed(onDone?: (o: RowOutcome) => void, lease?: Lease): { add(rows: FeedRow[]): void; close(): Promise<RowOutcome[]> } {
    interface Lane { ids: number[]; next: number; active: number; offline: RowOutcome | null; name: string }
    const lanes = new Map<string, Lane>();
    const out: RowOutcome[] = [];
    const running = new Set<Promise<void>>();
    const runLease = lease ?? newLease();
    let failure: { error: unknown } | null = null;
    const finished = (lane: Lane, o: RowOutcome) => {
      if (o.outcome === 'queued' && o.error && ['unreachable', 'network', 'timeout', 'tls'].includes(o.error.code)) lane.offline = o;
      out.push(o);
      onDone?.(o);
    };
    // One of a lane's PER_CLUSTER_CONCURRENCY slots: a row's request, then the next row's as soon as the cluster has
    // answered it (its result is recorded while the next request is on its way: the recording's CPU is not added to
    // every round trip). A row that failed is waited for to its end, so a cluster found offline defers the rest.
    const worker = async (lane: Lane) => {
      const recording: Promise<void>[] = [];
      let failed = false;
      while (lane.next < lane.ids.length && !failed) {
        const id = lane.ids[lane.next++]!;
        if (lane.offline) {
          // The cluster did not answer: queue the rest without waiting for each to time out. Not before the caller's
          // code has run to its end: a row apply adds from inside its staging transaction (store.writes) is deferred,
          // and reported, once that transaction has committed.
          await Promise.resolve();
          finished(lane, this.defer(id, lane.offline, runLease));
          continue;
        }
        let replied!: () => void;
        const answered = new Promise<void>((resolve) => (replied = resolve));
        const ended = this.run(id, { clusterName: lane.name, lease: runLease, follow: lease !== undefined, onReplied: replied }).then((o) => finished(lane, o));
        recording.push(ended);
        await Promise.race([answered, ended.catch(() => (failed = true))]);
      }
      await Promise.all(recording);
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
          if (!lane) lanes.set(r.clusterId, (lane = { ids: [], next: 0, active: 0, offline: null, name: this.clusterName(r.clusterId, r.clusterName) }));
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

  /** Queues a row for later without sending it (its cluster just did not answer); skipped if another run has it. */
  private defer(id: number, like: RowOutcome, lease: Lease): RowOutcome {
    const s = this.store;
    const at = s.now();
    const row = s.outbox.get(id);
    if (!row) return { rowId: id, targetId: '', outcome: 'skipped' };
    const kept = s.drafts.transaction(() => {
      if (!s.outbox.reserve(id, lease, at + this.timing.leaseMs, at)) return false;
      s.outbox.requeue(id, lease.owner, at + retryDelayMs(Math.max(1, row.attempts)), like.reason ?? 'The cluster did not answer.', at);
      s.drafts.updateTarget(row.target_id, { status: 'queued' }, at);
      return true;
    });
    this.leases.drop(id);
    if (!kept) return { rowId: id, targetId: row.target_id, outcome: 'skipped', reason: 'taken by another run' };
    const t = s.drafts.target(row.target_id);
    if (t) s.changed(t.draft_id);
    return { rowId: id, targetId: row.target_id, outcome: 'queued', ...(like.reason ? { reason: like.reason } : {}), ...(like.error ? { error: like.error } : {}) };
  }
}

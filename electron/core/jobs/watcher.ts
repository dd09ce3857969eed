// The only driver of the job state machine: admits queued jobs, fires due timers, performs effects (PUT,
// look-up, poll) and feeds their outcome back. Every new state is persisted (with its local effects, in one
// transaction) BEFORE any remote effect runs, so a kill at any point resumes safely. Runs as the 'jobs'
// background task; one process per data folder drives it (lease).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { CoreContext } from '../context.ts';
import type { JobsRepo, JobRow } from '../db/repos/jobs-repo.ts';
import { snapshotOf } from '../db/repos/jobs-repo.ts';
import { AppError } from '../errors.ts';
import { processAlive } from '../process-alive.ts';
import { DEFAULT_POLICY, transition, type Effect, type ErrorKind, type JobEvent, type Policy } from './machine.ts';
import { isNumberExists, outcomesOf, type NumberOutcome } from './results.ts';
import { jobName, jobView, newTag, scopeOf } from './views.ts';
import { LoginHold } from './login-hold.ts';

const LEASE_TTL_MS = 5 * 60_000;
/** Refusals that prove the cluster created nothing. Anything else after a PUT means "maybe created". */
const REJECT_CODES = new Set(['validation', 'forbidden', 'not_found', 'conflict', 'precondition_failed', 'account_disabled', 'invalid_input']);

type RemoteEffect = Extract<Effect, { type: 'put_job' | 'find_remote' | 'poll' }>;

export function errorKind(e: unknown): { kind: ErrorKind; message: string; retryAfterMs?: number } {
  const code = e instanceof AppError ? e.code : 'internal';
  const message = e instanceof Error ? e.message : String(e);
  const retry = (e as { retryAfterMs?: number }).retryAfterMs;
  const kind: ErrorKind =
    code === 'unreachable' || code === 'network' || code === 'timeout' || code === 'tls' || code === 'aborted'
      ? 'offline'
      : code === 'rate_limited'
        ? 'rate_limited'
        : code === 'server_error' || code === 'not_crossbar' || code === 'bad_reply' || code === 'reply_too_large'
          ? 'server'
          : code === 'auth_failed' || code === 'account_disabled'
            ? 'auth'
            : code === 'not_found'
              ? 'not_found'
              : 'other';
  return { kind, message, ...(typeof retry === 'number' ? { retryAfterMs: retry } : {}) };
}

class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly size: () => number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    // The slot is handed straight to the next waiter, so `active` never overshoots the limit.
    if (this.active >= Math.max(1, this.size())) await new Promise<void>((r) => this.waiting.push(r));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) setImmediate(next);
      else this.active--;
    }
  }
}

export interface WatcherOptions {
  /** Fixed policy overrides (tests, benchmarks); settings 'jobs.timing' are applied on top. */
  policy?: Partial<Policy>;
}

export class JobWatcher {
  private readonly owner = randomUUID();
  private resumed = false;
  private readonly gates = new Map<string, Gate>();
  private readonly rates = new Map<string, { at: number; done: number; rate: number | null }>();
  /**
   * A pending job is stalled only after the whole cluster was SEEN quiet for the threshold. Time this process was
   * not running, or a cluster did not answer, is not seen: a pending job's clock restarts when watching starts and
   * when its cluster answers again after an outage (in memory: a restart is a fresh start of watching anyway).
   */
  private readonly watchingSince: number;
  private readonly seenAgainAt = new Map<string, number>();
  private readonly unanswered = new Set<string>();
  private readonly loginHold: LoginHold;

  constructor(
    private readonly ctx: CoreContext,
    private readonly repo: JobsRepo,
    private readonly opts: WatcherOptions = {},
  ) {
    this.watchingSince = ctx.clock.now();
    this.loginHold = new LoginHold(ctx.clusters, ctx.logger);
  }

  /** The last time any job of the cluster moved, or watching it (re)started, whichever is later. */
  private clusterObservedMovingAt(clusterId: string): number {
    return Math.max(this.repo.clusterProgressAt(clusterId) ?? 0, this.watchingSince, this.seenAgainAt.get(clusterId) ?? 0);
  }

  private noteAnswer(clusterId: string, answered: boolean): void {
    if (!answered) this.unanswered.add(clusterId);
    else if (this.unanswered.delete(clusterId)) this.seenAgainAt.set(clusterId, this.ctx.clock.now());
  }

  /** True while the cluster's stored login is refused for its current profile (see login-hold.ts). */
  loginBlocked(clusterId: string): boolean {
    return this.loginHold.holds(clusterId);
  }

  /** The event for a job whose cluster refused the login, naming the cluster for its note. */
  private loginRefused(row: JobRow, error: string): JobEvent {
    const name = this.ctx.clusters.find(row.cluster_id)?.name;
    return { type: 'login_refused', error, ...(name ? { cluster: name } : {}) };
  }

  /** Unfinished jobs held because their cluster refused the login. */
  loginRefusedJobs(): JobRow[] {
    return this.repo.unfinished().filter((r) => this.loginBlocked(r.cluster_id));
  }

  register(): void {
    this.ctx.background.register({ name: 'jobs', run: (signal) => this.round(signal) });
  }

  policyFor(clusterId: string): Policy {
    const s = this.ctx.settings;
    const timing = s.current<Partial<Policy>>('jobs.timing');
    const stallS = s.current<number | null>('jobs.stallAfterS');
    let thresholdS: number | undefined;
    const row = this.ctx.clusters.find(clusterId);
    if (row?.probe_json) {
      try {
        thresholdS = (JSON.parse(row.probe_json) as { jobRecovery?: { thresholdS?: number } }).jobRecovery?.thresholdS;
      } catch {
        // A broken probe cache only loses the cluster's threshold; the default applies.
      }
    }
    const stallAfterS = stallS ?? thresholdS ?? DEFAULT_POLICY.stallAfterMs / 1000;
    return {
      ...DEFAULT_POLICY,
      ...this.opts.policy,
      ...timing,
      stallAfterMs: stallAfterS * 1000,
      autoResubmit: s.current<boolean>('jobs.autoResubmit'),
    };
  }

  private maxActive(): number {
    return this.ctx.settings.current<number>('jobs.maxActivePerCluster');
  }

  private gate(clusterId: string): Gate {
    let g = this.gates.get(clusterId);
    if (!g) {
      g = new Gate(() => this.ctx.settings.current<number>('jobs.requestConcurrency'));
      this.gates.set(clusterId, g);
    }
    return g;
  }

  /** True when this process holds (or just took) the watcher lease. */
  holdsLease(): boolean {
    return this.repo.acquireLease(this.owner, process.pid, hostname(), this.ctx.clock.now(), LEASE_TTL_MS, processAlive);
  }

  release(): void {
    this.repo.releaseLease(this.owner);
  }

  /** One round: resume (first time), admit queued jobs, act on due jobs; resolves when that work is done. */
  async round(signal: AbortSignal): Promise<number | null> {
    if (!this.holdsLease()) return 5_000;
    if (!this.resumed) {
      for (const r of this.repo.unfinished()) this.apply(r, { type: 'resumed' });
      this.resumed = true;
    }
    const work: Promise<void>[] = [];
    const max = this.maxActive();
    for (const clusterId of this.repo.clustersWithQueued()) {
      if (this.loginBlocked(clusterId)) continue;
      const free = max - this.repo.activeCount(clusterId);
      if (free > 0) for (const row of this.repo.queued(clusterId, free)) work.push(this.drive(row.id, { type: 'start' }, signal));
    }
    for (const row of this.repo.due(this.ctx.clock.now(), 2_000)) {
      // Held: re-armed without a request (the same refusal again), so the loop sleeps instead of spinning.
      if (this.loginBlocked(row.cluster_id)) this.apply(row, this.loginRefused(row, row.last_error ?? 'The cluster refused the login.'));
      else work.push(this.drive(row.id, { type: 'tick' }, signal));
    }
    await Promise.allSettled(work);
    if (signal.aborted) return null;
    return this.nextDelay();
  }

  /** Jobs the watcher can still move without the user (queued or on their way; not held by a refused login). */
  activeJobs(): JobRow[] {
    return this.repo.unfinished().filter((r) => r.state !== 'stalled' && r.state !== 'unknown' && !this.loginBlocked(r.cluster_id));
  }

  private nextDelay(): number | null {
    const now = this.ctx.clock.now();
    const max = this.maxActive();
    if (this.repo.clustersWithQueued().some((c) => !this.loginBlocked(c) && this.repo.activeCount(c) < max)) return 10;
    const next = this.repo.nextDueAt();
    if (next === null) return this.repo.clustersWithQueued().length ? 5_000 : null;
    return Math.min(30_000, Math.max(20, next - now));
  }

  /** Feeds an event to a job and keeps going while its effects produce new events. */
  async drive(jobId: string, first: JobEvent, signal: AbortSignal): Promise<void> {
    let event: JobEvent | null = first;
    while (event) {
      const row = this.repo.job(jobId);
      if (!row) return;
      const remote = this.apply(row, event);
      event = null;
      if (!remote || signal.aborted) return;
      try {
        event = await this.gate(row.cluster_id).run(() => this.perform(row, remote, signal));
      } catch (e) {
        this.ctx.logger.error('job effect failed', { job: row.id, effect: remote.type, error: (e as Error).message });
        return;
      }
      // Our own stop cancelled the read: not the cluster's doing, so the job keeps the error it had.
      if (signal.aborted && (event.type === 'poll_error' || event.type === 'lookup_error')) return;
    }
  }

  /** Applies one event: persists the new state and its local effects atomically, emits events, returns the remote effect. */
  apply(row: JobRow, event: JobEvent): RemoteEffect | null {
    const now = this.ctx.clock.now();
    const t = transition(snapshotOf(row), event, now, this.policyFor(row.cluster_id));
    if (t.ignored) return null;
    let remote: RemoteEffect | null = null;
    this.repo.transaction(() => {
      const job = t.job;
      for (const e of t.effects) {
        if (e.type === 'fail_pending') this.repo.failPending(row.id, e.reason, now);
        else if (e.type === 'cancel_pending') this.repo.cancelPending(row.id, now);
        else if (e.type === 'create_remainder') this.createRemainder(row, now);
      }
      if (t.effects.some((e) => e.type === 'fail_pending' || e.type === 'cancel_pending' || e.type === 'create_remainder')) {
        const c = this.repo.outcomeCounts(row.id);
        job.successes = c.success;
        job.failures = c.failed;
        job.done = c.success + c.failed;
      }
      this.repo.saveSnapshot(row.id, job, now, event.type === 'poll_ok' ? { last_polled_at: now } : {});
      if (t.effects.some((e) => e.type === 'record_progress') || (job.state !== row.state && ['complete', 'failed', 'superseded'].includes(job.state))) {
        this.repo.addProgress(row.id, now, job.done);
      }
    });
    for (const e of t.effects) {
      if (e.type === 'put_job' || e.type === 'find_remote' || e.type === 'poll') remote = e;
      else if (e.type === 'notify') this.ctx.logger[e.level === 'warn' ? 'warn' : 'info'](e.message, { job: row.id, remoteId: row.remote_id });
    }
    this.emit(row, now);
    // Deferred: apply() also runs inside a round, where an immediate wake would start a nested round.
    if (t.effects.some((e) => e.type === 'create_remainder') || t.job.state !== row.state) queueMicrotask(() => this.ctx.background.wake('jobs'));
    return remote;
  }

  private emit(before: JobRow, now: number): void {
    const row = this.repo.job(before.id);
    if (!row) return;
    const prev = this.rates.get(row.id);
    let rate = prev?.rate ?? null;
    if (prev && row.done > prev.done && now > prev.at) rate = ((row.done - prev.done) * 1000) / (now - prev.at);
    if (!prev || row.done !== prev.done) this.rates.set(row.id, { at: now, done: row.done, rate });
    this.ctx.events.emit('jobs.progress', {
      jobId: row.id,
      batchId: row.batch_id,
      state: row.state,
      done: row.done,
      total: row.total,
      successes: row.successes,
      failures: row.failures,
      rate,
    });
    if (row.state !== before.state || row.remote_id !== before.remote_id) {
      this.ctx.events.emit('jobs.changed', { job: jobView(row, this.repo.outcomeCounts(row.id)) });
    }
  }

  /** New job with the numbers of `row` that have no outcome yet (inside the caller's transaction). */
  private createRemainder(row: JobRow, now: number): string | null {
    const pending = this.repo.numbersByOutcome(row.id, 'pending').map((n) => n.number);
    if (pending.length === 0) return null;
    const batch = this.repo.batch(row.batch_id);
    const tag = newTag();
    const id = randomUUID();
    this.repo.insertJob(
      {
        id,
        batch_id: row.batch_id,
        cluster_id: row.cluster_id,
        account_id: row.account_id,
        resource_id: row.resource_id,
        kind: 'remainder',
        parent_job_id: row.id,
        seq: this.repo.maxSeq(row.batch_id) + 1,
        tag,
        name: jobName(batch?.list_name ?? 'list', `remainder of #${row.seq}`, tag),
      },
      pending,
      now,
    );
    this.repo.markMoved(row.id, pending, id, now);
    return id;
  }

  private async perform(row: JobRow, effect: RemoteEffect, signal: AbortSignal): Promise<JobEvent> {
    const scope = scopeOf(row.account_id);
    switch (effect.type) {
      case 'put_job': {
        const numbers = this.repo.numbers(row.id);
        try {
          const job = await this.ctx.clients.use(row.cluster_id, (c) => c.jobs.create(scope, { numbers, resource_id: row.resource_id, name: row.name }, { signal }));
          if (!job.id) return { type: 'submit_lost', error: 'The cluster accepted the job but sent no job id.' };
          this.ctx.logger.info('job submitted', { job: row.id, remoteId: job.id, numbers: numbers.length });
          return { type: 'submit_ok', remoteId: job.id };
        } catch (e) {
          const k = errorKind(e);
          const code = e instanceof AppError ? e.code : 'internal';
          if (k.kind === 'auth') return this.loginRefused(row, k.message);
          if (REJECT_CODES.has(code)) return { type: 'submit_rejected', error: k.message };
          return { type: 'submit_lost', error: k.message, ...(k.retryAfterMs !== undefined ? { retryAfterMs: k.retryAfterMs } : {}) };
        }
      }
      case 'find_remote': {
        try {
          const now = this.ctx.clock.now();
          const found = await this.ctx.clients.use(row.cluster_id, (c) =>
            c.jobs.list(scope, { from: new Date(row.created_at - 3_600_000), to: new Date(now + 3_600_000), filter: { filter_name: row.name }, signal }),
          );
          const mine = found.filter((j) => j.name === row.name || (typeof j.name === 'string' && j.name.includes(`[${row.tag}]`)));
          if (mine.length === 0) return { type: 'not_found_remote' };
          // Oldest first: if two copies exist (should not happen), the first one is the one Kazoo processes first.
          mine.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0) || a.id.localeCompare(b.id));
          if (mine.length > 1) this.ctx.logger.warn('several cluster jobs carry one tag; adopting the oldest', { job: row.id, ids: mine.map((j) => j.id) });
          return { type: 'found_remote', remoteId: mine[0]!.id };
        } catch (e) {
          const k = errorKind(e);
          if (k.kind === 'auth') return this.loginRefused(row, k.message);
          return { type: 'lookup_error', error: k.message, kind: k.kind, ...(k.retryAfterMs !== undefined ? { retryAfterMs: k.retryAfterMs } : {}) };
        }
      }
      case 'poll': {
        try {
          const remote = await this.ctx.clients.use(row.cluster_id, (c) => c.jobs.get(scope, row.remote_id!, { signal }));
          this.noteAnswer(row.cluster_id, true);
          await this.record(row, remote.success, remote.errors, signal);
          const c = this.repo.outcomeCounts(row.id);
          const done = c.success + c.failed;
          const status = remote.status ?? (done >= row.total ? 'complete' : done > 0 ? 'running' : 'pending');
          return { type: 'poll_ok', status, done, successes: c.success, failures: c.failed, clusterProgressAt: this.clusterObservedMovingAt(row.cluster_id) };
        } catch (e) {
          const k = errorKind(e);
          if (k.kind === 'auth') return this.loginRefused(row, k.message);
          if (k.kind === 'offline') this.noteAnswer(row.cluster_id, false);
          return { type: 'poll_error', kind: k.kind, error: k.message, ...(k.retryAfterMs !== undefined ? { retryAfterMs: k.retryAfterMs } : {}) };
        }
      }
    }
  }

  /** Records the outcomes of the job's still-pending numbers found in the remote maps (idempotent). */
  private async record(row: JobRow, success: Record<string, unknown> | undefined, errors: Record<string, unknown> | undefined, signal: AbortSignal): Promise<void> {
    const pending = this.repo.numbersByOutcome(row.id, 'pending').map((n) => n.number);
    if (pending.length === 0) return;
    const found = outcomesOf(pending, success, errors);
    // A number handed over from an earlier job may have been imported by that job after all (its worker
    // finished the number but died before saving, or Kazoo restarted it): then it is ours, not a failure.
    const exists = [...found].filter(([n, o]) => o.outcome === 'failed' && isNumberExists(o.reason) && this.repo.previousHolder(row.id, n) !== null).map(([n]) => n);
    if (exists.length) {
      for (const [n, o] of await this.verifyOwned(row, exists, signal)) found.set(n, o);
    }
    const now = this.ctx.clock.now();
    this.repo.transaction(() => {
      for (const [n, o] of found) this.repo.setOutcome(row.id, n, o, now);
    });
  }

  private async verifyOwned(row: JobRow, numbers: string[], signal: AbortSignal): Promise<Map<string, NumberOutcome>> {
    const out = new Map<string, NumberOutcome>();
    try {
      await this.ctx.clients.use(row.cluster_id, async (c) => {
        const accountId = row.account_id ?? (await c.session({ signal })).accountId;
        for (const n of numbers) {
          try {
            const info = await c.numbers.get(accountId, n, { signal });
            if (info.resourceId === row.resource_id) {
              const prev = this.repo.previousHolder(row.id, n);
              out.set(n, {
                outcome: 'success',
                number_state: info.state ?? null,
                carrier_module: info.carrierModule ?? null,
                reason: `imported by the earlier job ${prev ?? ''}`.trim(),
                error_json: null,
              });
            }
          } catch {
            // Not visible or not ours: it stays a number_exists failure.
          }
        }
      });
    } catch {
      // Verification is best effort; the failure is recorded as Kazoo reported it.
    }
    return out;
  }
}

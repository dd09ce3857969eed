// Use cases for bulk number jobs: pre-flight, submission in chunks (built in a worker, one transaction),
// listing, per-number results, retry of failed numbers, remainder resubmission, cancel, progress series.
// The watcher (jobs/watcher.ts) does all talking to clusters about existing jobs.
import { randomUUID } from 'node:crypto';
import type { CoreContext } from '../context.ts';
import type { ParsedArgsOf } from '../../shared/contract.ts';
import type { BatchView, JobDetail, JobSeries, JobView, Preflight } from '../../shared/contract/jobs.ts';
import { JobsRepo, type JobRow } from '../db/repos/jobs-repo.ts';
import { AppError, NotFoundLocalError, UserInputError } from '../errors.ts';
import { JobWatcher } from '../jobs/watcher.ts';
import { batchView, jobName, jobViewWithCounts, newTag, scopeOf, scopeView } from '../jobs/views.ts';
import { isNumberExists } from '../jobs/results.ts';
import { runNumbersTask } from '../numbers/worker-host.ts';
import { NumberListsRepo, type NumberListRow } from '../db/repos/number-lists-repo.ts';
import { visibleAccountIds, visibleNumbers } from './cluster-numbers.ts';
import { count } from '../../shared/plural.ts';

type Target = ParsedArgsOf<'jobs.preflight'>;

const yieldNow = () => new Promise<void>((r) => setImmediate(r));

export class JobsService {
  readonly repo: JobsRepo;
  readonly watcher: JobWatcher;
  private readonly lists: NumberListsRepo;

  constructor(private readonly ctx: CoreContext) {
    this.repo = new JobsRepo(ctx.db);
    this.lists = new NumberListsRepo(ctx.db);
    this.watcher = new JobWatcher(ctx, this.repo);
    this.watcher.register();
  }

  private findList(ref: string): NumberListRow {
    const row = this.lists.find(ref);
    if (!row) throw new NotFoundLocalError('Number list', ref);
    return row;
  }

  private findJob(ref: string): JobRow {
    const row = this.repo.findJob(ref);
    if (!row) throw new NotFoundLocalError('Job', ref);
    return row;
  }

  async preflight(a: Target): Promise<Preflight & { presentNumbers: string[] }> {
    const list = this.findList(a.list);
    if (list.state !== 'ready') throw new UserInputError(`The list '${list.name}' is ${list.state}; only a fully imported list can be submitted.`);
    if (a.global && a.account) throw new UserInputError('Choose either an account or global (the master account), not both.');
    if (!a.global && !a.account) throw new UserInputError('Choose where the numbers go: an account, or global (the master account, with a global carrier).');
    const profile = this.ctx.clients.profile(a.cluster);
    if (a.global && profile.super_duper === 0) throw new UserInputError(`Global resources and global jobs need a super-duper admin login; the login of '${profile.name}' is not one.`);
    const accountId = a.global ? null : a.account!;
    const scope = scopeOf(accountId);
    let sv = scopeView(accountId);
    const chunkSize = a.chunkSize ?? this.ctx.settings.current<number>('jobs.chunkSize');
    const warnings: string[] = [];

    const { resource, present } = await this.ctx.clients.use(profile.id, async (c) => {
      if (accountId) {
        // The account by its name in every sentence below (and a clear refusal when the cluster has no such account).
        try {
          const acc = await c.accounts.get(accountId);
          if (typeof acc.name === 'string' && acc.name) sv = scopeView(accountId, acc.name);
        } catch (e) {
          if (e instanceof AppError && e.code === 'not_found') throw new UserInputError(`${profile.name} has no account ${accountId}: nothing was sent. Choose an account the cluster lists.`);
          throw e;
        }
      }
      let resource: Preflight['resource'];
      try {
        const r = await c.resources.get(scope, a.resource);
        resource = { id: a.resource, found: true, ...(typeof r.doc.name === 'string' ? { name: r.doc.name } : {}) };
      } catch (e) {
        if (e instanceof AppError && e.code === 'not_found') {
          throw new UserInputError(
            `Resource ${a.resource} does not exist ${sv.kind === 'global' ? 'among the global resources' : sv.label.replace(/^into /, 'in ')} on ${profile.name}. ` +
              'Kazoo would silently import the numbers as local numbers, so nothing was sent. Check the carrier and where the numbers go (an account, or global).',
          );
        }
        throw e;
      }
      if (!a.checkExisting) return { resource, present: null as Set<string> | null };
      // A number in any account fails with number_exists, except one left 'available', which Kazoo re-uses (§5.3).
      const listed = await visibleNumbers(c, await visibleAccountIds(c, profile.account_id));
      return { resource, present: new Set([...listed.values()].filter((n) => n.state !== 'available').map((n) => n.number)) };
    });

    // Intersect in slices so a host process stays responsive with a large list.
    const presentNumbers: string[] = [];
    if (present && present.size > 0) {
      let from = 0;
      for (;;) {
        const slice = this.lists.validNumbers(list.id, from, 20_000);
        if (slice.length === 0) break;
        for (const r of slice) if (present.has(r.e164)) presentNumbers.push(r.e164);
        from = slice[slice.length - 1]!.vseq + 1;
        await yieldNow();
      }
    }
    const skip = a.skipPresent && present !== null;
    const toSubmit = list.valid_count - (skip ? presentNumbers.length : 0);
    const jobs = Math.ceil(toSubmit / chunkSize);
    if (a.global) warnings.push('Global job: every number is assigned to the master account, not to a sub-account.');
    if (presentNumbers.length && !skip) warnings.push(`${count(presentNumbers.length, 'number is', 'numbers are')} already on the cluster and will fail with number_exists.`);
    // Host-neutral: the CLI adds how to export them, the app a button (shared/hints.ts 'export_invalid').
    if (list.invalid_count) warnings.push(`${count(list.invalid_count, 'invalid row is', 'invalid rows are')} not sent.`);
    if (present === null) warnings.push('Numbers already on the cluster were not looked up.');
    if (toSubmit === 0) warnings.push('Nothing to send.');
    const summary =
      `${count(toSubmit, 'number')} of list '${list.name}' will be imported ${sv.label} on ${profile.name} through carrier ` +
      `${resource.name ? `${resource.name} (${a.resource})` : a.resource}, as ${count(jobs, 'job')} of up to ${count(chunkSize, 'number')}. ` +
      `Skipped: ${list.invalid_count} invalid, ${count(list.duplicate_count, 'duplicate')}${skip ? `, ${presentNumbers.length} already present` : ''}.`;
    return {
      list: { id: list.id, name: list.name, valid: list.valid_count, invalid: list.invalid_count, duplicate: list.duplicate_count },
      cluster: { id: profile.id, name: profile.name },
      scope: sv,
      resource,
      chunkSize,
      toSubmit,
      jobs,
      skippedInvalid: list.invalid_count,
      skippedDuplicates: list.duplicate_count,
      alreadyPresent: present === null ? null : presentNumbers.length,
      alreadyPresentSample: presentNumbers.slice(0, 10),
      willSkipPresent: skip,
      warnings,
      summary,
      presentNumbers,
    };
  }

  async preflightView(a: Target): Promise<Preflight> {
    const { presentNumbers: _omit, ...p } = await this.preflight(a);
    return p;
  }

  async submit(a: Target): Promise<{ batch: BatchView; preflight: Preflight; jobs: JobView[] }> {
    const pf = await this.preflight(a);
    const { presentNumbers, ...preflight } = pf;
    if (pf.toSubmit === 0) throw new UserInputError(`Nothing to submit from '${pf.list.name}': ${pf.summary}`);
    const batch = {
      id: randomUUID(),
      list_id: pf.list.id,
      list_name: pf.list.name,
      cluster_id: pf.cluster.id,
      account_id: pf.scope.accountId ?? null,
      resource_id: a.resource,
      chunk_size: pf.chunkSize,
      total_numbers: pf.toSubmit,
      skipped_present: pf.willSkipPresent ? presentNumbers.length : 0,
      created_at: this.ctx.clock.now(),
    };
    const task = runNumbersTask({ op: 'buildBatch', dbPath: this.ctx.db.name, batch, skip: pf.willSkipPresent ? presentNumbers : [], now: batch.created_at }, () => {});
    await task.promise;
    this.ctx.background.wake('jobs');
    const jobs = this.repo.batchJobs(batch.id).map((j) => jobViewWithCounts(this.repo, j));
    for (const j of jobs) this.ctx.events.emit('jobs.changed', { job: j });
    return { batch: batchView(this.repo, this.repo.batch(batch.id)!), preflight, jobs };
  }

  list(a: ParsedArgsOf<'jobs.list'>): JobView[] {
    const states = a.active ? (['queued', 'submitting', 'verifying', 'submitted', 'running', 'stalled', 'unknown'] as const) : undefined;
    return this.repo.jobs({ ...(a.batch ? { batchId: a.batch } : {}), ...(states ? { states: [...states] } : {}), limit: a.limit }).map((j) => jobViewWithCounts(this.repo, j));
  }

  batches(): BatchView[] {
    return this.repo.batches().map((b) => batchView(this.repo, b));
  }

  get(a: ParsedArgsOf<'jobs.get'>): JobDetail {
    const row = this.findJob(a.job);
    const counts = this.repo.outcomeCounts(row.id);
    const rows = this.repo.numberRows(row.id, a.offset, a.limit, a.outcome);
    return {
      job: jobViewWithCounts(this.repo, row),
      numbers: {
        total: a.outcome ? counts[a.outcome] : row.total,
        offset: a.offset,
        rows: rows.map((n) => ({
          pos: n.pos,
          number: n.number,
          outcome: n.outcome,
          ...(n.number_state ? { state: n.number_state } : {}),
          ...(n.carrier_module ? { carrierModule: n.carrier_module } : {}),
          ...(n.reason ? { reason: n.reason } : {}),
          ...(n.error_json ? { error: JSON.parse(n.error_json) as unknown } : {}),
          ...(n.next_job_id ? { nextJobId: n.next_job_id } : {}),
        })),
      },
      children: this.repo.childJobs(row.id).map((j) => jobViewWithCounts(this.repo, j)),
    };
  }

  /**
   * New job(s) with the failed numbers not yet retried. number_exists is skipped by default: the number is
   * already on the cluster (ours from an earlier attempt, or another account's), so a retry can only fail again.
   */
  retryFailed(a: ParsedArgsOf<'jobs.retryFailed'>): JobView[] {
    if (!a.job && !a.batch) throw new UserInputError('Give a job (or a batch) whose failed numbers to retry.');
    const sources = a.job ? [this.findJob(a.job)] : this.repo.batchJobs(a.batch!);
    if (sources.length === 0) throw new NotFoundLocalError('Batch', a.batch ?? '');
    const busy = sources.filter((j) => !['complete', 'failed', 'superseded', 'cancelled'].includes(j.state));
    if (a.job && busy.length) throw new UserInputError(`Job ${sources[0]!.id} is still ${sources[0]!.state}; retry its failed numbers when it has finished.`);
    const created: JobView[] = [];
    const now = this.ctx.clock.now();
    this.repo.transaction(() => {
      for (const src of sources) {
        if (busy.includes(src)) continue;
        const failed = this.repo.numbersByOutcome(src.id, 'failed').filter((n) => !n.next_job_id && (a.includeExisting || !isNumberExists(n.reason)));
        if (failed.length === 0) continue;
        const batch = this.repo.batch(src.batch_id)!;
        const size = batch.chunk_size;
        for (let i = 0; i < failed.length; i += size) {
          const part = failed.slice(i, i + size).map((n) => n.number);
          const tag = newTag();
          const id = randomUUID();
          this.repo.insertJob(
            {
              id,
              batch_id: src.batch_id,
              cluster_id: src.cluster_id,
              account_id: src.account_id,
              resource_id: src.resource_id,
              kind: 'retry',
              parent_job_id: src.id,
              seq: this.repo.maxSeq(src.batch_id) + 1,
              tag,
              name: jobName(batch.list_name, `retry of #${src.seq}`, tag),
            },
            part,
            now,
          );
          this.repo.markRetried(src.id, part, id, now);
          created.push(jobViewWithCounts(this.repo, this.repo.job(id)!));
        }
      }
    });
    if (created.length === 0) {
      if (a.includeExisting) throw new UserInputError('No failed numbers to retry.');
      throw new UserInputError('No failed numbers to retry: those that failed because the cluster already has them (number_exists) are left out.', { hint: 'include_existing' });
    }
    this.ctx.background.wake('jobs');
    return created;
  }

  resubmitRemainder(a: ParsedArgsOf<'jobs.resubmitRemainder'>): JobView {
    const row = this.findJob(a.job);
    this.watcher.apply(row, { type: 'resubmit_requested', force: a.force });
    const after = this.repo.job(row.id)!;
    if (after.state !== 'superseded') {
      const alive = row.state === 'running' || row.state === 'submitted';
      throw new UserInputError(`Job ${row.id} is ${row.state}: only a stalled or unknown job can be resubmitted.`, alive ? { hint: 'force_resubmit' } : undefined);
    }
    const child = this.repo.childJobs(row.id).filter((j) => j.kind === 'remainder').pop();
    if (!child) return jobViewWithCounts(this.repo, after);
    return jobViewWithCounts(this.repo, child);
  }

  cancel(a: ParsedArgsOf<'jobs.cancel'>): { cancelled: number; stillTracked: number } {
    if (!a.job && !a.batch) throw new UserInputError('Give a job or a batch to cancel.');
    const rows = a.job ? [this.findJob(a.job)] : this.repo.batchJobs(a.batch!);
    let cancelled = 0;
    let stillTracked = 0;
    // One transaction for the whole batch: no part can be started by the watcher half-way through, and the pages of a
    // 190,000-number batch are written once instead of once per part.
    this.repo.transaction(() => {
      for (const r of rows) {
        if (r.state === 'queued') {
          this.watcher.apply(r, { type: 'cancel_requested' });
          cancelled++;
        } else if (!['complete', 'failed', 'superseded', 'cancelled'].includes(r.state)) stillTracked++;
      }
    });
    return { cancelled, stillTracked };
  }

  series(job: string): JobSeries {
    const row = this.findJob(job);
    const points = this.repo.series(row.id);
    const recent = points.slice(-10);
    let rate: number | null = null;
    if (recent.length >= 2) {
      const a = recent[0]!;
      const b = recent[recent.length - 1]!;
      if (b.at > a.at) rate = ((b.done - a.done) * 1000) / (b.at - a.at);
    }
    const left = row.total - row.done;
    return { jobId: row.id, points, rate, etaS: rate && rate > 0 ? Math.round(left / rate) : null };
  }
}

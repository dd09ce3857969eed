// Plain-JSON views of jobs and batches for the contract, plus helpers shared by the watcher and the service.
import { randomBytes } from 'node:crypto';
import type { BatchView, JobView, ScopeView } from '../../shared/contract/jobs.ts';
import type { BatchRow, JobRow, JobsRepo, Outcome } from '../db/repos/jobs-repo.ts';
import type { Scope } from '../kazoo/index.ts';

/** Where the numbers go, in words; the account by its name when the caller knows it. */
export function scopeView(accountId: string | null, accountName?: string): ScopeView {
  return accountId
    ? { kind: 'account', accountId, label: `into account ${accountName ?? accountId}` }
    : { kind: 'global', label: 'into the master account (global resource: numbers are assigned to the master account)' };
}

export function scopeOf(accountId: string | null): Scope {
  return accountId ? { kind: 'account', accountId } : { kind: 'global' };
}

export function newTag(): string {
  return `cd-${randomBytes(8).toString('hex')}`;
}

export function jobName(listName: string, label: string, tag: string): string {
  // Kazoo keeps `name` as given; the tag makes it unique so a lost PUT can be found by filter_name.
  const safe = listName.replace(/[[\]]/g, '').slice(0, 80);
  return `Carrier Desk ${safe} ${label} [${tag}]`;
}

export function jobView(r: JobRow, counts: Pick<Record<Outcome, number>, 'moved' | 'cancelled'> = { moved: 0, cancelled: 0 }): JobView {
  return {
    id: r.id,
    batchId: r.batch_id,
    kind: r.kind,
    ...(r.parent_job_id ? { parentJobId: r.parent_job_id } : {}),
    seq: r.seq,
    name: r.name,
    tag: r.tag,
    clusterId: r.cluster_id,
    scope: scopeView(r.account_id),
    resourceId: r.resource_id,
    ...(r.remote_id ? { remoteId: r.remote_id } : {}),
    state: r.state,
    ...(r.remote_status ? { remoteStatus: r.remote_status } : {}),
    total: r.total,
    done: r.done,
    successes: r.successes,
    failures: r.failures,
    moved: counts.moved,
    cancelled: counts.cancelled,
    submitAttempts: r.submit_attempts,
    ...(r.last_error ? { lastError: r.last_error } : {}),
    ...(r.note ? { note: r.note } : {}),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.finished_at !== null ? { finishedAt: r.finished_at } : {}),
    nextAt: r.next_at,
  };
}

export function jobViewWithCounts(repo: JobsRepo, r: JobRow): JobView {
  return jobView(r, repo.outcomeCounts(r.id));
}

export function batchView(repo: JobsRepo, b: BatchRow): BatchView {
  const jobs = repo.batchJobs(b.id);
  const states: BatchView['states'] = {};
  for (const j of jobs) states[j.state] = (states[j.state] ?? 0) + 1;
  // Each number's latest attempt is its row without a next_job_id (moved/retried rows point onwards).
  // Cancelled numbers were never sent: counted apart, never as done or failed.
  const o = repo.batchOutcomes(b.id);
  return {
    id: b.id,
    listName: b.list_name,
    ...(b.list_id ? { listId: b.list_id } : {}),
    clusterId: b.cluster_id,
    scope: scopeView(b.account_id),
    resourceId: b.resource_id,
    chunkSize: b.chunk_size,
    totalNumbers: b.total_numbers,
    skippedPresent: b.skipped_present,
    createdAt: b.created_at,
    jobs: jobs.length,
    states,
    succeeded: o.success,
    failed: o.failed,
    cancelled: o.cancelled,
    pending: o.pending,
  };
}

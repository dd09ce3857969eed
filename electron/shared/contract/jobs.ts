// Contract area: bulk number jobs: pre-flight, submission in chunks, tracking, retries and remainders.
import { z } from 'zod';
import { method } from './define.ts';

export type JobState = 'queued' | 'submitting' | 'verifying' | 'submitted' | 'running' | 'stalled' | 'unknown' | 'complete' | 'failed' | 'superseded' | 'cancelled';
export type JobKind = 'chunk' | 'remainder' | 'retry';
export type NumberOutcome = 'pending' | 'success' | 'failed' | 'moved' | 'cancelled';

export interface ScopeView {
  kind: 'account' | 'global';
  accountId?: string;
  /** Plain words: "into account 1234…" or "into the master account (global resource)". */
  label: string;
}

export interface JobView {
  id: string;
  batchId: string;
  kind: JobKind;
  parentJobId?: string;
  seq: number;
  name: string;
  tag: string;
  clusterId: string;
  scope: ScopeView;
  resourceId: string;
  remoteId?: string;
  state: JobState;
  remoteStatus?: string;
  total: number;
  done: number;
  successes: number;
  failures: number;
  /** Numbers handed to a remainder job. */
  moved: number;
  /** Numbers of this job cancelled before it was sent (never offered to the cluster). */
  cancelled: number;
  submitAttempts: number;
  lastError?: string;
  note?: string;
  createdAt: number;
  updatedAt: number;
  finishedAt?: number;
  nextAt: number;
}

export interface JobNumberView {
  pos: number;
  number: string;
  outcome: NumberOutcome;
  state?: string;
  carrierModule?: string;
  reason?: string;
  error?: unknown;
  nextJobId?: string;
}

export interface JobDetail {
  job: JobView;
  numbers: { total: number; offset: number; rows: JobNumberView[] };
  children: JobView[];
}

export interface BatchView {
  id: string;
  listName: string;
  listId?: string;
  clusterId: string;
  scope: ScopeView;
  resourceId: string;
  chunkSize: number;
  totalNumbers: number;
  skippedPresent: number;
  createdAt: number;
  jobs: number;
  states: Partial<Record<JobState, number>>;
  /** Per number, across the batch's jobs (latest attempt wins): succeeded + failed + cancelled + pending = totalNumbers. */
  succeeded: number;
  failed: number;
  /** Never sent: their part was cancelled while it waited on this machine. */
  cancelled: number;
  pending: number;
}

export interface Preflight {
  list: { id: string; name: string; valid: number; invalid: number; duplicate: number };
  cluster: { id: string; name: string };
  scope: ScopeView;
  resource: { id: string; name?: string; found: boolean };
  chunkSize: number;
  /** Numbers that will be sent. */
  toSubmit: number;
  jobs: number;
  skippedInvalid: number;
  skippedDuplicates: number;
  /** Null when the look-up was not done. */
  alreadyPresent: number | null;
  alreadyPresentSample: string[];
  willSkipPresent: boolean;
  warnings: string[];
  /** One plain paragraph describing what will happen. */
  summary: string;
}

export interface JobSeries {
  jobId: string;
  points: { at: number; done: number }[];
  /** Numbers per second over the recent points. */
  rate: number | null;
  /** Seconds left at that rate. */
  etaS: number | null;
}

const target = {
  list: z.string().min(1, 'Name the number list.'),
  cluster: z.string().min(1, 'Name the cluster.'),
  account: z.string().trim().min(1).optional(),
  global: z.boolean().default(false),
  resource: z.string().trim().min(1, 'Give the resource (carrier) id.'),
  chunkSize: z.number().int().min(1).max(10_000).optional(),
  checkExisting: z.boolean().default(true),
  skipPresent: z.boolean().default(true),
};
const jobRef = z.string().min(1, 'Give the job id, tag or remote id.');

export const jobMethods = {
  /** Checks everything before anything is sent: the resource exists in that scope, numbers already present, chunks. */
  'jobs.preflight': method<Preflight>()(z.object(target).strict()),
  /** Creates the batch and its queued jobs; the watcher submits and tracks them. */
  'jobs.submit': method<{ batch: BatchView; preflight: Preflight; jobs: JobView[] }>()(z.object(target).strict()),
  'jobs.list': method<JobView[]>()(
    z.object({ batch: z.string().min(1).optional(), active: z.boolean().default(false), limit: z.number().int().min(1).max(10_000).default(500) }).strict(),
  ),
  'jobs.batches': method<BatchView[]>()(z.object({}).strict()),
  'jobs.get': method<JobDetail>()(
    z
      .object({
        job: jobRef,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(100),
        outcome: z.enum(['pending', 'success', 'failed', 'moved', 'cancelled']).optional(),
      })
      .strict(),
  ),
  /** A new job with the failed numbers of a job (or of every job of a batch). number_exists is skipped unless asked. */
  'jobs.retryFailed': method<JobView[]>()(
    z.object({ job: jobRef.optional(), batch: z.string().min(1).optional(), includeExisting: z.boolean().default(false) }).strict(),
  ),
  /** Resubmits the numbers of a stalled/unknown job that have no result yet, as a new linked job. */
  'jobs.resubmitRemainder': method<JobView>()(z.object({ job: jobRef, force: z.boolean().default(false) }).strict()),
  /** Stops submitting the not-yet-sent jobs of a batch (or one queued job); jobs already on the cluster stay tracked. */
  'jobs.cancel': method<{ cancelled: number; stillTracked: number }>()(z.object({ job: jobRef.optional(), batch: z.string().min(1).optional() }).strict()),
  'jobs.series': method<JobSeries>()(z.object({ job: jobRef }).strict()),
};

export interface JobEvents {
  'jobs.progress': { jobId: string; batchId: string; state: JobState; done: number; total: number; successes: number; failures: number; rate: number | null };
  'jobs.changed': { job: JobView };
}

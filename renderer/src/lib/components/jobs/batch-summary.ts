// What a submission (a batch of jobs) amounts to, as pure arithmetic over its jobs and the core's batch view:
// per-number counts that always add up, its status in words, the parts to show in full, and its rate.
import type { BatchView, JobState, JobView } from '../../../../../electron/shared/contract/jobs.ts';
import { finishedOutcome, type OutcomeTone } from '../../../../../electron/shared/job-outcome.ts';
import { rateOf, type SeriesPoint } from './rate.ts';

const TERMINAL: ReadonlySet<JobState> = new Set(['complete', 'failed', 'superseded', 'cancelled']);
export const isTerminalState = (s: JobState) => TERMINAL.has(s);
/** On the cluster (or being sent/checked) and not finished: the parts worth showing in full. */
export const isOnCluster = (j: JobView) => j.state !== 'queued' && !TERMINAL.has(j.state);
/** A part that needs a person: no progress past the threshold, or the cluster no longer knows it. */
export const isStuck = (j: JobView) => j.state === 'stalled' || j.state === 'unknown';

export interface BatchCounts {
  total: number;
  imported: number;
  failed: number;
  /** Never sent: their part was cancelled while it waited on this machine. */
  cancelled: number;
  /** Not final yet (waiting here, or on the cluster). imported + failed + cancelled + pending = total. */
  pending: number;
}

export function batchCounts(batch: BatchView | undefined, list: readonly JobView[]): BatchCounts {
  const chunks = list.filter((j) => j.kind === 'chunk');
  const total = batch?.totalNumbers ?? chunks.reduce((n, j) => n + j.total, 0);
  // A number is imported at most once, so the live sum over jobs is exact and never behind the batch view. Failures
  // can be retried (a failed number may later be imported), so they come from the batch view when there is one.
  const imported = Math.max(batch?.succeeded ?? 0, list.reduce((n, j) => n + j.successes, 0));
  const cancelled = Math.max(batch?.cancelled ?? 0, list.reduce((n, j) => n + (j.state === 'cancelled' ? j.total : 0), 0));
  const failed = Math.min(batch?.failed ?? list.reduce((n, j) => n + j.failures, 0), Math.max(0, total - imported - cancelled));
  return { total, imported, failed, cancelled, pending: Math.max(0, total - imported - failed - cancelled) };
}

export interface BatchStatus {
  label: string;
  tone: OutcomeTone | 'info';
}

/** The batch's state in words: what is going on while it runs, else its outcome. */
export function batchStatus(list: readonly JobView[], c: BatchCounts, offline: boolean): BatchStatus {
  const active = list.some((j) => !TERMINAL.has(j.state));
  if (!active) {
    // Every number of a finished part has an outcome (the watcher fails or cancels the rest), so numbers still
    // to go mean the batch view read before the last part ended: name the outcome once the counts say it.
    if (c.pending > 0) return { label: 'counting results', tone: 'info' };
    return finishedOutcome({ imported: c.imported, failed: c.failed, cancelled: c.cancelled });
  }
  if (list.some((j) => j.state === 'stalled')) return { label: 'stalled', tone: 'warn' };
  if (list.some((j) => j.state === 'unknown')) return { label: 'no news', tone: 'warn' };
  if (offline) return { label: 'cluster offline', tone: 'warn' };
  if (list.some((j) => j.state === 'running')) return { label: 'running', tone: 'info' };
  if (list.some(isOnCluster)) return { label: 'sent', tone: 'info' };
  return { label: 'waiting', tone: 'muted' };
}

/** A finished part named by what happened to its numbers ("all failed" is never a green "complete"). */
export function partStatus(j: JobView): BatchStatus | null {
  if (j.state === 'complete') return finishedOutcome({ imported: j.successes, failed: j.failures, cancelled: j.cancelled });
  if (j.state === 'failed') return { label: 'not imported', tone: 'err' };
  return null;
}

/** Parts whose progress tells the batch's current rate: on the cluster, or finished within the rate window. */
export function rateParts(list: readonly JobView[], now: number, windowMs = 60_000): JobView[] {
  return list.filter((j) => isOnCluster(j) || (j.finishedAt !== undefined && j.state !== 'cancelled' && now - j.finishedAt < windowMs));
}

export interface BatchRate {
  /** Numbers per second, or null when nothing was measured yet. */
  rate: number | null;
  /** Milliseconds since the last number of any of these parts got a result (null when none has yet). */
  quietMs: number | null;
}

/** When the series last moved forward (a point that only records a submission or a poll does not count). */
function lastProgressAt(pts: readonly SeriesPoint[]): number | null {
  for (let i = pts.length - 1; i > 0; i--) if (pts[i]!.done > pts[i - 1]!.done) return pts[i]!.at;
  return null;
}

export function batchRate(parts: readonly JobView[], series: Readonly<Record<string, SeriesPoint[]>>, now: number): BatchRate {
  let rate: number | null = null;
  let last: number | null = null;
  for (const j of parts) {
    const pts = series[j.id] ?? [];
    const r = rateOf(pts, now);
    if (r !== null) rate = (rate ?? 0) + r;
    const at = lastProgressAt(pts);
    if (at !== null && (last === null || at > last)) last = at;
  }
  return { rate, quietMs: last === null ? null : Math.max(0, now - last) };
}

/** A part's name as the dashboard shows it. */
export function partName(j: JobView, parts: number): string {
  return j.kind === 'chunk' ? `Part ${j.seq} of ${parts}` : j.kind === 'retry' ? 'Retry of failed numbers' : 'Remainder';
}

// The job watcher's state machine: a PURE transition(job, event, now, policy) → {job, effects}. No I/O, no
// clock, no randomness; jobs/watcher.ts persists the new job BEFORE it performs any effect.
//
//   queued ─start→ submitting ─submit_ok→ submitted ─poll_ok(running)→ running ─poll_ok(complete)→ complete
//                     │  └─submit_rejected→ failed            │ no progress > stallAfter: stalled → (auto or on
//                     └─submit_lost/resumed→ verifying ─found_remote→ submitted        request) superseded + remainder job
//                                              └─not_found_remote (after grace)→ submitting (PUT again)
//   404 on the job several times → unknown (still polled slowly; the remainder may be resubmitted on request)
//   login refused (401) → the job waits where it is (a refused PUT goes back to queued) until the login changes

export const JOB_STATES = ['queued', 'submitting', 'verifying', 'submitted', 'running', 'stalled', 'unknown', 'complete', 'failed', 'superseded', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const TERMINAL_STATES: ReadonlySet<JobState> = new Set(['complete', 'failed', 'superseded', 'cancelled']);
/** States in which a job occupies the cluster's executor or our submission slot. */
export const ACTIVE_STATES: ReadonlySet<JobState> = new Set(['submitting', 'verifying', 'submitted', 'running']);

export interface JobSnapshot {
  state: JobState;
  remoteId: string | null;
  remoteStatus: string | null;
  total: number;
  done: number;
  successes: number;
  failures: number;
  submitAttempts: number;
  submitStartedAt: number | null;
  errorStreak: number;
  notFoundStreak: number;
  intervalMs: number;
  /** When the watcher should next act on this job (a 'tick'). */
  nextAt: number;
  lastProgressAt: number | null;
  lastError: string | null;
  note: string | null;
  finishedAt: number | null;
  /** The job carries the remainder of a stalled one (read from the row; never changed by a transition). */
  isRemainder?: boolean;
}

export interface Policy {
  /** Poll interval while progress moves. */
  pollMinMs: number;
  /** Longest poll interval of a running job that shows no progress. */
  pollMaxMs: number;
  /** Longest poll interval of a job still pending on the cluster, or stalled/unknown. */
  idlePollMaxMs: number;
  errorBaseMs: number;
  errorMaxMs: number;
  /** No progress for longer than this → stalled. */
  stallAfterMs: number;
  /** Resubmit the remainder of a stalled job without asking. */
  autoResubmit: boolean;
  /** A lost PUT is declared absent only when this long has passed since it was sent. */
  verifyGraceMs: number;
  /** PUT attempts (each preceded by a look-up) before giving up and marking the numbers failed. */
  maxSubmitAttempts: number;
  /** Consecutive 404s on a known job before it is 'unknown'. */
  notFoundLimit: number;
  /** Safety net: a PUT in flight longer than this is treated as lost. */
  submitTimeoutMs: number;
}

export const DEFAULT_POLICY: Policy = {
  pollMinMs: 2_000,
  pollMaxMs: 20_000,
  // A pending job starts when the one before it finishes; 20 s bounds that gap without flooding the cluster.
  idlePollMaxMs: 20_000,
  errorBaseMs: 2_000,
  // Short enough that a cluster back online is noticed within a minute.
  errorMaxMs: 60_000,
  stallAfterMs: 3_600_000,
  autoResubmit: true,
  verifyGraceMs: 3_000,
  maxSubmitAttempts: 5,
  notFoundLimit: 3,
  submitTimeoutMs: 300_000,
};

export type ErrorKind = 'offline' | 'rate_limited' | 'server' | 'auth' | 'not_found' | 'other';

export type JobEvent =
  /** The timer of the job fired (nextAt reached). */
  | { type: 'tick' }
  /** The watcher admits a queued job (a submission slot is free). */
  | { type: 'start' }
  /** The process (re)started and found this job unfinished. */
  | { type: 'resumed' }
  | { type: 'submit_ok'; remoteId: string }
  /** The cluster refused the PUT (4xx other than 429/408): nothing was created. */
  | { type: 'submit_rejected'; error: string }
  /** No reliable answer to the PUT (network, timeout, 5xx, 429): the job may or may not exist. */
  | { type: 'submit_lost'; error: string; retryAfterMs?: number }
  | { type: 'found_remote'; remoteId: string }
  | { type: 'not_found_remote' }
  | { type: 'lookup_error'; error: string; kind: ErrorKind; retryAfterMs?: number }
  /**
   * A successful poll. `done`/`successes`/`failures` are the recorded counts after it. `clusterProgressAt`
   * is the last time any job on the same cluster moved (a pending job behind a busy executor is not stalled).
   */
  | { type: 'poll_ok'; status: string; done: number; successes: number; failures: number; clusterProgressAt?: number | null }
  | { type: 'poll_error'; kind: ErrorKind; error: string; retryAfterMs?: number }
  /** The stall deadline passed without progress (same decision as a poll without progress past the threshold). */
  | { type: 'stall_timeout'; clusterProgressAt?: number | null }
  | { type: 'resubmit_requested'; force?: boolean }
  | { type: 'cancel_requested' }
  /** The cluster refused the login (401 even after logging in again, or a disabled account). */
  | { type: 'login_refused'; error: string; /** The cluster's name, for the note. */ cluster?: string };

export type EventType = JobEvent['type'];
export const EVENT_TYPES: readonly EventType[] = [
  'tick', 'start', 'resumed', 'submit_ok', 'submit_rejected', 'submit_lost', 'found_remote', 'not_found_remote',
  'lookup_error', 'poll_ok', 'poll_error', 'stall_timeout', 'resubmit_requested', 'cancel_requested', 'login_refused',
];

/** The note of a job held by a refused login (the same words as the Jobs screen's alert). */
export function loginRefusedNote(cluster = 'the cluster'): string {
  return `Login refused by ${cluster}: fix the login in Clusters. Nothing more is sent to it until its login or address is changed.`;
}

export type Effect =
  | { type: 'put_job' }
  | { type: 'find_remote' }
  | { type: 'poll' }
  /** Record a point of the progress time series. */
  | { type: 'record_progress' }
  /** Create a new job with the numbers that have no outcome yet, linked to this one (same transaction). */
  | { type: 'create_remainder' }
  /** Numbers still without an outcome are marked failed with this reason (so "retry failed" can take them). */
  | { type: 'fail_pending'; reason: string }
  /** Numbers still without an outcome are marked cancelled: never sent, so neither failed nor retried. */
  | { type: 'cancel_pending' }
  | { type: 'notify'; level: 'info' | 'warn'; message: string };

export interface Transition {
  job: JobSnapshot;
  effects: Effect[];
  /** True when the event does not apply in this state (the job is returned unchanged). */
  ignored: boolean;
}

const ignore = (job: JobSnapshot): Transition => ({ job, effects: [], ignored: true });
const go = (job: JobSnapshot, effects: Effect[] = []): Transition => ({ job, effects, ignored: false });

export function backoffMs(streak: number, p: Policy, retryAfterMs?: number): number {
  const exp = Math.min(p.errorMaxMs, p.errorBaseMs * 2 ** Math.max(0, Math.min(20, streak - 1)));
  return Math.max(exp, retryAfterMs ?? 0);
}

function stalledDecision(job: JobSnapshot, now: number, p: Policy, clusterProgressAt: number | null | undefined): Transition | null {
  const since = job.lastProgressAt ?? job.submitStartedAt ?? now;
  // A job still pending on the cluster is only stalled when nothing on that cluster has moved either.
  const reference = job.remoteStatus === 'pending' ? Math.max(since, clusterProgressAt ?? 0) : since;
  if (now - reference <= p.stallAfterMs) return null;
  const quiet = now - since;
  const ago = quiet >= 120_000 ? `${Math.round(quiet / 60_000)} min` : `${Math.round(quiet / 1000)} s`;
  const why = `No progress for ${ago} (status ${job.remoteStatus ?? 'unknown'}, ${job.done}/${job.total} done).`;
  // A remainder that never moved at all says the cluster's executor is stopped, not that one job died: another
  // automatic remainder would only add one more pending job on the cluster per threshold. Wait for a person.
  const executorStopped = job.isRemainder === true && job.done === 0;
  if (p.autoResubmit && !executorStopped) {
    return go({ ...job, state: 'superseded', note: `${why} The numbers it never reached were resubmitted as a new job.`, finishedAt: now, nextAt: now }, [
      { type: 'create_remainder' },
      { type: 'notify', level: 'warn', message: `Job stalled: ${why} Resubmitting the remainder.` },
    ]);
  }
  const advice = executorStopped
    ? "This remainder made no progress either: the cluster's job executor seems stopped (Kazoo restarts only pending jobs of the current month). Resubmit it when jobs run there again."
    : 'Resubmit the remainder when you are ready.';
  return go({ ...job, state: 'stalled', note: `${why} ${advice}`, intervalMs: p.idlePollMaxMs, nextAt: now + p.idlePollMaxMs }, [
    { type: 'notify', level: 'warn', message: `Job stalled: ${why}` },
  ]);
}

export function transition(job: JobSnapshot, event: JobEvent, now: number, p: Policy = DEFAULT_POLICY): Transition {
  const s = job.state;
  if (TERMINAL_STATES.has(s)) return ignore(job);

  switch (event.type) {
    case 'start':
      if (s !== 'queued') return ignore(job);
      return go({ ...job, state: 'submitting', submitAttempts: job.submitAttempts + 1, submitStartedAt: now, nextAt: now + p.submitTimeoutMs, lastError: null }, [{ type: 'put_job' }]);

    case 'resumed':
    case 'tick':
      if (s === 'queued') return ignore(job);
      if (s === 'submitting') {
        // The PUT's fate is unknown (the process died, or it hangs): look for the job before sending again.
        if (event.type === 'tick' && now < job.nextAt) return ignore(job);
        const at = Math.max(now, (job.submitStartedAt ?? now) + p.verifyGraceMs);
        return go({ ...job, state: 'verifying', nextAt: at, note: 'Checking whether the cluster received the job before sending it again.' });
      }
      if (event.type === 'resumed') return go({ ...job, nextAt: Math.min(job.nextAt, now) });
      if (s === 'verifying') return go(job, [{ type: 'find_remote' }]);
      return go(job, [{ type: 'poll' }]);

    case 'submit_ok':
      if (s !== 'submitting') return ignore(job);
      return go({ ...job, state: 'submitted', remoteId: event.remoteId, remoteStatus: 'pending', errorStreak: 0, lastProgressAt: now, intervalMs: p.pollMinMs, nextAt: now + p.pollMinMs, note: null }, [
        { type: 'record_progress' },
      ]);

    case 'submit_rejected':
      if (s !== 'submitting') return ignore(job);
      return go({ ...job, state: 'failed', lastError: event.error, finishedAt: now, nextAt: now, note: 'The cluster refused the job; nothing was imported.' }, [
        { type: 'fail_pending', reason: `job refused: ${event.error}` },
      ]);

    case 'submit_lost': {
      if (s !== 'submitting') return ignore(job);
      const streak = job.errorStreak + 1;
      const at = Math.max(now + backoffMs(streak, p, event.retryAfterMs), (job.submitStartedAt ?? now) + p.verifyGraceMs);
      return go({ ...job, state: 'verifying', errorStreak: streak, lastError: event.error, nextAt: at, note: 'No reply to the submission; checking the cluster before sending it again.' });
    }

    case 'found_remote':
      if (s !== 'verifying') return ignore(job);
      return go({ ...job, state: 'submitted', remoteId: event.remoteId, remoteStatus: 'pending', errorStreak: 0, lastProgressAt: now, intervalMs: p.pollMinMs, nextAt: now, note: 'Found on the cluster after a lost reply; adopted (not sent twice).' }, [
        { type: 'record_progress' },
      ]);

    case 'not_found_remote': {
      if (s !== 'verifying') return ignore(job);
      const graceEnd = (job.submitStartedAt ?? 0) + p.verifyGraceMs;
      if (now < graceEnd) return go({ ...job, nextAt: graceEnd });
      if (job.submitAttempts >= p.maxSubmitAttempts) {
        return go({ ...job, state: 'failed', finishedAt: now, nextAt: now, note: `Gave up after ${job.submitAttempts} submissions that got no reply.` }, [
          { type: 'fail_pending', reason: `not submitted: ${job.lastError ?? 'no reply from the cluster'}` },
        ]);
      }
      return go({ ...job, state: 'submitting', submitAttempts: job.submitAttempts + 1, submitStartedAt: now, nextAt: now + p.submitTimeoutMs, note: 'Not on the cluster: sending it again.' }, [{ type: 'put_job' }]);
    }

    case 'lookup_error': {
      if (s !== 'verifying') return ignore(job);
      const streak = job.errorStreak + 1;
      return go({ ...job, errorStreak: streak, lastError: event.error, nextAt: now + backoffMs(streak, p, event.retryAfterMs) });
    }

    case 'poll_ok': {
      if (!['submitted', 'running', 'stalled', 'unknown'].includes(s)) return ignore(job);
      const moved = event.done > job.done || event.status !== job.remoteStatus;
      const next: JobSnapshot = {
        ...job,
        remoteStatus: event.status,
        done: event.done,
        successes: event.successes,
        failures: event.failures,
        errorStreak: 0,
        notFoundStreak: 0,
        lastError: null,
        lastProgressAt: moved ? now : job.lastProgressAt,
      };
      const effects: Effect[] = moved ? [{ type: 'record_progress' }] : [];
      if (event.status === 'complete') {
        const missing = next.total - next.done;
        const fx: Effect[] = [...effects];
        if (missing > 0) fx.push({ type: 'fail_pending', reason: 'no result: Kazoo finished the job without a result for this number' });
        return go({ ...next, state: 'complete', finishedAt: now, nextAt: now, note: missing > 0 ? `${missing} numbers got no result from Kazoo.` : next.note }, fx);
      }
      next.state = event.status === 'running' ? 'running' : 'submitted';
      if (!moved) {
        const stall = stalledDecision(next, now, p, event.clusterProgressAt);
        // A job already waiting as stalled stays so without telling the user again at every poll.
        if (stall) return { ...stall, effects: [...effects, ...stall.effects.filter((e) => e.type !== 'notify' || s !== 'stalled')] };
      }
      const cap = event.status === 'running' ? p.pollMaxMs : p.idlePollMaxMs;
      const interval = moved ? p.pollMinMs : Math.min(cap, Math.max(p.pollMinMs, Math.round(job.intervalMs * 1.5)));
      return go({ ...next, intervalMs: interval, nextAt: now + interval, note: s === 'stalled' || s === 'unknown' ? null : job.note }, effects);
    }

    case 'poll_error': {
      if (!['submitted', 'running', 'stalled', 'unknown'].includes(s)) return ignore(job);
      if (event.kind === 'not_found') {
        const nf = job.notFoundStreak + 1;
        if (nf >= p.notFoundLimit) {
          return go({ ...job, state: 'unknown', notFoundStreak: nf, lastError: event.error, intervalMs: p.idlePollMaxMs, nextAt: now + p.idlePollMaxMs, note: 'The cluster no longer finds this job; resubmit the remainder if it does not come back.' }, s === 'unknown' ? [] : [
            { type: 'notify', level: 'warn', message: `Job ${job.remoteId} is not found on the cluster.` },
          ]);
        }
        return go({ ...job, notFoundStreak: nf, lastError: event.error, nextAt: now + backoffMs(nf, p) });
      }
      const streak = job.errorStreak + 1;
      return go({ ...job, errorStreak: streak, lastError: event.error, nextAt: now + backoffMs(streak, p, event.retryAfterMs) });
    }

    case 'stall_timeout': {
      if (s !== 'submitted' && s !== 'running') return ignore(job);
      return stalledDecision(job, now, p, event.clusterProgressAt) ?? ignore(job);
    }

    case 'resubmit_requested': {
      const allowed = s === 'stalled' || s === 'unknown' || (event.force === true && (s === 'submitted' || s === 'running'));
      if (!allowed) return ignore(job);
      return go({ ...job, state: 'superseded', finishedAt: now, nextAt: now, note: 'The numbers without a result were resubmitted as a new job on request.' }, [{ type: 'create_remainder' }]);
    }

    case 'login_refused': {
      if (s === 'queued') return ignore(job);
      // Crossbar authenticates before it acts (crossbar-spec §13): a refused PUT created nothing, so that job waits
      // as queued (and the refused attempt does not count); the others keep their state and wait.
      if (s === 'submitting') {
        return go({ ...job, state: 'queued', submitAttempts: Math.max(0, job.submitAttempts - 1), submitStartedAt: null, lastError: event.error, note: loginRefusedNote(event.cluster), nextAt: now });
      }
      return go({ ...job, lastError: event.error, note: loginRefusedNote(event.cluster), intervalMs: p.idlePollMaxMs, nextAt: now + p.idlePollMaxMs });
    }

    case 'cancel_requested':
      if (s !== 'queued') return ignore(job);
      return go({ ...job, state: 'cancelled', finishedAt: now, nextAt: now, note: 'Cancelled before it was sent.' }, [{ type: 'cancel_pending' }]);
  }
}

/** The stall deadline of an active job, for watchers that want to wake exactly then. */
export function stallDeadline(job: JobSnapshot, p: Policy): number | null {
  if (job.state !== 'submitted' && job.state !== 'running') return null;
  return (job.lastProgressAt ?? job.submitStartedAt ?? 0) + p.stallAfterMs;
}

// Plain words and badge tones for job states, shared by the dashboard, history and results.
import type { JobState, NumberOutcome } from '../../../../../electron/shared/contract/jobs.ts';
type Tone = 'ok' | 'warn' | 'err' | 'info' | 'muted';

export const STATE_WORDS: Record<JobState, { label: string; tone: Tone; help: string }> = {
  queued: { label: 'waiting', tone: 'muted', help: 'Not sent yet; it goes out when the jobs before it are on the cluster.' },
  submitting: { label: 'sending', tone: 'info', help: 'Being sent to the cluster.' },
  verifying: { label: 'checking', tone: 'warn', help: 'The app stopped while sending; it is checking whether the cluster got the job, so nothing is imported twice.' },
  submitted: { label: 'sent', tone: 'info', help: 'On the cluster, waiting for its turn.' },
  running: { label: 'running', tone: 'info', help: 'The cluster is importing the numbers.' },
  stalled: { label: 'stalled', tone: 'warn', help: 'No progress for longer than the cluster’s recovery threshold.' },
  unknown: { label: 'no news', tone: 'warn', help: 'The cluster does not answer about this job right now.' },
  complete: { label: 'complete', tone: 'ok', help: 'Every number has a result.' },
  failed: { label: 'failed', tone: 'err', help: 'The job could not run.' },
  superseded: { label: 'continued', tone: 'muted', help: 'Its remaining numbers were moved to a new job.' },
  cancelled: { label: 'cancelled', tone: 'muted', help: 'Stopped before it was sent.' },
};

export const OUTCOME_WORDS: Record<NumberOutcome, string> = {
  pending: 'no result yet',
  success: 'imported',
  failed: 'failed',
  moved: 'moved to a new job',
  cancelled: 'cancelled, not sent',
};

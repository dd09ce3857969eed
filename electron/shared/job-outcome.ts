// What a finished job or submission did, in the same words in the app and on the command line: named by the
// outcome of its numbers (all imported, some failed, all failed, cancelled), never just "complete".

export type OutcomeTone = 'ok' | 'warn' | 'err' | 'muted';

export interface FinishedOutcome {
  key: 'all_imported' | 'some_failed' | 'all_failed' | 'cancelled' | 'partly_cancelled' | 'nothing_sent';
  label: string;
  tone: OutcomeTone;
}

/** Counts of numbers with a final outcome; cancelled ones were never sent to the cluster. */
export interface OutcomeCounts {
  imported: number;
  failed: number;
  cancelled: number;
}

export function finishedOutcome(c: OutcomeCounts): FinishedOutcome {
  const sent = c.imported + c.failed;
  if (c.cancelled > 0) {
    return sent === 0 ? { key: 'cancelled', label: 'cancelled', tone: 'muted' } : { key: 'partly_cancelled', label: 'cancelled part-way', tone: 'warn' };
  }
  if (sent === 0) return { key: 'nothing_sent', label: 'nothing sent', tone: 'muted' };
  if (c.failed === 0) return { key: 'all_imported', label: 'all imported', tone: 'ok' };
  if (c.imported === 0) return { key: 'all_failed', label: 'all failed', tone: 'err' };
  return { key: 'some_failed', label: 'some failed', tone: 'warn' };
}

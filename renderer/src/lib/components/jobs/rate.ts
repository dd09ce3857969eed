// Rate and time-left estimate of a job from its progress series (timestamp ms, numbers done), and their wording.
export interface SeriesPoint {
  at: number;
  done: number;
}

/**
 * Numbers per second over the last `windowMs` before `now` (null until two points span some time). Measuring up to
 * `now`, not to the last point, lets the rate fall towards zero when progress stops (a stalled or unreachable job).
 */
export function rateOf(points: readonly SeriesPoint[], now?: number, windowMs = 60_000): number | null {
  if (points.length < 2) return null;
  const last = points[points.length - 1]!;
  const end = Math.max(now ?? last.at, last.at);
  let i = points.length - 2;
  while (i > 0 && end - points[i]!.at < windowMs) i--;
  const from = points[i]!;
  // Nothing done yet and the job younger than the window: there is no rate to show yet, not "no progress lately"
  // (a batch sent seconds ago would read as stalled).
  if (last.done === points[0]!.done && end - points[0]!.at < windowMs) return null;
  const secs = (end - from.at) / 1000;
  if (secs <= 0) return null;
  return Math.max(0, (last.done - from.done) / secs);
}

/** Seconds left at `rate`, or null when unknown (no rate yet, or stalled). */
export function etaSeconds(done: number, total: number, rate: number | null): number | null {
  if (done >= total) return 0;
  if (!rate || rate <= 0) return null;
  return (total - done) / rate;
}

export function formatRate(rate: number | null): string {
  if (rate === null) return 'no rate yet';
  if (rate >= 10) return `${Math.round(rate)} numbers/s`;
  if (rate >= 1) return `${rate.toFixed(1)} numbers/s`;
  if (rate > 0) return `${Math.round(rate * 60)} numbers/min`;
  return 'no progress lately';
}

export function formatDuration(secs: number | null): string {
  if (secs === null) return 'time left not known';
  if (secs <= 0) return 'done';
  if (secs < 1) return 'under a second left';
  if (secs < 60) return `about ${Math.ceil(secs)} s left`;
  if (secs < 3600) return `about ${Math.ceil(secs / 60)} min left`;
  const h = Math.floor(secs / 3600);
  return `about ${h} h ${Math.ceil((secs - h * 3600) / 60)} min left`;
}

/** "for 14 min": how long nothing moved, for "no progress for …". */
export function formatQuiet(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

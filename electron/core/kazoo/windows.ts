// Gregorian seconds (Kazoo's clock: seconds since year 0) and the month-by-month windows used for job listings.

/** Seconds between 0000-01-01 and 1970-01-01 (Erlang calendar). */
export const GREGORIAN_OFFSET_S = 62_167_219_200;

/** Crossbar's default `maximum_range`: 31 days + 1 hour (§4). */
export const MAX_RANGE_S = 2_682_000;

export const toGregorianS = (ms: number): number => Math.floor(ms / 1000) + GREGORIAN_OFFSET_S;
export const fromGregorianS = (g: number): number => (g - GREGORIAN_OFFSET_S) * 1000;

export interface Window {
  /** Inclusive, Gregorian seconds. */
  from: number;
  /** Inclusive, Gregorian seconds. */
  to: number;
}

/**
 * Splits [fromMs, toMs] into UTC calendar-month windows, newest first. Windows do not overlap (each ends one
 * second before the next starts) and none spans more than 31 days, inside Crossbar's maximum range.
 */
export function monthWindows(fromMs: number, toMs: number): Window[] {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) throw new RangeError('Job listing dates must be valid dates.');
  if (toMs < fromMs) throw new RangeError(`The job listing range ends (${new Date(toMs).toISOString()}) before it starts (${new Date(fromMs).toISOString()}).`);
  const out: Window[] = [];
  const endS = Math.floor(toMs / 1000);
  let startS = Math.floor(fromMs / 1000);
  while (startS <= endS) {
    const d = new Date(startS * 1000);
    const nextMonthS = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 1000;
    const winEnd = Math.min(endS, nextMonthS - 1);
    out.push({ from: startS + GREGORIAN_OFFSET_S, to: winEnd + GREGORIAN_OFFSET_S });
    startS = nextMonthS;
  }
  return out.reverse();
}

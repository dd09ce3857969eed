// Reads per-number outcomes out of a Kazoo job document (pure). Tolerant of both flavors: `success` or
// `successes`, error values as objects ({code,error,cause,message} or {reason,message}) or bare strings.

export interface NumberOutcome {
  outcome: 'success' | 'failed';
  number_state: string | null;
  carrier_module: string | null;
  reason: string | null;
  error_json: string | null;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

/** The key Kazoo would use for a number in `success` (normalised E.164); we send E.164, so mostly identity. */
export function successKey(n: string): string {
  const digits = n.replace(/[^\d]/g, '');
  if (n.startsWith('+')) return '+' + digits;
  if (digits.length === 10) return '+1' + digits;
  if (digits.length === 11 && digits.startsWith('1')) return '+' + digits;
  if (digits.startsWith('011')) return '+' + digits.slice(3);
  if (digits.startsWith('00')) return '+' + digits.slice(2);
  return '+' + digits;
}

export function successOutcome(v: unknown): NumberOutcome {
  const ro = isObj(v) && isObj(v._read_only) ? v._read_only : {};
  const state = isObj(v) ? (str(v.state) ?? str(ro.state)) : null;
  const module = str(ro.carrier_module) ?? (isObj(v) ? str(v.carrier_module) : null);
  return { outcome: 'success', number_state: state, carrier_module: module ? module.replace(/^knm_/, '') : null, reason: null, error_json: null };
}

export function errorOutcome(v: unknown): NumberOutcome {
  let reason: string;
  if (typeof v === 'string') reason = v;
  else if (isObj(v)) reason = str(v.error) ?? str(v.reason) ?? str(v.message) ?? 'error';
  else reason = 'error';
  return { outcome: 'failed', number_state: null, carrier_module: null, reason, error_json: v === undefined ? null : JSON.stringify(v) };
}

/**
 * Outcomes for the given numbers found in the job's maps. Numbers absent from both maps are left out
 * (still pending). `errors` is keyed by the raw string sent; `success` by the normalised number.
 */
export function outcomesOf(numbers: string[], success: Record<string, unknown> | undefined, errors: Record<string, unknown> | undefined): Map<string, NumberOutcome> {
  const out = new Map<string, NumberOutcome>();
  const s = success ?? {};
  const e = errors ?? {};
  for (const n of numbers) {
    if (Object.hasOwn(s, n)) out.set(n, successOutcome(s[n]));
    else if (Object.hasOwn(e, n)) out.set(n, errorOutcome(e[n]));
    else {
      const k = successKey(n);
      if (Object.hasOwn(s, k)) out.set(n, successOutcome(s[k]));
    }
  }
  return out;
}

/** Whether an error reason says the number already exists on the cluster. */
export const isNumberExists = (reason: string | null): boolean => reason === 'number_exists';

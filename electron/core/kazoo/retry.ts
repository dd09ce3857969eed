// Retry policy: which requests may be repeated, on which failures, and how long to wait (capped full jitter).
import { AbortedError, KazooError, NetworkError, RateLimitedError, ServerError } from './errors.ts';
import type { HttpMethod, RetryOptions } from './types.ts';

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseMs: 250, capMs: 8000, deadlineMs: 60_000 };

export function retryPolicy(o: RetryOptions | undefined): RetryPolicy {
  return {
    maxAttempts: Math.max(1, Math.floor(o?.maxAttempts ?? DEFAULT_RETRY.maxAttempts)),
    baseMs: Math.max(0, o?.baseMs ?? DEFAULT_RETRY.baseMs),
    capMs: Math.max(0, o?.capMs ?? DEFAULT_RETRY.capMs),
    deadlineMs: Math.max(0, o?.deadlineMs ?? DEFAULT_RETRY.deadlineMs),
  };
}

/** Injectable sleep so tests stay fast; rejects with AbortedError when the signal fires. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const defaultSleep: Sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError());
    const onAbort = () => {
      clearTimeout(t);
      reject(new AbortedError());
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Full jitter: uniform in [0, min(cap, base·2^(attempt-1))], where `attempt` is the attempt that just failed (1-based). */
export function backoffMs(attempt: number, p: Pick<RetryPolicy, 'baseMs' | 'capMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(p.capMs, p.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * A request may be repeated when repeating it cannot do anything twice: GET, DELETE, a PUT whose id the
 * client chose (caller says so), a POST/PATCH guarded by If-Match.
 */
export function isIdempotent(method: HttpMethod, headers: Record<string, string> | undefined, clientSuppliedId = false): boolean {
  if (method === 'GET' || method === 'DELETE') return true;
  if (method === 'PUT') return clientSuppliedId;
  const ifMatch = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === 'if-match')?.[1];
  return ifMatch !== undefined && ifMatch !== '';
}

/**
 * Whether a failure may be retried and the wait imposed by the server (Retry-After), if any.
 * A 429 and a refused connection are retried for every request: the cluster did not act on it. Resets,
 * timeouts and 5xx may have happened after the cluster acted, so only idempotent requests are repeated.
 */
export function classifyFailure(e: unknown, idempotent: boolean): { retry: boolean; waitMs?: number } {
  if (e instanceof RateLimitedError) return e.retryAfterMs === undefined ? { retry: true } : { retry: true, waitMs: e.retryAfterMs };
  if (e instanceof NetworkError) return { retry: e.code === 'unreachable' ? e.errno !== 'ENOTFOUND' : idempotent };
  if (e instanceof ServerError) {
    // 'init failed' is Crossbar's deterministic refusal of a global call by a non super-duper login (§1.3).
    if (e.kazooMessage === 'init failed' || e.status === 501) return { retry: false };
    return { retry: idempotent };
  }
  return { retry: false };
}

export interface RetryRun {
  policy: RetryPolicy;
  idempotent: boolean;
  now: () => number;
  sleep: Sleep;
  random?: () => number;
  signal?: AbortSignal | undefined;
  /** Called before each wait, for logging. */
  onRetry?: (info: { attempt: number; delayMs: number; error: KazooError }) => void;
}

/** Runs `attempt(n)` until it succeeds, fails for good, runs out of attempts or passes the deadline. */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, run: RetryRun): Promise<T> {
  const started = run.now();
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      if (run.signal?.aborted) throw e instanceof AbortedError ? e : new AbortedError();
      const { retry, waitMs } = classifyFailure(e, run.idempotent);
      if (!retry || n >= run.policy.maxAttempts) throw e;
      const delayMs = waitMs ?? backoffMs(n, run.policy, run.random);
      if (run.now() - started + delayMs > run.policy.deadlineMs) throw e;
      run.onRetry?.({ attempt: n, delayMs, error: e as KazooError });
      await run.sleep(delayMs, run.signal);
    }
  }
}

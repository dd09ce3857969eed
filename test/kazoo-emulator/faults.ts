// Fault injection: a seeded PRNG and the per-request dice (429 with Retry-After, 500/503 envelopes,
// connection resets), optionally limited to paths matching `failPaths`.
import { fail, type Reply } from './context.ts';
import type { Faults } from './types.ts';

/** mulberry32: small, fast, reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FaultRoll {
  reply?: Reply; // answered instead of processing the request
  reset: boolean; // process, then destroy the socket instead of replying (the reply is lost)
}

/** `failPaths` is tested against the path and against "METHOD /path" (e.g. '^PUT /v2/accounts/[^/]+/resources$'). */
export function rollFaults(f: Faults, method: string, path: string, rnd: () => number): FaultRoll {
  if (f.failPaths) {
    let re: RegExp;
    try {
      re = new RegExp(f.failPaths);
    } catch {
      return { reset: false };
    }
    if (!re.test(path) && !re.test(`${method} ${path}`)) return { reset: false };
  }
  if (f.resetRate > 0 && rnd() < f.resetRate) return { reset: true };
  if (f.rateLimitRate > 0 && rnd() < f.rateLimitRate) {
    return {
      reset: false,
      reply: { ...fail(429, 'too_many_requests', { message: 'too many requests' }), headers: { 'retry-after': String(f.retryAfterS) } },
    };
  }
  if (f.errorRate > 0 && rnd() < f.errorRate) {
    const reply = rnd() < 0.5
      ? fail(500, 'datastore_fault', { cause: 'emulated_fault', message: 'unknown failure' })
      : fail(503, 'datastore_unreachable', { message: 'datastore timeout' });
    return { reset: false, reply };
  }
  return { reset: false };
}

export function mergeFaults(cur: Faults, patch: Partial<Faults>): Faults {
  const next: Faults = { ...cur };
  for (const k of ['latencyMs', 'errorRate', 'rateLimitRate', 'retryAfterS', 'resetRate'] as const) {
    const v = patch[k];
    if (v === undefined) continue;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`faults.${k} must be a non-negative number, got ${JSON.stringify(v)}`);
    if (k.endsWith('Rate') && n > 1) throw new Error(`faults.${k} must be between 0 and 1, got ${n}`);
    next[k] = n;
  }
  if (patch.docsQuirks !== undefined) next.docsQuirks = patch.docsQuirks === true;
  if ('failPaths' in patch) {
    if (patch.failPaths) {
      try {
        new RegExp(patch.failPaths);
      } catch (e) {
        throw new Error(`faults.failPaths is not a valid regular expression: ${(e as Error).message}`);
      }
      next.failPaths = patch.failPaths;
    } else delete next.failPaths;
  }
  return next;
}

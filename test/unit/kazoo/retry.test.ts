import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs, classifyFailure, isIdempotent, retryPolicy, withRetry } from '../../../electron/core/kazoo/retry.ts';
import { AbortedError, AuthError, NetworkError, RateLimitedError, ServerError, TlsError, ValidationError } from '../../../electron/core/kazoo/errors.ts';

test('backoff is full jitter under a capped exponential ceiling', () => {
  const p = { baseMs: 100, capMs: 1000 };
  assert.equal(backoffMs(1, p, () => 0.999999), 99);
  assert.equal(backoffMs(3, p, () => 0.5), 200);
  assert.equal(backoffMs(10, p, () => 0.999999), 999);
  assert.equal(backoffMs(4, p, () => 0), 0);
});

test('retryPolicy fills defaults and clamps', () => {
  assert.deepEqual(retryPolicy(undefined), { maxAttempts: 4, baseMs: 250, capMs: 8000, deadlineMs: 60000 });
  assert.equal(retryPolicy({ maxAttempts: 0 }).maxAttempts, 1);
});

test('isIdempotent: GET/DELETE always, PUT with a client id, POST/PATCH only with If-Match', () => {
  assert.equal(isIdempotent('GET', undefined), true);
  assert.equal(isIdempotent('DELETE', undefined), true);
  assert.equal(isIdempotent('PUT', undefined), false);
  assert.equal(isIdempotent('PUT', undefined, true), true);
  assert.equal(isIdempotent('POST', {}), false);
  assert.equal(isIdempotent('POST', { 'If-Match': '1-a' }), true);
  assert.equal(isIdempotent('PATCH', { 'if-match': '' }), false);
});

test('classifyFailure: what is retried and for whom', () => {
  assert.deepEqual(classifyFailure(new RateLimitedError('x', 2000), false), { retry: true, waitMs: 2000 });
  assert.deepEqual(classifyFailure(new ServerError('x', { status: 503 }), true), { retry: true });
  assert.deepEqual(classifyFailure(new ServerError('x', { status: 503 }), false), { retry: false });
  assert.deepEqual(classifyFailure(new ServerError('x', { status: 500, kazooMessage: 'init failed' }), true), { retry: false });
  assert.deepEqual(classifyFailure(new NetworkError('network', 'reset', 'ECONNRESET'), true), { retry: true });
  assert.deepEqual(classifyFailure(new NetworkError('network', 'reset', 'ECONNRESET'), false), { retry: false });
  assert.deepEqual(classifyFailure(new NetworkError('unreachable', 'refused', 'ECONNREFUSED'), false), { retry: true });
  assert.deepEqual(classifyFailure(new NetworkError('unreachable', 'dns', 'ENOTFOUND'), true), { retry: false });
  for (const e of [new AuthError('x'), new TlsError('x', 'CERT_HAS_EXPIRED'), new ValidationError('x', {})]) assert.deepEqual(classifyFailure(e, true), { retry: false });
});

function harness() {
  const sleeps: number[] = [];
  let now = 0;
  return {
    sleeps,
    run: (idempotent: boolean, over: Partial<{ maxAttempts: number; deadlineMs: number }> = {}) => ({
      policy: retryPolicy({ maxAttempts: 5, baseMs: 100, capMs: 1000, deadlineMs: 10_000, ...over }),
      idempotent,
      now: () => now,
      random: () => 0.5,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        now += ms;
      },
    }),
  };
}

test('withRetry retries 5xx for idempotent requests and succeeds', async () => {
  const h = harness();
  let calls = 0;
  const out = await withRetry(async () => {
    if (++calls < 3) throw new ServerError('busy', { status: 503 });
    return 'ok';
  }, h.run(true));
  assert.equal(out, 'ok');
  assert.equal(calls, 3);
  assert.deepEqual(h.sleeps, [50, 100]);
});

test('withRetry never repeats a non-idempotent request on 5xx, but does on 429 with Retry-After', async () => {
  const h = harness();
  let calls = 0;
  await assert.rejects(
    withRetry(async () => {
      calls++;
      throw new ServerError('busy', { status: 503 });
    }, h.run(false)),
    ServerError,
  );
  assert.equal(calls, 1);
  calls = 0;
  const out = await withRetry(async () => {
    if (++calls === 1) throw new RateLimitedError('slow down', 1500);
    return 'ok';
  }, h.run(false));
  assert.equal(out, 'ok');
  assert.deepEqual(h.sleeps, [1500]);
});

test('withRetry stops at maxAttempts and at the deadline', async () => {
  const h = harness();
  let calls = 0;
  await assert.rejects(
    withRetry(async () => {
      calls++;
      throw new NetworkError('network', 'reset', 'ECONNRESET');
    }, h.run(true, { maxAttempts: 3 })),
    NetworkError,
  );
  assert.equal(calls, 3);
  const h2 = harness();
  calls = 0;
  await assert.rejects(
    withRetry(async () => {
      calls++;
      throw new RateLimitedError('slow', 4000);
    }, h2.run(true, { deadlineMs: 9000 })),
    RateLimitedError,
  );
  assert.equal(calls, 3, 'two waits of 4 s fit in 9 s, a third does not');
});

test('withRetry turns an abort during the wait into AbortedError', async () => {
  const ac = new AbortController();
  let calls = 0;
  await assert.rejects(
    withRetry(
      async () => {
        calls++;
        throw new ServerError('busy', { status: 503 });
      },
      {
        policy: retryPolicy({ maxAttempts: 5 }),
        idempotent: true,
        now: () => 0,
        signal: ac.signal,
        sleep: async () => {
          ac.abort();
          throw new AbortedError();
        },
      },
    ),
    AbortedError,
  );
  assert.equal(calls, 1);
});

// Shared setup for client-vs-emulator tests: one emulator per flavor, clients with fast recorded sleeps,
// an in-memory token cache (so tests can see every token issued) and a capturing logger.
import { demoSeed, startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../kazoo-emulator/index.ts';
import { createKazooClient, type CachedToken, type ClusterConnection, type KazooClient, type TokenCache } from '../../../electron/core/kazoo/index.ts';
import { systemClock } from '../../../electron/core/platform.ts';
import { captureLogger } from './helpers.ts';

export interface Harness {
  em: EmulatorHandle;
  log: ReturnType<typeof captureLogger>;
  /** Every wait the retry logic asked for, in ms. */
  sleeps: number[];
  /** Every token any client of this harness received. */
  tokens: Set<string>;
  secrets: string[];
  admin: ClusterConnection['auth'];
  client(over?: Partial<ClusterConnection>): KazooClient;
  close(): Promise<void>;
}

export const ADMIN = { kind: 'user' as const, accountName: 'Master', username: 'admin', password: 'demo-admin-pass' };

export function memoryTokenCache(seen: Set<string>): TokenCache {
  const m = new Map<string, CachedToken>();
  return {
    get: (id) => m.get(id),
    set: (id, t) => {
      seen.add(t.token);
      m.set(id, t);
    },
    clear: (id) => void m.delete(id),
  };
}

export async function harness(opts: EmulatorOptions): Promise<Harness> {
  const em = await startEmulator({ port: 0, randomSeed: 42, ...opts });
  const log = captureLogger();
  const sleeps: number[] = [];
  const tokens = new Set<string>();
  const clients: KazooClient[] = [];
  const seed = demoSeed();
  const secrets = [ADMIN.password, ...seed.accounts.map((a) => a.api_key).filter((k): k is string => !!k), ...(seed.users ?? []).map((u) => u.password)];
  let n = 0;
  return {
    em,
    log,
    sleeps,
    tokens,
    secrets,
    admin: ADMIN,
    client(over = {}) {
      const c = createKazooClient(
        { id: `emu-${opts.flavor}-${++n}`, baseUrl: em.url, auth: ADMIN, retry: { maxAttempts: 10, baseMs: 2, capMs: 20 }, ...over },
        {
          clock: systemClock,
          logger: log,
          tokenCache: memoryTokenCache(tokens),
          sleep: (ms, signal) =>
            new Promise((resolve, reject) => {
              sleeps.push(ms);
              if (signal?.aborted) return reject(new Error('aborted'));
              setTimeout(resolve, Math.min(ms, 3));
            }),
        },
      );
      clients.push(c);
      return c;
    },
    async close() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await em.close();
    },
  };
}

/** Polls `fn` until `ok` holds or the deadline passes (no fixed sleeps as synchronisation). */
export async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, deadlineMs = 15_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${deadlineMs} ms: ${JSON.stringify(v).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export const randomDigits = (n: number): string => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');

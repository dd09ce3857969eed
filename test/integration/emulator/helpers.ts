// Shared helpers of the emulator conformance suite: start an emulator, log in, send Crossbar requests.
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../kazoo-emulator/index.ts';

export const FLAVORS = ['4.3', '5.0'] as const;
export const MASTER = 'a0000000000000000000000000000001';
export const ACME = 'c0000000000000000000000000000003';
export const GLOBEX = 'c0000000000000000000000000000004';
export const RESELLER = 'b0000000000000000000000000000002';
export const INITECH = 'c0000000000000000000000000000005';
export const MASTER_API_KEY = 'd3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0aa01';
export const GREG = 62167219200;

export const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

export interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function call(
  em: { url: string },
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Res> {
  const headers: Record<string, string> = { accept: 'application/json', ...(opts.headers ?? {}) };
  if (opts.token) headers['x-auth-token'] = opts.token;
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const r = await request(em.url + path, { method: method as 'GET', headers, ...(body !== undefined ? { body } : {}) });
  const text = await r.body.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: r.statusCode, headers: r.headers, text, body: parsed };
}

export async function login(em: { url: string }, account = 'Master', user = 'admin', pass = 'demo-admin-pass'): Promise<string> {
  const r = await call(em, 'PUT', '/v2/user_auth', { body: { data: { account_name: account, credentials: md5(`${user}:${pass}`) } } });
  if (r.status !== 201) throw new Error(`login ${account}/${user} failed: ${r.status} ${r.text}`);
  return r.body.auth_token as string;
}

/** Start an emulator and register its close() with the test context. */
export async function emulator(t: { after(fn: () => Promise<void> | void): void }, opts: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const em = await startEmulator(opts);
  t.after(() => em.close());
  return em;
}

/** Poll until `fn` returns a truthy value or the deadline passes. */
export async function until<T>(fn: () => Promise<T | undefined | false>, what: string, deadlineMs = 10000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export class TestClock {
  constructor(public ms: number = Date.UTC(2024, 2, 12, 14, 24, 34)) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export function resourceBody(name: string, extra: Record<string, unknown> = {}): { data: Record<string, unknown> } {
  return { data: { name, gateways: [{ server: 'sip.example.com' }], ...extra } };
}

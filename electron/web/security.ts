// Request checks of the browser host: loopback Host only, same-origin Origin only, per-launch token.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE_PREFIX = 'cd_token_';

export type Verdict = { ok: true; viaQuery: boolean } | { ok: false; status: 401 | 403; reason: string };

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

export function allowedHosts(port: number): Set<string> {
  return new Set(LOOPBACK_HOSTS.map((h) => `${h}:${port}`));
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage, port: number): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  const name = TOKEN_COOKIE_PREFIX + port;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/** Checks Host (DNS rebinding), Origin (cross-site requests) and the token, in that order. */
export function checkRequest(req: IncomingMessage, port: number, token: string): Verdict {
  const hosts = allowedHosts(port);
  const host = req.headers.host ?? '';
  if (!hosts.has(host)) return { ok: false, status: 403, reason: 'Host must be the loopback address this server printed.' };
  const origin = req.headers.origin;
  if (origin !== undefined && !hosts.has(origin.replace(/^http:\/\//, '')) ) {
    return { ok: false, status: 403, reason: 'Requests from other origins are refused.' };
  }
  if (origin !== undefined && !origin.startsWith('http://')) return { ok: false, status: 403, reason: 'Requests from other origins are refused.' };
  const url = new URL(req.url ?? '/', 'http://localhost');
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null && safeEqual(fromQuery, token)) return { ok: true, viaQuery: true };
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && safeEqual(auth.slice(7), token)) return { ok: true, viaQuery: false };
  const fromCookie = cookieToken(req, port);
  if (fromCookie !== undefined && safeEqual(fromCookie, token)) return { ok: true, viaQuery: false };
  return { ok: false, status: 401, reason: 'Open the address with its token, exactly as Carrier Desk printed it.' };
}

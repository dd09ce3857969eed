// Request checks of the browser host: loopback Host only, same-origin Origin only, and the per-launch token, which
// travels only in a header (Authorization: Bearer, or a WebSocket subprotocol), never in a cookie: cookies are not
// scoped to a port, so every other server on 127.0.0.1 would receive one. Nothing here throws on any input.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WS_TOKEN_PREFIX } from '../shared/web-auth.ts';

export type Verdict = { ok: true } | { ok: false; status: 400 | 401 | 403 | 404; reason: string };

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

export function allowedHosts(port: number): Set<string> {
  return new Set(LOOPBACK_HOSTS.map((h) => `${h}:${port}`));
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The path of a request target without its query, or undefined when it is not an origin-form path.
 * Deliberately no `new URL()` (which throws on '//' and friends) and no decoding.
 */
export function requestPath(rawUrl: string | undefined): string | undefined {
  // '//x' reads as a scheme-relative URL (another host) to most parsers: refused rather than guessed at.
  if (!rawUrl || rawUrl[0] !== '/' || rawUrl[1] === '/') return undefined;
  const cut = rawUrl.search(/[?#]/);
  return cut === -1 ? rawUrl : rawUrl.slice(0, cut);
}

/** Checks Host (DNS rebinding) and Origin (cross-site requests). Every request, token or not. */
export function checkOrigin(req: IncomingMessage, port: number): Verdict {
  const hosts = allowedHosts(port);
  const host = req.headers.host ?? '';
  if (!hosts.has(host)) return { ok: false, status: 403, reason: 'Host must be the loopback address this server printed.' };
  const origin = req.headers.origin;
  if (origin !== undefined && (!origin.startsWith('http://') || !hosts.has(origin.slice('http://'.length)))) {
    return { ok: false, status: 403, reason: 'Requests from other origins are refused.' };
  }
  return { ok: true };
}

/** The token offered in `Sec-WebSocket-Protocol`, if any. */
export function protocolToken(req: IncomingMessage): string | undefined {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(',')) {
    const p = part.trim();
    if (p.startsWith(WS_TOKEN_PREFIX)) return p.slice(WS_TOKEN_PREFIX.length);
  }
  return undefined;
}

/** Checks the token: `Authorization: Bearer <token>`, or (WebSocket upgrades only) the token subprotocol. Cookies never count. */
export function checkToken(req: IncomingMessage, token: string, opts: { allowProtocol: boolean }): Verdict {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ') && safeEqual(auth.slice(7), token)) return { ok: true };
  const offered = opts.allowProtocol ? protocolToken(req) : undefined;
  if (offered !== undefined && safeEqual(offered, token)) return { ok: true };
  return { ok: false, status: 401, reason: 'Open the address with its token, exactly as Carrier Desk printed it.' };
}

// The browser host: serves the built renderer and carries the contract over a WebSocket, on loopback only,
// behind a per-launch token. Same core, same dispatcher as the Electron host.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from '../core/index.ts';
import { RENDERER_CSP } from '../shared/csp.ts';
import { checkRequest, TOKEN_COOKIE_PREFIX } from './security.ts';

export const defaultRendererDir = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

export interface WebHostOptions {
  core: Core;
  port?: number;
  rendererDir?: string;
  /** Fixed token (tests); random 32 bytes otherwise. */
  token?: string;
}

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const SECURITY_HEADERS = {
  'content-security-policy': RENDERER_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

/** Largest contract message accepted from the page (a pasted number list can be big). */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const rendererDir = opts.rendererDir ?? defaultRendererDir;
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`The renderer is not built (${join(rendererDir, 'index.html')} is missing). Run: npm run build`);
  }
  let port = 0;
  const server = createServer((req, res) => handleHttp(req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const sockets = new Set<WebSocket>();

  function refuse(res: ServerResponse, status: number, reason: string) {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    res.end(`${status === 401 ? 'Unauthorized' : 'Forbidden'}: ${reason}\n`);
  }

  function handleHttp(req: IncomingMessage, res: ServerResponse) {
    const verdict = checkRequest(req, port, token);
    if (!verdict.ok) return refuse(res, verdict.status, verdict.reason);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 403, 'Only GET is served here.');
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (verdict.viaQuery) {
      // Trade the token in the address for a cookie scoped to this port, then drop it from the address bar.
      res.writeHead(303, {
        location: url.pathname,
        'set-cookie': `${TOKEN_COOKIE_PREFIX}${port}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        ...SECURITY_HEADERS,
      });
      return res.end();
    }
    serveStatic(url.pathname, res);
  }

  function serveStatic(pathname: string, res: ServerResponse) {
    let rel = decodeURIComponent(pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(rendererDir, rel));
    const inside = file.startsWith(normalize(rendererDir + sep)) || file === normalize(rendererDir);
    const target = inside && existsSync(file) && statSync(file).isFile() ? file : join(rendererDir, 'index.html');
    res.writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream', ...SECURITY_HEADERS });
    createReadStream(target).pipe(res);
  }

  server.on('upgrade', (req, socket, head) => {
    const verdict = checkRequest(req, port, token);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!verdict.ok || url.pathname !== '/ws') {
      const status = verdict.ok ? 404 : verdict.status;
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  const unsubscribe = opts.core.events.subscribe((message) => {
    const text = JSON.stringify(message);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  function attach(ws: WebSocket) {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', async (data) => {
      let msg: { id?: unknown; method?: unknown; args?: unknown };
      try {
        msg = JSON.parse(String(data));
      } catch {
        return ws.send(JSON.stringify({ id: null, result: { ok: false, error: { code: 'bad_message', message: 'Message is not JSON.' } } }));
      }
      if (typeof msg.id !== 'number' || typeof msg.method !== 'string') {
        return ws.send(JSON.stringify({ id: msg.id ?? null, result: { ok: false, error: { code: 'bad_message', message: 'A call needs a numeric id and a method.' } } }));
      }
      const result = await opts.core.dispatch(msg.method, msg.args);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id, result }));
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only, by design: never 0.0.0.0.
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

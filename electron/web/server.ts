// The browser host: serves the built renderer and carries the contract over a WebSocket, on loopback only,
// behind a per-launch token sent in a header. Same core, same dispatcher as the Electron host.
// No request may end the process: every path through here answers (400/401/403/404/405/500), logs, and keeps serving.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from '../core/index.ts';
import type { Logger } from '../core/platform.ts';
import { RENDERER_CSP } from '../shared/csp.ts';
import { readJson } from '../shared/json-limits.ts';
import { fileRoots, refusedPath } from './file-access.ts';
import { SESSION_PATH, WS_PROTOCOL } from '../shared/web-auth.ts';
import { checkOrigin, checkToken, requestPath, type Verdict } from './security.ts';

export const defaultRendererDir = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

export interface WebHostOptions {
  core: Core;
  port?: number;
  rendererDir?: string;
  /** Fixed token (tests); random 32 bytes otherwise. */
  token?: string;
  /** Folders whose files a page may name in contract calls (`--files-dir`); none by default. */
  filesDirs?: readonly string[];
  /** Where refused and failed requests are logged (default: the core's logger). */
  logger?: Logger;
}

export interface WebHost {
  /** The address to open: carries the token as `?token=`; the page moves it out of the address bar at once. */
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

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error' };

/** Largest contract message accepted from the page (a pasted number list can be big). */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** Request headers above this are refused with 431 by Node's parser (its default, stated here on purpose). */
const MAX_HEADER_BYTES = 16 * 1024;

/** Decodes a static asset path; undefined for malformed %-escapes or a NUL byte. */
function decodedPath(pathname: string): string | undefined {
  try {
    const rel = decodeURIComponent(pathname);
    return rel.includes('\0') ? undefined : rel;
  } catch {
    return undefined;
  }
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const rendererDir = opts.rendererDir ?? defaultRendererDir;
  const logger = opts.logger ?? opts.core.ctx.logger;
  const roots = fileRoots(opts.filesDirs ?? []);
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`The renderer is not built (${join(rendererDir, 'index.html')} is missing). Run: npm run build`);
  }
  let port = 0;
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
    try {
      handleHttp(req, res);
    } catch (e) {
      // Last resort: a bug here must cost one request, never the process (and its watcher).
      logger.error('browser host: request failed', { method: req.method, error: (e as Error)?.message });
      refuse(res, 500, 'The request could not be handled.');
    }
  });
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    // The page offers [WS_PROTOCOL, token protocol]; the answer names WS_PROTOCOL only, never the token.
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  const sockets = new Set<WebSocket>();

  function refuse(res: ServerResponse, status: number, reason: string) {
    if (res.headersSent || res.writableEnded || res.destroyed) {
      res.destroy();
      return;
    }
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    res.end(`${STATUS_TEXT[status] ?? 'Error'}: ${reason}\n`);
  }

  function logRefusal(req: IncomingMessage, v: Verdict & { ok: false }) {
    logger.warn('browser host: request refused', { status: v.status, method: req.method, reason: v.reason });
  }

  function handleHttp(req: IncomingMessage, res: ServerResponse) {
    res.on('error', () => {});
    const origin = checkOrigin(req, port);
    if (!origin.ok) return (logRefusal(req, origin), refuse(res, origin.status, origin.reason));
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Only GET is served here.');
    const pathname = requestPath(req.url);
    if (pathname === undefined) {
      logRefusal(req, { ok: false, status: 400, reason: 'not a path' });
      return refuse(res, 400, 'The address is not a path on this server.');
    }
    if (pathname === SESSION_PATH) {
      const v = checkToken(req, token, { allowProtocol: false });
      if (!v.ok) return (logRefusal(req, v), refuse(res, v.status, v.reason));
      res.writeHead(204, SECURITY_HEADERS);
      return res.end();
    }
    // The page and its assets hold no secret: they are served without the token (Host and Origin still checked).
    const rel = decodedPath(pathname);
    if (rel === undefined) {
      logRefusal(req, { ok: false, status: 400, reason: 'malformed path' });
      return refuse(res, 400, 'The address has a malformed %-escape.');
    }
    serveStatic(rel, req, res);
  }

  function serveStatic(rel: string, req: IncomingMessage, res: ServerResponse) {
    const base = normalize(rendererDir + sep);
    const wanted = normalize(join(rendererDir, rel.endsWith('/') ? rel + 'index.html' : rel));
    let target = join(rendererDir, 'index.html');
    try {
      if (wanted.startsWith(base) && statSync(wanted, { throwIfNoEntry: false })?.isFile()) target = wanted;
    } catch {
      // An unreadable name (too long, …): the app shell, like any unknown path.
    }
    const stream = createReadStream(target);
    stream.on('error', (e) => {
      logger.warn('browser host: static file failed', { error: e.message });
      refuse(res, 500, 'The file could not be read.');
    });
    stream.once('open', () => {
      res.writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream', ...SECURITY_HEADERS });
      if (req.method === 'HEAD') {
        stream.destroy();
        res.end();
      } else stream.pipe(res);
    });
  }

  /** Ends a raw socket with a bodiless HTTP status (upgrade refusals and parse errors). */
  function endSocket(socket: Duplex, status: number) {
    if (socket.destroyed) return;
    if (socket.writable) socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    else socket.destroy();
  }

  server.on('clientError', (e: Error & { code?: string }, socket: Duplex) => {
    // Malformed request lines, bad header bytes, oversized headers, resets: answer if we still can, never throw.
    logger.warn('browser host: malformed request', { error: e.code ?? e.message });
    endSocket(socket, e.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400);
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node detaches its own error listener from an upgraded socket: without this one a reset would end the process.
    socket.on('error', () => {});
    try {
      const origin = checkOrigin(req, port);
      const pathOk = requestPath(req.url) === '/ws';
      const verdict = !origin.ok ? origin : pathOk ? checkToken(req, token, { allowProtocol: true }) : ({ ok: false, status: 404, reason: 'no such endpoint' } as const);
      if (!verdict.ok) {
        logRefusal(req, verdict);
        return endSocket(socket, verdict.status);
      }
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
    } catch (e) {
      logger.error('browser host: upgrade failed', { error: (e as Error)?.message });
      endSocket(socket, 500);
    }
  });
  wss.on('wsClientError', (e, socket) => {
    logger.warn('browser host: bad WebSocket handshake', { error: e.message });
    endSocket(socket, 400);
  });

  const unsubscribe = opts.core.events.subscribe((message) => {
    const text = JSON.stringify(message);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  function reply(ws: WebSocket, message: unknown) {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  }

  function badMessage(ws: WebSocket, id: unknown, message: string) {
    reply(ws, { id: typeof id === 'number' ? id : null, result: { ok: false, error: { code: 'bad_message', message } } });
  }

  async function onMessage(ws: WebSocket, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) {
    if (isBinary) return badMessage(ws, null, 'Calls are JSON text messages.');
    const read = readJson(String(data), { what: 'The message', maxChars: MAX_MESSAGE_BYTES });
    if (!read.ok) return badMessage(ws, null, read.message);
    const msg = read.value as { id?: unknown; method?: unknown; args?: unknown } | null;
    if (typeof msg !== 'object' || msg === null || typeof msg.id !== 'number' || typeof msg.method !== 'string') {
      return badMessage(ws, msg?.id, 'A call needs a numeric id and a method.');
    }
    const refused = refusedPath(msg.method, msg.args, roots);
    if (refused) {
      logger.warn('browser host: file path refused', { method: msg.method, argument: refused.argument });
      return reply(ws, { id: msg.id, result: { ok: false, error: { code: 'forbidden_path', message: refused.message, details: { argument: refused.argument } } } });
    }
    const result = await opts.core.dispatch(msg.method, msg.args);
    reply(ws, { id: msg.id, result });
  }

  function attach(ws: WebSocket) {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    // Bad frames (invalid UTF-8, unmasked, oversized, reserved opcodes) arrive here; ws closes the socket itself.
    ws.on('error', (e) => logger.warn('browser host: WebSocket error', { error: (e as Error & { code?: string }).code ?? e.message }));
    ws.on('message', (data, isBinary) => {
      onMessage(ws, data, isBinary).catch((e: unknown) => {
        logger.error('browser host: message failed', { error: (e as Error)?.message });
        badMessage(ws, null, 'The call could not be handled.');
      });
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only, by design: never 0.0.0.0.
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.on('error', (e) => logger.error('browser host: server error', { error: e.message }));
  server.on('connection', (s: Socket) => s.on('error', () => {}));
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

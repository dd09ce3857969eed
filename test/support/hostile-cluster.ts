// A hostile cluster for tests: a loopback proxy in front of an emulator that forwards what it is not told to spoil,
// and answers chosen requests with an endless body, a huge one, a trickle, no headers at all, a reply of the wrong
// shape, absurd nesting or a 401. Bodies are produced as they are sent (never built whole in memory here), with
// backpressure, so what grows is only what the client keeps.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Hostility =
  /** Passed to the emulator; with `until`, only once that promise settles (a reply held back). */
  | { kind: 'forward'; until?: Promise<void> }
  /** 200, chunked, a listing envelope that never ends (or, with `stopAfter`, a valid one closed after about that many bytes). */
  | { kind: 'endless'; stopAfter?: number }
  /** A valid listing page of about `pageBytes` whose next_start_key always points at one more page. */
  | { kind: 'pages'; pageBytes: number }
  /** 200, a valid envelope padded to `bytes`; `declared` sends a content-length up front. */
  | { kind: 'huge'; bytes: number; declared?: boolean }
  /** Headers at once, then one byte of a valid reply every `everyMs`. */
  | { kind: 'trickle'; everyMs: number }
  /** Reads the request and never answers. */
  | { kind: 'silent' }
  /** This JSON (any shape) with this status. */
  | { kind: 'reply'; status: number; body: unknown }
  /** A body nested `depth` levels deep. */
  | { kind: 'deep'; depth: number }
  /** Crossbar's 401 for a refused token or login. */
  | { kind: 'unauthorized' }
  /** The emulator's reply with one more header holding `bytes` characters. */
  | { kind: 'headers'; bytes: number };

export interface HostileCluster {
  url: string;
  /** Requests seen, in order ("GET /v2/…"). */
  seen: string[];
  /** Bytes of hostile bodies written so far. */
  hostileBytes(): number;
  close(): Promise<void>;
}

/** About 64 KB of listing items, repeated for ever by the endless body. */
const CHUNK = `{"id":"${'f'.repeat(32)}","name":"${'x'.repeat(200)}"},`.repeat(256);

/** Writes `next()` chunks while the socket takes them; stops when next() returns null or the client went away. */
function pump(res: ServerResponse, next: () => Buffer | string | null, onBytes: (n: number) => void): void {
  const go = () => {
    for (;;) {
      if (res.destroyed || res.writableEnded) return;
      const chunk = next();
      if (chunk === null) return void res.end();
      onBytes(Buffer.byteLength(chunk));
      if (!res.write(chunk)) return void res.once('drain', go);
    }
  };
  res.on('error', () => {});
  go();
}

export async function startHostileCluster(upstream: string, decide: (req: IncomingMessage) => Hostility): Promise<HostileCluster> {
  const up = new URL(upstream);
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let hostile = 0;
  const count = (n: number) => (hostile += n);

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url}`);
      const h = decide(req);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const forward = () => {
        const fwd = request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: { ...req.headers, host: up.host } }, (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        });
        fwd.on('error', () => res.destroy());
        fwd.end(Buffer.concat(chunks));
      };
      switch (h.kind) {
        case 'forward':
          if (h.until) void h.until.then(forward, () => res.destroy());
          else forward();
          return;
        case 'headers':
          res.setHeader('x-padding', 'p'.repeat(h.bytes));
          forward();
          return;
        case 'endless': {
          res.writeHead(200, { 'content-type': 'application/json' });
          let sent = 0;
          let closed = false;
          pump(
            res,
            () => {
              if (closed) return null;
              if (sent === 0) return (sent = 1), '{"status":"success","data":[';
              if (h.stopAfter !== undefined && sent >= h.stopAfter) return (closed = true), `{"id":"${'e'.repeat(32)}"}]}`;
              sent += CHUNK.length;
              return CHUNK;
            },
            count,
          );
          return;
        }
        case 'pages': {
          res.writeHead(200, { 'content-type': 'application/json' });
          let sent = 0;
          let stage = 0;
          const key = `k${seen.length}`;
          pump(
            res,
            () => {
              if (stage === 0) return (stage = 1), '{"status":"success","data":[';
              if (stage === 1 && sent < h.pageBytes) return (sent += CHUNK.length), CHUNK;
              if (stage === 1) return (stage = 2), `{"id":"${'e'.repeat(32)}"}],"next_start_key":"${key}"}`;
              return null;
            },
            count,
          );
          return;
        }
        case 'huge': {
          const head = '{"status":"success","data":{"id":"big","name":"';
          const tail = '"}}';
          const padding = Math.max(0, h.bytes - head.length - tail.length);
          res.writeHead(200, { 'content-type': 'application/json', ...(h.declared ? { 'content-length': String(head.length + padding + tail.length) } : {}) });
          let left = padding;
          let stage = 0;
          const block = 'x'.repeat(64 * 1024);
          pump(
            res,
            () => {
              if (stage === 0) return (stage = 1), head;
              if (left > 0) {
                const n = Math.min(left, block.length);
                left -= n;
                return n === block.length ? block : block.slice(0, n);
              }
              if (stage === 1) return (stage = 2), tail;
              return null;
            },
            count,
          );
          return;
        }
        case 'trickle': {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.on('error', () => {});
          const text = '{"status":"success","data":[]}';
          let i = 0;
          const tick = () => {
            if (res.destroyed) return;
            res.write(text[i++ % text.length]!);
            count(1);
            const t = setTimeout(tick, h.everyMs);
            timers.add(t);
          };
          tick();
          return;
        }
        case 'silent':
          return;
        case 'reply':
          return json(h.status, h.body);
        case 'deep':
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(`{"status":"success","data":${'['.repeat(h.depth)}${']'.repeat(h.depth)}}`);
        case 'unauthorized':
          return json(401, { status: 'error', error: '401', message: 'invalid credentials', data: { message: 'invalid credentials' }, auth_token: '' });
      }
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    hostileBytes: () => hostile,
    close: () =>
      new Promise<void>((r) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

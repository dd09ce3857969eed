// A loopback HTTP proxy in front of an emulator that can rewrite a reply or swallow it (to simulate lost replies
// and clusters missing an endpoint) without touching the emulator.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Rule =
  /** Answer this instead of forwarding. */
  | { kind: 'reply'; status: number; body: unknown }
  /** Forward, let the upstream act, then destroy the client socket: the reply is lost. */
  | { kind: 'lose-reply' }
  /** Hold the request for `ms` before forwarding it: the upstream acts only then (a slow way to the cluster). */
  | { kind: 'delay'; ms: number }
  /** Forward at once (the upstream acts), but hold its reply until `until` settles: the answer is slow to come back. */
  | { kind: 'hold-reply'; until: Promise<unknown> }
  | { kind: 'forward' };

export interface Proxy {
  url: string;
  /** Requests that passed through, in order. */
  seen: { method: string; path: string }[];
  close(): Promise<void>;
}

export async function startProxy(upstream: string, decide: (req: IncomingMessage) => Rule): Promise<Proxy> {
  const up = new URL(upstream);
  const seen: Proxy['seen'] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', path: req.url ?? '' });
      const rule = decide(req);
      if (rule.kind === 'reply') {
        res.writeHead(rule.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(rule.body));
        return;
      }
      const forward = () => {
        const fwd = request(
          { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: { ...req.headers, host: up.host } },
          (upRes) => {
            const body: Buffer[] = [];
            upRes.on('data', (c: Buffer) => body.push(c));
            upRes.on('end', () => {
              if (rule.kind === 'lose-reply') {
                res.socket?.destroy();
                return;
              }
              const reply = () => {
                res.writeHead(upRes.statusCode ?? 502, upRes.headers);
                res.end(Buffer.concat(body));
              };
              if (rule.kind === 'hold-reply') void rule.until.then(reply);
              else reply();
            });
          },
        );
        fwd.on('error', () => res.socket?.destroy());
        fwd.end(Buffer.concat(chunks));
      };
      if (rule.kind === 'delay') setTimeout(forward, rule.ms);
      else forward();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

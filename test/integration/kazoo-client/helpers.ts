// Test helpers for the Crossbar client: temp dirs, a capturing logger, a tiny scripted Crossbar-like server.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { Logger } from '../../../electron/core/platform.ts';
import { redactor } from '../../../electron/core/secrets/redactor.ts';

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `cd-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A logger that keeps every line (redacted like the real one) so tests can look for secrets. */
export function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, msg: redactor.redact(msg), ...(fields ? (redactor.redactValue(fields) as object) : {}) }));
  };
  return { lines, debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** Fast sleep for retries (real timers, but tiny), so tests never wait on Retry-After seconds. */
export const fastSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    setTimeout(resolve, Math.min(ms, 5));
  });

export type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

async function listen(server: Server): Promise<{ port: number; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

function withBody(handler: Handler) {
  return (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => handler(req, body, res));
  };
}

export async function startHttp(handler: Handler) {
  const s = await listen(createHttpServer(withBody(handler)));
  return { ...s, url: `http://127.0.0.1:${s.port}` };
}

export async function startHttps(handler: Handler, cert: { key: string; cert: string }) {
  const s = await listen(createHttpsServer({ key: cert.key, cert: cert.cert }, withBody(handler)) as unknown as Server);
  return { ...s, url: `https://127.0.0.1:${s.port}` };
}

/** A self-signed certificate for 127.0.0.1 made with openssl at test time. */
export function selfSignedCert(dir: string): { key: string; cert: string; certFile: string } {
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {
    stdio: 'ignore',
  });
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

export function writeFile(dir: string, name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

/** Minimal Crossbar answers: logins and an account read. Enough for connection-level tests. */
export const fakeCrossbar: Handler = (req, _body, res) => {
  const send = (status: number, obj: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(obj));
  };
  if (req.method === 'PUT' && (req.url === '/v2/user_auth' || req.url === '/v2/api_auth')) {
    return send(201, { status: 'success', auth_token: 'tok-fake-0123456789', data: { account_id: 'acc1', account_name: 'Fake' }, version: '5.0.9' });
  }
  if (req.method === 'GET' && req.url?.startsWith('/v2/accounts/acc1')) {
    if (req.headers['x-auth-token'] !== 'tok-fake-0123456789') return send(401, { status: 'error', error: '401', message: 'invalid credentials', data: {} });
    return send(200, { status: 'success', data: { id: 'acc1', name: 'Fake' }, version: '5.0.9' });
  }
  send(404, { status: 'error', error: '404', message: 'not_found', data: { message: 'not found' } });
};

// Browser host refusals: no token, wrong token, foreign Origin, non-loopback Host; the same rules on the WebSocket.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import WebSocket from 'ws';
import { tempDir } from '../../support/temp.ts';
import type { InProcessHost } from '../../support/app-host.ts';
import { RENDERER_CSP } from '../../../electron/shared/csp.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from '../../../electron/core/index.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import { startWebHost } from '../../../electron/web/server.ts';

let dir: ReturnType<typeof tempDir>;
let host: InProcessHost;
let port: number;
let token: string;

before(async () => {
  dir = tempDir();
  // A minimal renderer so this test does not depend on a vite build.
  const renderer = join(dir.path, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Carrier Desk</title>');
  const core = createCore({ dataDir: join(dir.path, 'data'), secrets: new FileKeyBox(dir.path) });
  const web = await startWebHost({ core, rendererDir: renderer });
  host = { core, web, close: async () => (await web.close(), await core.close()) };
  port = web.port;
  token = web.token;
});
after(async () => {
  await host.close();
  dir.remove();
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the server listens on loopback only', () => {
  assert.match(host.web.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
});

test('without the token every request is refused with 401', async () => {
  for (const path of ['/', '/index.html', '/assets/app.js', '/ws']) {
    const r = await get(path);
    assert.equal(r.status, 401, path);
    assert.ok(!r.body.includes(token));
  }
});

test('a wrong token is refused with 401', async () => {
  assert.equal((await get('/?token=nope')).status, 401);
  assert.equal((await get('/', { cookie: `cd_token_${port}=nope` })).status, 401);
  assert.equal((await get('/', { authorization: 'Bearer nope' })).status, 401);
});

test('the token in the address becomes an HttpOnly cookie and the page is served with the CSP', async () => {
  const first = await get(`/?token=${token}`);
  assert.equal(first.status, 303);
  assert.equal(first.headers.location, '/');
  const cookie = String(first.headers['set-cookie']).split(';')[0]!;
  assert.match(String(first.headers['set-cookie']), /HttpOnly; SameSite=Strict/);
  const page = await get('/', { cookie });
  assert.equal(page.status, 200);
  assert.equal(page.headers['content-security-policy'], RENDERER_CSP);
  assert.match(page.body, /Carrier Desk/);
});

test('a foreign Origin is refused with 403 even with the token', async () => {
  const r = await get(`/`, { authorization: `Bearer ${token}`, origin: 'http://evil.example' });
  assert.equal(r.status, 403);
  const sameOrigin = await get(`/`, { authorization: `Bearer ${token}`, origin: `http://127.0.0.1:${port}` });
  assert.equal(sameOrigin.status, 200);
});

test('a non-loopback Host is refused with 403 (DNS rebinding)', async () => {
  const r = await get(`/?token=${token}`, { host: `attacker.example:${port}` });
  assert.equal(r.status, 403);
  const other = await get(`/?token=${token}`, { host: `127.0.0.1:${port + 1}` });
  assert.equal(other.status, 403);
});

function openWs(headers: Record<string, string>): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers });
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.on('error', () => {});
  });
}

test('the WebSocket upgrade enforces the same rules', async () => {
  assert.equal((await openWs({})).status, 401);
  assert.equal((await openWs({ cookie: `cd_token_${port}=wrong` })).status, 401);
  assert.equal((await openWs({ cookie: `cd_token_${port}=${token}`, origin: 'http://evil.example' })).status, 403);
  assert.equal((await openWs({ cookie: `cd_token_${port}=${token}`, host: 'evil.example' })).status, 403);
  const ok = await openWs({ cookie: `cd_token_${port}=${token}`, origin: `http://127.0.0.1:${port}` });
  assert.ok(ok.ws);
  ok.ws!.close();
});

test('the WebSocket carries the contract: calls resolve to results, bad arguments to errors', async () => {
  const { ws } = await openWs({ cookie: `cd_token_${port}=${token}` });
  assert.ok(ws);
  type Reply = { ok: boolean; value?: { schemaVersion: number }; error?: { code: string } };
  const waitFor = (id: number) =>
    new Promise<Reply>((resolve) => {
      ws!.on('message', (d) => {
        const m = JSON.parse(String(d));
        if (m.id === id) resolve(m.result);
      });
    });
  const info = waitFor(1);
  ws!.send(JSON.stringify({ id: 1, method: 'app.info', args: {} }));
  const r1 = await info;
  assert.equal(r1.ok, true);
  assert.ok((r1.value?.schemaVersion ?? 0) >= 1);
  const bad = waitFor(2);
  ws!.send(JSON.stringify({ id: 2, method: 'clusters.add', args: { name: '' } }));
  assert.equal((await bad).error?.code, 'invalid_arguments');
  const unknown = waitFor(3);
  ws!.send(JSON.stringify({ id: 3, method: 'fs.readFile', args: {} }));
  assert.equal((await unknown).error?.code, 'unknown_method');
  ws!.close();
});

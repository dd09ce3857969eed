// Browser host access rules: the page and its assets need no token (Host/Origin checked, CSP sent); the contract
// needs the token in a header or the WebSocket subprotocol, never a cookie; file paths from a page are limited to
// the files folder chosen at start.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import WebSocket from 'ws';
import { tempDir } from '../../support/temp.ts';
import type { InProcessHost } from '../../support/app-host.ts';
import { RENDERER_CSP } from '../../../electron/shared/csp.ts';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../../electron/shared/web-auth.ts';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from '../../../electron/core/index.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import { startWebHost } from '../../../electron/web/server.ts';

let dir: ReturnType<typeof tempDir>;
let host: InProcessHost;
let port: number;
let token: string;
let filesDir: string;
let outside: string;

before(async () => {
  dir = tempDir();
  // A minimal renderer so this test does not depend on a vite build.
  const renderer = join(dir.path, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Carrier Desk</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  filesDir = join(dir.path, 'files');
  outside = join(dir.path, 'outside');
  mkdirSync(filesDir);
  mkdirSync(outside);
  writeFileSync(join(filesDir, 'numbers.csv'), '+12125550111\n+12125550112\n');
  writeFileSync(join(outside, 'secret.csv'), '+12125550199\n');
  symlinkSync(outside, join(filesDir, 'escape'));
  const core = createCore({ dataDir: join(dir.path, 'data'), secrets: new FileKeyBox(dir.path) });
  const web = await startWebHost({ core, rendererDir: renderer, filesDirs: [filesDir] });
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

test('the server listens on loopback only and prints the token in the address', () => {
  assert.match(host.web.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
});

test('the page and its assets are served without a token, with the CSP, and never set a cookie', async () => {
  for (const path of ['/', '/index.html', '/assets/app.js', `/?token=${token}`]) {
    const r = await get(path);
    assert.equal(r.status, 200, path);
    assert.equal(r.headers['content-security-policy'], RENDERER_CSP);
    assert.equal(r.headers['set-cookie'], undefined, path);
    assert.ok(!r.body.includes(token), path);
  }
  assert.match((await get('/')).body, /Carrier Desk/);
  assert.match(String((await get('/assets/app.js')).headers['content-type']), /javascript/);
});

test('the contract needs the token in a header: the session check answers 401 without it, 204 with it', async () => {
  assert.equal((await get('/api/session')).status, 401);
  assert.equal((await get('/api/session', { authorization: 'Bearer nope' })).status, 401);
  assert.equal((await get(`/api/session?token=${token}`)).status, 401, 'a token in the address is not a credential');
  assert.equal((await get('/api/session', { authorization: `Bearer ${token}` })).status, 204);
});

test('a request with the old cookie gets no access (cookies ignore ports, so they never carry the token)', async () => {
  const cookie = `cd_token_${port}=${encodeURIComponent(token)}`;
  assert.equal((await get('/api/session', { cookie })).status, 401);
  assert.equal((await openWs({ cookie })).status, 401);
});

test('a foreign Origin is refused with 403, even for the page and even with the token', async () => {
  assert.equal((await get('/', { origin: 'http://evil.example' })).status, 403);
  assert.equal((await get('/api/session', { authorization: `Bearer ${token}`, origin: 'http://evil.example' })).status, 403);
  assert.equal((await get('/', { origin: `http://127.0.0.1:${port}` })).status, 200);
});

test('a non-loopback Host is refused with 403 (DNS rebinding)', async () => {
  assert.equal((await get('/', { host: `attacker.example:${port}` })).status, 403);
  assert.equal((await get('/', { host: `127.0.0.1:${port + 1}` })).status, 403);
});

function openWs(headers: Record<string, string>, protocols: string[] = []): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, protocols, { headers });
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.on('error', () => {});
  });
}

const withToken = (t = token) => [WS_PROTOCOL, WS_TOKEN_PREFIX + t];

test('the WebSocket takes the token as a subprotocol, answers with the app protocol only, and checks Host/Origin', async () => {
  assert.equal((await openWs({})).status, 401);
  assert.equal((await openWs({}, withToken('wrong'))).status, 401);
  assert.equal((await openWs({ origin: 'http://evil.example' }, withToken())).status, 403);
  assert.equal((await openWs({ host: 'evil.example' }, withToken())).status, 403);
  const ok = await openWs({ origin: `http://127.0.0.1:${port}` }, withToken());
  assert.ok(ok.ws);
  assert.equal(ok.ws!.protocol, WS_PROTOCOL, 'the token is never echoed back');
  ok.ws!.close();
  const bearer = await openWs({ authorization: `Bearer ${token}` }, [WS_PROTOCOL]);
  assert.ok(bearer.ws, 'non-browser clients may send the token as a Bearer header');
  bearer.ws!.close();
});

type Reply = { ok: boolean; value?: unknown; error?: { code: string; message: string } };

async function session() {
  const { ws } = await openWs({}, withToken());
  assert.ok(ws);
  let next = 1;
  const send = (method: string, args: unknown) =>
    new Promise<Reply>((resolve) => {
      const id = next++;
      const onMessage = (d: WebSocket.RawData) => {
        const m = JSON.parse(String(d));
        if (m.id === id) {
          ws!.off('message', onMessage);
          resolve(m.result);
        }
      };
      ws!.on('message', onMessage);
      ws!.send(JSON.stringify({ id, method, args }));
    });
  return { ws: ws!, send };
}

test('the WebSocket carries the contract: calls resolve to results, bad arguments to errors', async () => {
  const { ws, send } = await session();
  const r1 = await send('app.info', {});
  assert.equal(r1.ok, true);
  assert.ok(((r1.value as { schemaVersion: number }).schemaVersion ?? 0) >= 1);
  assert.equal((await send('clusters.add', { name: '' })).error?.code, 'invalid_arguments');
  assert.equal((await send('fs.readFile', {})).error?.code, 'unknown_method');
  ws.close();
});

test('a message nested too deeply is refused with a clear error, and the socket keeps working', async () => {
  const { ws, send } = await session();
  const deep = new Promise<Reply>((resolve) => ws.once('message', (d) => resolve(JSON.parse(String(d)).result)));
  ws.send(`{"id":1,"method":"app.info","args":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
  const r = await deep;
  assert.equal(r.error?.code, 'bad_message');
  assert.match(r.error!.message, /nested deeper than 64 levels/);
  assert.equal((await send('app.info', {})).ok, true);
  ws.close();
});

describe('file paths from a page are limited to the files folder chosen at start', () => {
  test('a list is imported from a file inside the folder, and exported back into it', async () => {
    const { ws, send } = await session();
    const imported = await send('numbers.import', { name: 'inside', path: join(filesDir, 'numbers.csv'), wait: true });
    assert.equal(imported.ok, true, imported.error?.message);
    const out = join(filesDir, 'out.csv');
    assert.equal((await send('numbers.export', { list: 'inside', path: out })).ok, true);
    assert.match(readFileSync(out, 'utf8'), /12125550111/);
    ws.close();
  });

  test('paths outside it, relative paths and symlinks leading out are refused and nothing is read or written', async () => {
    const { ws, send } = await session();
    const refusals: [string, unknown][] = [
      ['numbers.preview', { path: join(outside, 'secret.csv') }],
      ['numbers.import', { name: 'stolen', path: join(outside, 'secret.csv') }],
      ['numbers.import', { name: 'stolen', path: 'files/numbers.csv' }],
      ['numbers.import', { name: 'stolen', path: join(filesDir, 'escape', 'secret.csv') }],
      ['numbers.import', { name: 'stolen', path: join(filesDir, '..', 'outside', 'secret.csv') }],
      ['numbers.export', { list: 'inside', path: join(outside, 'written.csv') }],
      ['numbers.export', { list: 'inside', path: join(filesDir, 'escape', 'written.csv') }],
      ['clusters.add', { name: 'x', url: 'https://kazoo.example', auth: { kind: 'api_key', apiKey: 'k' }, tls: { caFile: '/etc/passwd' }, check: false }],
      ['clusters.update', { cluster: 'x', tls: { caFile: join(outside, 'ca.pem') } }],
    ];
    for (const [method, args] of refusals) {
      const r = await send(method, args);
      assert.equal(r.error?.code, 'forbidden_path', `${method} ${JSON.stringify(args)}: ${JSON.stringify(r)}`);
      assert.match(r.error!.message, /only inside the folder chosen when it was started/);
    }
    assert.equal(existsSync(join(outside, 'written.csv')), false);
    const lists = (await send('numbers.lists', {})).value as { name: string }[];
    assert.ok(!lists.some((l) => l.name === 'stolen'));
    const clusters = (await send('clusters.list', {})).value as unknown[];
    assert.equal(clusters.length, 0);
    ws.close();
  });

  test('a host started without a files folder refuses every path; text imports still work', async () => {
    mkdirSync(join(dir.path, 'data2'));
    const core = createCore({ dataDir: join(dir.path, 'data2'), secrets: new FileKeyBox(join(dir.path, 'data2')) });
    const web = await startWebHost({ core, rendererDir: join(dir.path, 'renderer') });
    try {
      const ws = await new Promise<WebSocket>((resolve, reject) => {
        const s = new WebSocket(`ws://127.0.0.1:${web.port}/ws`, withToken(web.token), { headers: { host: `127.0.0.1:${web.port}` } });
        s.on('open', () => resolve(s));
        s.on('error', reject);
      });
      const ask = (id: number, method: string, args: unknown) =>
        new Promise<Reply>((resolve) => {
          ws.on('message', (d) => {
            const m = JSON.parse(String(d));
            if (m.id === id) resolve(m.result);
          });
          ws.send(JSON.stringify({ id, method, args }));
        });
      const r = await ask(1, 'numbers.import', { name: 'x', path: join(filesDir, 'numbers.csv') });
      assert.equal(r.error?.code, 'forbidden_path');
      assert.match(r.error!.message, /none was chosen/);
      const t = await ask(2, 'numbers.import', { name: 'typed', text: '+12125550111\n', wait: true });
      assert.equal(t.ok, true, t.error?.message);
      ws.close();
    } finally {
      await web.close();
      await core.close();
    }
  });
});

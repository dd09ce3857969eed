// No request may end the browser host: a small fuzz of request lines, paths, escapes, headers, cookies, methods,
// WebSocket handshakes and frames, against an in-process host and a child process. Each hostile request gets an
// answer (or a closed socket), is logged, and the host keeps serving the page and the contract afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createCore } from '../../../electron/core/index.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import { startWebHost } from '../../../electron/web/server.ts';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../../electron/shared/web-auth.ts';
import { startChildHost } from '../../support/app-host.ts';
import { rawRequest, wsFrame, type RawReply } from '../../support/raw-http.ts';
import { tempDir } from '../../support/temp.ts';
import { captureLogger } from '../kazoo-client/helpers.ts';

interface FuzzCase {
  name: string;
  bytes: string | Buffer;
  /** Acceptable statuses of the first reply; undefined: any answer, or none. */
  expect?: number[];
  /** Sent after the first reply (frames after a 101). */
  after?: Buffer[];
  reset?: boolean;
  /** Extra check of the reply. */
  check?: (r: RawReply) => void;
}

const WS_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

function fuzzCases(port: number, token: string): FuzzCase[] {
  const host = `Host: 127.0.0.1:${port}`;
  const get = (target: string, headers: string[] = []) => [`GET ${target} HTTP/1.1`, host, ...headers, '', ''].join('\r\n');
  const upgrade = (target: string, headers: string[]) =>
    [`GET ${target} HTTP/1.1`, host, 'Connection: Upgrade', 'Upgrade: websocket', ...headers, '', ''].join('\r\n');
  const goodUpgrade = upgrade('/ws', [`Sec-WebSocket-Key: ${WS_KEY}`, 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Protocol: ${WS_PROTOCOL}, ${WS_TOKEN_PREFIX}${token}`]);
  const afterHandshake = (name: string, frames: Buffer[], check?: (r: RawReply) => void): FuzzCase => ({
    name: `WebSocket: ${name}`,
    bytes: goodUpgrade,
    expect: [101],
    after: frames,
    ...(check ? { check } : {}),
  });
  const closes = (r: RawReply) => {
    const firstFrame = r.text.charCodeAt(r.text.indexOf('\r\n\r\n') + 4);
    assert.ok(r.closedByServer || (firstFrame & 0x0f) === 8, 'the server closes a socket that broke the protocol');
  };
  const badMessage = (r: RawReply) => assert.match(r.text, /bad_message/);
  return [
    // The three requests of the report.
    { name: 'GET //', bytes: get('//'), expect: [400] },
    { name: 'cookie with a broken %-escape', bytes: get('/', [`Cookie: cd_token_${port}=%E0%A4%A`]), expect: [200] },
    { name: 'GET /assets/%E0%A4%A', bytes: get('/assets/%E0%A4%A'), expect: [400] },
    // Paths and escapes.
    { name: 'GET /%', bytes: get('/%'), expect: [400] },
    { name: 'GET /%ZZ', bytes: get('/%ZZ'), expect: [400] },
    { name: 'GET /%00', bytes: get('/%00'), expect: [400] },
    { name: 'a lone UTF-16 surrogate', bytes: get('/%ED%A0%80'), expect: [400] },
    { name: '//host-like path with query', bytes: get('//evil.example/?x=1'), expect: [400] },
    {
      name: 'traversal with encoded slashes',
      bytes: get('/..%2f..%2f..%2f..%2fetc%2fpasswd'),
      expect: [200],
      check: (r) => assert.ok(!r.text.includes('root:'), 'never a file outside the app'),
    },
    { name: 'traversal with dots', bytes: get('/assets/../../../../etc/passwd'), expect: [200], check: (r) => assert.ok(!r.text.includes('root:')) },
    { name: 'asterisk target', bytes: get('*'), expect: [400] },
    { name: 'absolute-form target', bytes: get('http://127.0.0.1/'), expect: [400] },
    { name: 'a 100 KB path', bytes: get('/' + 'a'.repeat(100_000)), expect: [400, 414, 431] },
    { name: 'a 4 KB path', bytes: get('/' + 'a/'.repeat(2_000)), expect: [200] },
    // Methods and protocol.
    { name: 'POST /', bytes: ['POST / HTTP/1.1', host, 'Content-Length: 2', '', '{}'].join('\r\n'), expect: [405] },
    { name: 'DELETE /ws', bytes: ['DELETE /ws HTTP/1.1', host, '', ''].join('\r\n'), expect: [405] },
    { name: 'OPTIONS *', bytes: ['OPTIONS * HTTP/1.1', host, '', ''].join('\r\n'), expect: [400, 405] },
    { name: 'unknown method', bytes: ['BREW / HTTP/1.1', host, '', ''].join('\r\n'), expect: [400] },
    { name: 'HTTP/9.9', bytes: ['GET / HTTP/9.9', host, '', ''].join('\r\n'), expect: [400, 505] },
    { name: 'binary garbage', bytes: Buffer.from([0, 1, 2, 3, 255, 13, 10, 13, 10]), expect: [400] },
    { name: 'control byte in a header', bytes: get('/', ['X-Bad: a\x01b']), expect: [400] },
    { name: 'header without a colon', bytes: get('/', ['NoColonHere']), expect: [400] },
    { name: '20 KB of headers', bytes: get('/', [`X-Big: ${'b'.repeat(20_000)}`]), expect: [431] },
    { name: 'bad Content-Length', bytes: ['GET / HTTP/1.1', host, 'Content-Length: abc', '', ''].join('\r\n'), expect: [400] },
    { name: 'two Content-Lengths', bytes: ['GET / HTTP/1.1', host, 'Content-Length: 1', 'Content-Length: 2', '', 'xx'].join('\r\n'), expect: [400] },
    { name: 'broken chunked body', bytes: ['POST / HTTP/1.1', host, 'Transfer-Encoding: chunked', '', 'zz\r\n'].join('\r\n'), expect: [400, 405] },
    { name: 'reset mid-request', bytes: `GET / HTTP/1.1\r\n${host}\r\nX-Half: `, reset: true },
    // Host, Origin, token, cookies.
    { name: 'no Host', bytes: 'GET / HTTP/1.1\r\n\r\n', expect: [400, 403] },
    { name: 'foreign Host', bytes: ['GET / HTTP/1.1', 'Host: evil.example', '', ''].join('\r\n'), expect: [403] },
    { name: 'Origin null', bytes: get('/', ['Origin: null']), expect: [403] },
    { name: 'Origin with a broken escape', bytes: get('/', ['Origin: http://%E0%A4%A']), expect: [403] },
    { name: 'huge bearer token', bytes: get('/api/session', [`Authorization: Bearer ${'t'.repeat(10_000)}`]), expect: [401] },
    { name: 'the token in a cookie', bytes: get('/api/session', [`Cookie: cd_token_${port}=${token}`]), expect: [401] },
    { name: 'many cookies', bytes: get('/', [`Cookie: ${Array.from({ length: 500 }, (_, i) => `c${i}=%${i}`).join('; ')}`]), expect: [200] },
    // WebSocket handshakes.
    { name: 'upgrade without the token', bytes: upgrade('/ws', [`Sec-WebSocket-Key: ${WS_KEY}`, 'Sec-WebSocket-Version: 13']), expect: [401] },
    { name: 'upgrade with the token in a cookie', bytes: upgrade('/ws', [`Sec-WebSocket-Key: ${WS_KEY}`, 'Sec-WebSocket-Version: 13', `Cookie: cd_token_${port}=${token}`]), expect: [401] },
    { name: 'upgrade without a key', bytes: upgrade('/ws', ['Sec-WebSocket-Version: 13', `Sec-WebSocket-Protocol: ${WS_PROTOCOL}, ${WS_TOKEN_PREFIX}${token}`]), expect: [400] },
    { name: 'upgrade with version 99', bytes: upgrade('/ws', [`Sec-WebSocket-Key: ${WS_KEY}`, 'Sec-WebSocket-Version: 99', `Sec-WebSocket-Protocol: ${WS_PROTOCOL}, ${WS_TOKEN_PREFIX}${token}`]), expect: [400] },
    { name: 'upgrade with a malformed protocol list', bytes: upgrade('/ws', [`Sec-WebSocket-Key: ${WS_KEY}`, 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Protocol: ${WS_PROTOCOL},, ${WS_TOKEN_PREFIX}${token}`]), expect: [400] },
    { name: 'upgrade to another path', bytes: upgrade('/other', [`Sec-WebSocket-Key: ${WS_KEY}`, 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Protocol: ${WS_PROTOCOL}, ${WS_TOKEN_PREFIX}${token}`]), expect: [404] },
    { name: 'upgrade to //', bytes: upgrade('//', [`Sec-WebSocket-Key: ${WS_KEY}`, 'Sec-WebSocket-Version: 13']), expect: [404] },
    { name: 'upgrade from a foreign Origin', bytes: upgrade('/ws', [`Sec-WebSocket-Key: ${WS_KEY}`, 'Sec-WebSocket-Version: 13', 'Origin: http://evil.example', `Sec-WebSocket-Protocol: ${WS_PROTOCOL}, ${WS_TOKEN_PREFIX}${token}`]), expect: [403] },
    { name: 'upgrade then reset', bytes: goodUpgrade, reset: true },
    // Frames after a good handshake.
    afterHandshake('unmasked frame', [wsFrame(1, '{"id":1}', { mask: false })], closes),
    afterHandshake('invalid UTF-8 text', [wsFrame(1, Buffer.from([0xc3, 0x28]))], closes),
    afterHandshake('reserved opcode', [wsFrame(3, 'x')], closes),
    afterHandshake('RSV bits set', [wsFrame(1, 'x', { rsv: 7 })], closes),
    afterHandshake('continuation without a start', [wsFrame(0, 'x')], closes),
    afterHandshake('oversized control frame', [wsFrame(9, 'p'.repeat(200))], closes),
    afterHandshake('declared length of 2^62 bytes', [wsFrame(2, 'x', { declaredLength: 2n ** 62n })], closes),
    afterHandshake('truncated frame', [wsFrame(1, 'x'.repeat(100)).subarray(0, 20)]),
    afterHandshake('binary message', [wsFrame(2, Buffer.from([1, 2, 3]))], badMessage),
    afterHandshake('text that is not JSON', [wsFrame(1, 'hello')], badMessage),
    afterHandshake('JSON null', [wsFrame(1, 'null')], badMessage),
    afterHandshake('a call without a method', [wsFrame(1, '{"id":1}')], badMessage),
    afterHandshake('a call nested 100,000 deep', [wsFrame(1, `{"id":1,"method":"app.info","args":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)], badMessage),
    afterHandshake('__proto__ as a method', [wsFrame(1, '{"id":7,"method":"__proto__","args":{}}')], (r) => assert.match(r.text, /unknown_method/)),
    afterHandshake('constructor as a method', [wsFrame(1, '{"id":8,"method":"constructor"}')], (r) => assert.match(r.text, /unknown_method/)),
    afterHandshake('arguments with a __proto__ key', [wsFrame(1, '{"id":9,"method":"app.info","args":{"__proto__":{"x":1}}}')]),
  ];
}

/** The host still serves the page and answers a contract call. */
async function stillServing(port: number, token: string, after: string): Promise<void> {
  const page = await rawRequest(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
  assert.equal(page.status, 200, `the page is no longer served after "${after}"`);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, [WS_PROTOCOL, WS_TOKEN_PREFIX + token]);
  const reply = await new Promise<{ ok: boolean }>((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, method: 'app.info', args: {} })));
    ws.on('message', (d) => resolve(JSON.parse(String(d)).result));
    ws.on('error', (e) => reject(new Error(`the contract is no longer served after "${after}": ${e.message}`)));
  });
  ws.close();
  assert.equal(reply.ok, true, `app.info failed after "${after}"`);
}

async function runFuzz(port: number, token: string, alive: () => void): Promise<void> {
  for (const c of fuzzCases(port, token)) {
    const r = await rawRequest(port, c.bytes, { ...(c.after ? { after: c.after } : {}), ...(c.reset ? { reset: true } : {}) });
    if (c.expect) assert.ok(c.expect.includes(r.status ?? 0), `${c.name}: got ${r.status ?? 'no reply'}, expected ${c.expect.join('/')}\n${r.text.slice(0, 300)}`);
    assert.ok(!/at \w+ \(|node:internal|\.ts:\d+/.test(r.text), `${c.name}: a stack trace leaked: ${r.text.slice(0, 300)}`);
    c.check?.(r);
    alive();
    await stillServing(port, token, c.name);
  }
}

function renderer(dir: string): string {
  const r = join(dir, 'renderer');
  mkdirSync(join(r, 'assets'), { recursive: true });
  writeFileSync(join(r, 'index.html'), '<!doctype html><title>Carrier Desk</title>');
  writeFileSync(join(r, 'assets', 'app.js'), 'console.log(1)');
  return r;
}

test('an in-process host answers every hostile request, logs it, and keeps serving', async (t) => {
  const dir = tempDir();
  const logger = captureLogger();
  const core = createCore({ dataDir: join(dir.path, 'data'), secrets: new FileKeyBox(dir.path), logger });
  const web = await startWebHost({ core, rendererDir: renderer(dir.path) });
  t.after(async () => {
    await web.close();
    await core.close();
    dir.remove();
  });
  await runFuzz(web.port, web.token, () => {});
  const logged = logger.lines.join('\n');
  assert.match(logged, /browser host: malformed request/);
  assert.match(logged, /browser host: request refused/);
  assert.match(logged, /browser host: WebSocket error/);
  assert.ok(!logged.includes(web.token), 'the token is never logged');
});

test('a host in its own process survives the same fuzz and still answers afterwards', async (t) => {
  const dir = tempDir();
  const child = await startChildHost(dir.path);
  t.after(async () => {
    await child.stop();
    dir.remove();
  });
  const url = new URL(child.url);
  const token = url.searchParams.get('token')!;
  const exited = () => assert.equal(child.child.exitCode ?? child.child.signalCode, null, 'the browser host process ended');
  await runFuzz(Number(url.port), token, exited);
  exited();
});

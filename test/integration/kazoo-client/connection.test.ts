// Connection-level failures against real loopback servers: TLS, unreachable, not Crossbar, wrong credentials.
import { HINTS, hintOf, withCliHint } from '../../../electron/shared/hints.ts';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { createKazooClient, AbortedError, AuthError, NetworkError, NotCrossbarError, TlsError, type ClusterConnection } from '../../../electron/core/kazoo/index.ts';
import { systemClock } from '../../../electron/core/platform.ts';
import { captureLogger, fakeCrossbar, fastSleep, selfSignedCert, startHttp, startHttps, tempDir } from './helpers.ts';

const PASSWORD = 'conn-test-password-81723';
const user = { kind: 'user' as const, accountName: 'Fake', username: 'admin', password: PASSWORD };
const log = captureLogger();
const clients: { close(): Promise<void> }[] = [];
function client(conn: Partial<ClusterConnection> & { baseUrl: string }) {
  const c = createKazooClient({ id: 'conn-test', auth: user, retry: { maxAttempts: 2, baseMs: 1 }, ...conn }, { clock: systemClock, logger: log, sleep: fastSleep });
  clients.push(c);
  return c;
}

describe('TLS', () => {
  const tmp = tempDir('tls');
  let https: Awaited<ReturnType<typeof startHttps>>;
  let certFile: string;
  before(async () => {
    const cert = selfSignedCert(tmp.dir);
    certFile = cert.certFile;
    https = await startHttps(fakeCrossbar, cert);
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await https.close();
    tmp.cleanup();
  });

  test('a self-signed certificate is refused by default with a TlsError whose hint names the options per host', async () => {
    const err = await client({ baseUrl: https.url }).session().then(() => assert.fail('should fail'), (e: unknown) => e);
    assert.ok(err instanceof TlsError, String(err));
    assert.equal(err.code, 'tls');
    assert.match(err.message, /not trusted/);
    // The message is host-neutral (no CLI option in the app); the CLI adds the options from the hint.
    assert.doesNotMatch(err.message, /--/);
    const hint = hintOf(err.details);
    assert.equal(hint, 'tls_trust');
    assert.match(withCliHint(err.message, hint), /--ca-file.*--insecure/);
    assert.match(HINTS[hint].app, /CA certificate file.*insecure TLS: Clusters → Edit/);
  });

  test('the same server is accepted with its CA file', async () => {
    const s = await client({ baseUrl: https.url + '/v2/', tls: { caFile: certFile } }).session();
    assert.equal(s.accountId, 'acc1');
  });

  test('the same server is accepted with insecure: true', async () => {
    const c = client({ baseUrl: https.url, tls: { insecure: true } });
    const acc = await c.accounts.get('acc1');
    assert.equal(acc.name, 'Fake');
  });

  test('a hostname that the certificate does not name is a TlsError even with the CA file', async () => {
    const url = https.url.replace('127.0.0.1', 'localhost');
    const err = await client({ baseUrl: url, tls: { caFile: certFile } }).session().then(() => assert.fail('should fail'), (e: unknown) => e);
    assert.ok(err instanceof TlsError, String(err));
    assert.match(err.message, /another host name/);
  });

  test('a CA file that cannot be read is a clear TlsError', async () => {
    const err = await client({ baseUrl: https.url, tls: { caFile: tmp.dir + '/missing.pem' } }).session().then(() => assert.fail('should fail'), (e: unknown) => e);
    assert.ok(err instanceof TlsError);
    assert.match(err.message, /cannot be read/);
  });
});

describe('not Crossbar, unreachable, wrong credentials', () => {
  const servers: { close(): Promise<void> }[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(servers.map((s) => s.close()));
  });

  test('an unreachable port is NetworkError "unreachable"', async () => {
    // Take a free port and release it, so nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const err = await client({ baseUrl: `http://127.0.0.1:${port}` }).session().then(() => assert.fail('should fail'), (e: unknown) => e);
    assert.ok(err instanceof NetworkError, String(err));
    assert.equal(err.code, 'unreachable');
    assert.equal(err.errno, 'ECONNREFUSED');
    assert.match(err.message, /Cannot reach 127\.0\.0\.1/);
  });

  test('an HTML web server is NotCrossbarError', async () => {
    const html = await startHttp((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><html><body>Welcome to nginx</body></html>');
    });
    servers.push(html);
    const err = await client({ baseUrl: html.url }).session().then(() => assert.fail('should fail'), (e: unknown) => e);
    assert.ok(err instanceof NotCrossbarError, String(err));
    assert.equal(err.code, 'not_crossbar');
  });

  test('an HTML 404 page and a JSON API without the envelope are NotCrossbarError', async () => {
    const s404 = await startHttp((_req, _body, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html>Not Found</html>');
    });
    const json = await startHttp((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"hello":"world"}');
    });
    servers.push(s404, json);
    for (const url of [s404.url, json.url]) {
      const err = await client({ baseUrl: url }).session().then(() => assert.fail('should fail'), (e: unknown) => e);
      assert.ok(err instanceof NotCrossbarError, `${url}: ${String(err)}`);
    }
  });

  test('wrong credentials are AuthError "auth_failed" and the password is nowhere', async () => {
    const s = await startHttp((req, body, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      // A hostile server echoing what it got must not leak it either.
      res.end(JSON.stringify({ status: 'error', error: '401', message: 'invalid_credentials', auth_token: 'undefined', data: { message: 'invalid credentials', echo: body } }));
    });
    servers.push(s);
    const err = await client({ baseUrl: s.url }).session().then(() => assert.fail('should fail'), (e: unknown) => e);
    assert.ok(err instanceof AuthError, String(err));
    assert.equal(err.code, 'auth_failed');
    assert.match(err.message, /wrong account name, user name or password/);
    const everything = JSON.stringify({ m: err.message, d: err.details, data: err.data }) + log.lines.join('\n');
    assert.doesNotMatch(everything, new RegExp(PASSWORD));
  });
});

describe('timeouts and abort', () => {
  const servers: { close(): Promise<void> }[] = [];
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all(servers.map((s) => s.close()));
  });

  test('a server that never answers hits the headers timeout: NetworkError "timeout" (a login is retried once, then fails)', async () => {
    let seen = 0;
    const s = await startHttp(() => {
      seen++; // never answers
    });
    servers.push(s);
    const err = await client({ baseUrl: s.url, timeouts: { headersMs: 50 }, retry: { maxAttempts: 2, baseMs: 1 } }).session().then(() => assert.fail('should fail'), (e: unknown) => e);
    assert.ok(err instanceof NetworkError, String(err));
    assert.equal(err.code, 'timeout');
    assert.equal(seen, 2, 'a login is safe to repeat');
  });

  test('aborting a call in flight rejects with AbortedError', async () => {
    let arrived!: () => void;
    const got = new Promise<void>((r) => (arrived = r));
    const s = await startHttp((req, _body, res) => {
      if (req.url === '/v2/user_auth') {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'success', auth_token: 'tok-abort-0123456789', data: { account_id: 'acc1' } }));
        return;
      }
      arrived(); // hold the reply
    });
    servers.push(s);
    const ac = new AbortController();
    const c = client({ baseUrl: s.url });
    const pending = c.accounts.get('acc1', { signal: ac.signal });
    await got;
    ac.abort();
    await assert.rejects(pending, AbortedError);
  });
});

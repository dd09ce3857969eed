// Conformance: envelopes (§1.13), the error table (§2.6), authentication (§6) and the order of checks (§13).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { call, emulator, FLAVORS, login, MASTER, MASTER_API_KEY, md5, TestClock, ACME } from './helpers.ts';

for (const flavor of FLAVORS) {
  describe(`envelope and auth (${flavor})`, () => {
    test('user_auth md5 → 201 with a token and the account data; envelope keys per flavor', async (t) => {
      const em = await emulator(t, { flavor });
      const r = await call(em, 'PUT', '/v2/user_auth', {
        body: { data: { account_name: 'Master', credentials: md5('admin:demo-admin-pass') } },
        headers: { 'x-request-id': 'req-123' },
      });
      assert.equal(r.status, 201);
      assert.equal(r.headers['x-request-id'], 'req-123');
      assert.equal(r.body.status, 'success');
      assert.equal(r.body.request_id, 'req-123');
      assert.match(r.body.auth_token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
      assert.equal(r.body.data.account_id, MASTER);
      assert.equal(r.body.data.is_master_account, true);
      assert.equal(r.body.data.owner_id, 'e0000000000000000000000000000001');
      assert.match(r.body.node, /^[\w-]{22}$/);
      assert.match(r.body.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(r.body.version.startsWith(flavor));
      if (flavor === '5.0') assert.deepEqual(Object.keys(r.body.tokens).sort(), ['consumed', 'remaining']);
      else assert.equal(r.body.tokens, undefined);
    });

    test('user_auth by realm and with sha; wrong credentials → 401 invalid_credentials', async (t) => {
      const em = await emulator(t, { flavor });
      const sha = createHash('sha1').update('acme:demo-acme-pass').digest('hex');
      const ok = await call(em, 'PUT', '/v2/user_auth', { body: { data: { account_realm: 'acme.sip.example.com', credentials: sha, method: 'sha' } } });
      assert.equal(ok.status, 201);
      assert.equal(ok.body.data.account_id, ACME);
      const bad = await call(em, 'PUT', '/v2/user_auth', { body: { data: { account_name: 'Master', credentials: md5('admin:nope') } } });
      assert.equal(bad.status, 401);
      assert.equal(bad.body.error, '401');
      assert.equal(bad.body.message, 'invalid_credentials');
      assert.deepEqual(bad.body.data, { message: 'invalid credentials' });
      if (flavor === '4.3') assert.equal(bad.body.auth_token, 'undefined');
      else assert.equal(bad.body.auth_token, undefined);
      const missing = await call(em, 'PUT', '/v2/user_auth', { body: { data: { account_name: 'Master' } } });
      assert.equal(missing.status, 400);
      assert.equal(missing.body.data.credentials.required.message, 'Field is required but missing');
    });

    test('api_auth: known key → 201 without owner_id, unknown key → 404 bad identifier', async (t) => {
      const em = await emulator(t, { flavor });
      const r = await call(em, 'PUT', '/v2/api_auth', { body: { data: { api_key: MASTER_API_KEY } } });
      assert.equal(r.status, 201);
      assert.equal(r.body.data.account_id, MASTER);
      assert.equal(r.body.data.owner_id, undefined);
      const unknown = await call(em, 'PUT', '/v2/api_auth', { body: { data: { api_key: 'f'.repeat(64) } } });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.message, 'bad identifier');
      assert.deepEqual(unknown.body.data, ['f'.repeat(64)]);
    });

    test('tokens: none → invalid_credentials; bad/expired/revoked → "invalid credentials" with data {}', async (t) => {
      const clock = new TestClock();
      const em = await emulator(t, { flavor, clock, seed: { ...(await import('../../kazoo-emulator/index.ts')).demoSeed(), config: { token_lifetime_s: 60 } } });
      const none = await call(em, 'GET', '/v2/resources');
      assert.equal(none.status, 401);
      assert.equal(none.body.message, 'invalid_credentials');
      const bad = await call(em, 'GET', '/v2/resources', { token: 'not-a-token' });
      assert.equal(bad.status, 401);
      assert.equal(bad.body.message, 'invalid credentials');
      assert.deepEqual(bad.body.data, {});
      assert.equal(bad.body.auth_token, 'not-a-token');
      const token = await login(em);
      assert.equal((await call(em, 'GET', '/v2/resources', { token })).status, 200);
      // token accepted as Bearer and as query string too
      assert.equal((await call(em, 'GET', '/v2/resources', { headers: { authorization: `Bearer ${token}` } })).status, 200);
      assert.equal((await call(em, 'GET', `/v2/resources?auth_token=${token}`)).status, 200);
      clock.advance(61_000);
      assert.equal((await call(em, 'GET', '/v2/resources', { token })).status, 401);
      const t2 = await login(em);
      em.revokeTokens();
      const revoked = await call(em, 'GET', '/v2/resources', { token: t2 });
      assert.equal(revoked.status, 401);
      assert.equal(revoked.body.message, 'invalid credentials');
    });

    test('version is sent only to authenticated requests on 5.0, always on 4.3', async (t) => {
      const em = await emulator(t, { flavor });
      const anon = await call(em, 'GET', '/v2/schemas');
      assert.equal(anon.status, 200);
      assert.equal(anon.body.version !== undefined, flavor === '4.3');
    });

    test('order of checks (§13): body 400, then 405, then 401, then unknown endpoint 404', async (t) => {
      const em = await emulator(t, { flavor });
      const badJson = await call(em, 'DELETE', '/v2/resources', { raw: '{"data": {', headers: { 'content-type': 'application/json' } });
      assert.equal(badJson.status, 400);
      assert.match(badJson.body.data.json.invalid.message, /^(invalid|truncated)_json around \d+$/);
      assert.equal(badJson.body.data.json.invalid.target, 'body');
      const noData = await call(em, 'PUT', '/v2/resources', { body: { name: 'x' } });
      assert.equal(noData.status, 400);
      assert.deepEqual(noData.body.data, { data: { required: { message: 'Field is required but missing' } } });
      const notAllowed = await call(em, 'DELETE', '/v2/resources');
      assert.equal(notAllowed.status, 405);
      assert.equal(notAllowed.body.message, 'invalid_method');
      assert.deepEqual(notAllowed.body.data, { message: 'method not allowed' });
      const unknownNoToken = await call(em, 'GET', '/v2/nothing_here');
      assert.equal(unknownNoToken.status, 401);
      const acme = await login(em, 'Acme Corp', 'acme', 'demo-acme-pass');
      const unknown = await call(em, 'GET', '/v2/nothing_here', { token: acme });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.message, 'not_found');
      // a super-duper admin passes authorization and gets cowboy's bare 404
      const admin = await login(em);
      const bare = await call(em, 'GET', '/v2/nothing_here', { token: admin });
      assert.equal(bare.status, 404);
      assert.equal(bare.text, '');
    });

    test('every reply carries x-request-id (generated 32-hex when absent); CORS with Origin', async (t) => {
      const em = await emulator(t, { flavor });
      const r = await call(em, 'GET', '/v2/schemas', { headers: { origin: 'http://x.example' } });
      assert.match(String(r.headers['x-request-id']), /^[0-9a-f]{32}$/);
      assert.equal(r.body.request_id, r.headers['x-request-id']);
      assert.equal(r.headers['access-control-allow-origin'], '*');
      assert.match(String(r.headers['access-control-expose-headers']), /Location/);
    });

    test('verb tunnelling through POST (?verb=PUT)', async (t) => {
      const em = await emulator(t, { flavor });
      const r = await call(em, 'POST', '/v2/user_auth?verb=PUT', { body: { data: { account_name: 'Master', credentials: md5('admin:demo-admin-pass') } } });
      assert.equal(r.status, 201);
    });

    test('GET token_auth returns the decoded auth doc', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const r = await call(em, 'GET', '/v2/token_auth', { token });
      assert.equal(r.status, 200);
      assert.equal(r.body.data.account_id, MASTER);
      assert.equal(r.body.data.method, 'cb_user_auth');
    });

    test('a disabled account cannot log in: 400 with account.disabled', async (t) => {
      const { demoSeed } = await import('../../kazoo-emulator/index.ts');
      const seed = demoSeed();
      seed.accounts.find((a) => a.id === ACME)!.enabled = false;
      const em = await emulator(t, { flavor, seed });
      const r = await call(em, 'PUT', '/v2/user_auth', { body: { data: { account_name: 'Acme Corp', credentials: md5('acme:demo-acme-pass') } } });
      assert.equal(r.status, 400);
      assert.ok(r.body.data.account.disabled);
    });
  });
}

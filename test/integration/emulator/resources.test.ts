// Conformance: resources CRUD (§1.5–§1.9), validation (§2), revisions (§3), 4.3 vs 5.0 nouns (§1.12),
// authorization (§1.3), peers (§2.4) and the kazoo_proper pqc_cb_resources / pqc_cb_crud sequences (§8).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { demoSeed } from '../../kazoo-emulator/index.ts';
import { ACME, call, emulator, FLAVORS, GLOBEX, login, MASTER, resourceBody } from './helpers.ts';

for (const flavor of FLAVORS) {
  describe(`resources (${flavor})`, () => {
    test('PUT → 201 + Location, defaults filled, 32-hex id, pvt fields hidden', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const r = await call(em, 'PUT', `/v2/accounts/${ACME}/resources`, {
        token,
        body: { data: { name: 'Carrier A', gateways: [{ server: 'sip.carrier-a.example', username: 'u1', password: 'p1' }], rules: ['^\\+?1?(\\d{10})$'], pvt_x: 1, _secret: 2 } },
      });
      assert.equal(r.status, 201);
      assert.match(String(r.headers['content-type']), /application\/json/);
      const id = r.body.data.id as string;
      assert.match(id, /^[0-9a-f]{32}$/);
      assert.equal(r.headers.location, `/v2/accounts/${ACME}/resources/${id}`);
      assert.match(r.body.revision, /^1-[0-9a-f]{32}$/);
      assert.deepEqual(r.body.data, {
        emergency: false, enabled: true, flags: [], from_account_realm: false,
        gateways: [{ channel_selection: 'ascending', enabled: true, endpoint_type: 'sip', force_port: false, invite_format: 'route', password: 'p1', port: 5060, server: 'sip.carrier-a.example', skype_rr: true, username: 'u1' }],
        grace_period: 5, id, name: 'Carrier A', rules: ['^\\+?1?(\\d{10})$'], rules_test: [], weight_cost: 50,
      });
    });

    test('client-supplied id honoured; reuse → 409 even after soft delete; hard delete frees it', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const id = '0123456789abcdef0123456789abcdef';
      const p = `/v2/accounts/${ACME}/resources`;
      assert.equal((await call(em, 'PUT', p, { token, body: resourceBody('A', { id }) })).status, 201);
      const again = await call(em, 'PUT', p, { token, body: resourceBody('A', { id }) });
      assert.equal(again.status, 409);
      assert.equal(again.body.message, 'datastore_conflict');
      assert.deepEqual(again.body.data, { message: 'conflicting documents' });
      const del = await call(em, 'DELETE', `${p}/${id}`, { token });
      assert.equal(del.status, 200);
      assert.deepEqual(del.body.data._read_only, { deleted: true });
      const gone = await call(em, 'GET', `${p}/${id}`, { token });
      assert.equal(gone.status, 404);
      assert.equal(gone.body.message, 'bad_identifier');
      assert.deepEqual(gone.body.data, { cause: id, message: 'bad identifier' });
      assert.equal((await call(em, 'PUT', p, { token, body: resourceBody('A', { id }) })).status, 409);
      // listing no longer shows it
      const list = await call(em, 'GET', p, { token });
      assert.ok(!list.body.data.some((x: { id: string }) => x.id === id));
      // a different id, hard deleted, can be reused
      const id2 = 'fedcba9876543210fedcba9876543210';
      assert.equal((await call(em, 'PUT', p, { token, body: resourceBody('B', { id: id2 }) })).status, 201);
      assert.equal((await call(em, 'DELETE', `${p}/${id2}?should_soft_delete=false`, { token })).status, 200);
      assert.equal((await call(em, 'PUT', p, { token, body: resourceBody('B', { id: id2 }) })).status, 201);
    });

    test('POST replaces public fields (omitted → gone/default), _rev in body ignored, URL id wins', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const p = `/v2/accounts/${ACME}/resources`;
      const c = await call(em, 'PUT', p, { token, body: resourceBody('A', { weight_cost: 10, cid_rules: ['^1'], custom: 'x' }) });
      const id = c.body.data.id;
      const r = await call(em, 'POST', `${p}/${id}`, { token, body: { data: { name: 'A2', gateways: [], id: 'other', _rev: '99-bogus' } } });
      assert.equal(r.status, 200);
      assert.equal(r.body.data.id, id);
      assert.equal(r.body.data.weight_cost, 50);
      assert.equal(r.body.data.cid_rules, undefined);
      assert.equal(r.body.data.custom, undefined);
      assert.match(r.body.revision, /^2-/);
    });

    test('POST to an unknown id validates the body first: invalid → 400, valid → 404 (§1.7, §13)', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const p = `/v2/accounts/${ACME}/resources`;
      const invalid = await call(em, 'POST', `${p}/0123456789abcdef0123456789abcdef`, { token, body: { data: { name: 'x' } } });
      assert.equal(invalid.status, 400);
      assert.equal(invalid.body.message, 'validation error');
      assert.ok(invalid.body.data.gateways.required);
      const valid = await call(em, 'POST', `${p}/0123456789abcdef0123456789abcdef`, { token, body: resourceBody('V') });
      assert.equal(valid.status, 404);
      assert.equal(valid.body.message, 'bad_identifier');
      const global = await call(em, 'POST', '/v2/resources/0123456789abcdef0123456789abcdef', { token, body: { data: { gateways: 'x' } } });
      assert.equal(global.status, 400);
      assert.equal((await call(em, 'PATCH', `${p}/0123456789abcdef0123456789abcdef`, { token, body: { data: { name: 5 } } })).status, 404);
    });

    test('PATCH merges top-level keys, null deletes, nested values replaced whole; unknown keys kept', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const p = `/v2/accounts/${ACME}/resources`;
      const c = await call(em, 'PUT', p, { token, body: resourceBody('A', { cid_rules: ['^1'], caller_id_options: { type: 'external' } }) });
      const id = c.body.data.id;
      const r = await call(em, 'PATCH', `${p}/${id}`, { token, body: { data: { cid_rules: null, custom: 'value', gateways: [{ server: 'b.example' }] } } });
      assert.equal(r.status, 200);
      assert.equal(r.body.data.cid_rules, undefined);
      assert.equal(r.body.data.custom, 'value');
      assert.deepEqual(r.body.data.caller_id_options, { type: 'external' });
      assert.equal(r.body.data.gateways.length, 1);
      assert.equal(r.body.data.gateways[0].server, 'b.example');
      assert.equal(r.body.data.gateways[0].port, 5060);
      const g = await call(em, 'GET', `${p}/${id}`, { token });
      assert.equal(g.body.data.custom, 'value');
    });

    test('validation errors in Kazoo shape, all at once; string → number/boolean coercion', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const p = `/v2/accounts/${ACME}/resources`;
      const bad = await call(em, 'PUT', p, { token, body: { data: { gateways: [{ server: '' }], weight_cost: 500, gateway_strategy: 'rr' } } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error, '400');
      assert.equal(bad.body.message, 'validation error');
      assert.deepEqual(bad.body.data, {
        name: { required: { message: 'Field is required but missing', value: 'name' } },
        'gateways.0.server': { minLength: { message: 'String must be at least 1 characters', target: 1, cause: '', value: '' } },
        weight_cost: { maximum: { message: 'Value must be at most 100', target: 100, value: 500 } },
        gateway_strategy: { enum: { message: 'Value not found in enumerated list of values', target: ['sequential', 'random'], value: 'rr' } },
      });
      const coerced = await call(em, 'PUT', p, { token, body: resourceBody('C', { weight_cost: '40', enabled: 'false', gateways: [{ server: 'x', port: '5080' }] }) });
      assert.equal(coerced.status, 201);
      assert.equal(coerced.body.data.weight_cost, 40);
      assert.equal(coerced.body.data.enabled, false);
      assert.equal(coerced.body.data.gateways[0].port, 5080);
      const media = await call(em, 'PUT', p, { token, body: resourceBody('M', { media: {} }) });
      assert.deepEqual(media.body.data.media, { audio: {}, encryption: { enforce_security: false, methods: [] }, video: { codecs: [] } });
      const sp = await call(em, 'PUT', p, { token, body: resourceBody('S', { gateways: [{ server: 'x', invite_format: 'strip_plus' }] }) });
      assert.equal(sp.status, flavor === '5.0' ? 201 : 400);
    });

    test('ETag on GET, If-None-Match → 304, If-Match stale → 412 empty body, If-Match on create → 412', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const p = `/v2/accounts/${ACME}/resources`;
      const id = (await call(em, 'PUT', p, { token, body: resourceBody('E') })).body.data.id;
      const g = await call(em, 'GET', `${p}/${id}`, { token });
      assert.equal(g.headers.etag, `"${g.body.revision}"`);
      const nm = await call(em, 'GET', `${p}/${id}`, { token, headers: { 'if-none-match': g.headers.etag as string } });
      assert.equal(nm.status, 304);
      const upd = await call(em, 'POST', `${p}/${id}`, { token, body: resourceBody('E2'), headers: { 'if-match': g.headers.etag as string } });
      assert.equal(upd.status, 200);
      assert.equal(upd.headers.etag, undefined);
      const stale = await call(em, 'POST', `${p}/${id}`, { token, body: resourceBody('E3'), headers: { 'if-match': g.headers.etag as string } });
      assert.equal(stale.status, 412);
      assert.equal(stale.text, '');
      assert.ok(stale.headers['x-request-id']);
      assert.equal((await call(em, 'PATCH', `${p}/${id}`, { token, body: { data: {} }, headers: { 'if-match': '*' } })).status, 200);
      assert.equal((await call(em, 'DELETE', `${p}/${id}`, { token, headers: { 'if-match': '"1-old"' } })).status, 412);
      // validation and loading come before the precondition
      assert.equal((await call(em, 'POST', `${p}/${id}`, { token, body: { data: { gateways: [] } }, headers: { 'if-match': '"1-old"' } })).status, 400);
      assert.equal((await call(em, 'POST', `${p}/nope`, { token, body: resourceBody('x'), headers: { 'if-match': '"1-old"' } })).status, 404);
      assert.equal((await call(em, 'PUT', p, { token, body: resourceBody('N'), headers: { 'if-match': '*' } })).status, 412);
      // lists have an automatic revision (md5 of the data) and honour If-None-Match too
      const l = await call(em, 'GET', p, { token });
      assert.match(l.body.revision, /^[0-9a-f]{32}$/);
      assert.equal((await call(em, 'GET', p, { token, headers: { 'if-none-match': l.headers.etag as string } })).status, 304);
    });

    test('listing items are limited to id, name, enabled, weight_cost, template_name, classifiers', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const r = await call(em, 'GET', '/v2/resources', { token });
      assert.equal(r.status, 200);
      assert.equal(r.body.data.length, 3);
      for (const item of r.body.data) {
        for (const k of Object.keys(item)) assert.ok(['id', 'name', 'enabled', 'weight_cost', 'template_name', 'classifiers'].includes(k), k);
      }
      assert.equal(r.body.page_size, 3);
      assert.equal(r.body.next_start_key, undefined);
      assert.equal(r.body.start_key, undefined);
    });

    test('global resources: super-duper only (500 "init failed" otherwise); account resources: ancestors only', async (t) => {
      const em = await emulator(t, { flavor });
      const acme = await login(em, 'Acme Corp', 'acme', 'demo-acme-pass');
      const g = await call(em, 'GET', '/v2/resources', { token: acme });
      assert.equal(g.status, 500);
      assert.equal(g.body.message, 'init failed');
      assert.equal((await call(em, 'GET', `/v2/accounts/${ACME}/resources`, { token: acme })).status, 200);
      assert.equal((await call(em, 'GET', `/v2/accounts/${GLOBEX}/resources`, { token: acme })).status, 403);
      const reseller = await login(em, 'Northwind Reseller', 'reseller', 'demo-reseller-pass');
      assert.equal((await call(em, 'GET', `/v2/accounts/${GLOBEX}/resources`, { token: reseller })).status, 200);
      const admin = await login(em);
      assert.equal((await call(em, 'GET', `/v2/accounts/${GLOBEX}/resources`, { token: admin })).status, 200);
      // /v2/account/... aliases the token's account
      const alias = await call(em, 'GET', '/v2/account/resources', { token: acme });
      assert.equal(alias.status, 200);
      assert.equal(alias.body.data.length, 2);
    });

    test('deprecated nouns: 4.3 serves local_resources (PATCH saves nothing), global_resources → 404; 5.0 has neither', async (t) => {
      const em = await emulator(t, { flavor });
      const acme = await login(em, 'Acme Corp', 'acme', 'demo-acme-pass');
      const lr = `/v2/accounts/${ACME}/local_resources`;
      const list = await call(em, 'GET', lr, { token: acme });
      const gr = await call(em, 'GET', '/v2/global_resources', { token: acme });
      assert.equal(gr.status, 404);
      if (flavor === '5.0') {
        assert.equal(list.status, 404);
        assert.equal(list.body.message, 'not_found');
        return;
      }
      assert.equal(list.status, 200);
      assert.equal(list.body.data.length, 2);
      const id = 'f1000000000000000000000000000001';
      const before = await call(em, 'GET', `${lr}/${id}`, { token: acme });
      const patched = await call(em, 'PATCH', `${lr}/${id}`, { token: acme, body: { data: { name: 'Renamed' } } });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.data.name, 'Renamed');
      const after = await call(em, 'GET', `${lr}/${id}`, { token: acme });
      assert.equal(after.body.data.name, before.body.data.name);
      assert.equal(after.body.revision, before.body.revision);
      const put = await call(em, 'PUT', lr, { token: acme, body: resourceBody('via local_resources') });
      assert.equal(put.status, 201);
      assert.equal((await call(em, 'GET', `/v2/accounts/${ACME}/resources/${put.body.data.id}`, { token: acme })).status, 200);
    });

    test('collections: PUT/POST all-or-nothing; errors → {errors}; success → the listing', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const p = `/v2/accounts/${GLOBEX}/resources`;
      const bad = await call(em, 'PUT', `${p}/collection`, { token, body: { data: [{ id: 'c1', name: 'ok', gateways: [] }, { id: 'c2', gateways: [] }] } });
      assert.equal(bad.status, 201);
      assert.equal(bad.body.status, 'success');
      assert.deepEqual(Object.keys(bad.body.data.errors), ['c2']);
      assert.ok(bad.body.data.errors.c2.name.required);
      assert.equal((await call(em, 'GET', `${p}/c1`, { token })).status, 404);
      const good = await call(em, 'PUT', `${p}/collection`, { token, body: { data: [{ id: 'c1', name: 'one', gateways: [] }, { id: 'c2', name: 'two', gateways: [] }] } });
      assert.equal(good.status, 201);
      assert.deepEqual(good.body.data.map((x: { id: string }) => x.id).sort(), ['c1', 'c2', 'f1000000000000000000000000000003']);
      const post = await call(em, 'POST', `${p}/collection`, { token, body: { data: [{ id: 'c1', weight_cost: 5 }, { id: 'missing', name: 'x' }] } });
      assert.equal(post.status, 200);
      assert.equal(post.body.data.errors.missing, 'resource does not exist');
      const post2 = await call(em, 'POST', `${p}/collection`, { token, body: { data: [{ id: 'c1', weight_cost: 5 }] } });
      assert.equal(post2.status, 200);
      assert.ok(Array.isArray(post2.body.data));
      const c1 = await call(em, 'GET', `${p}/c1`, { token });
      assert.equal(c1.body.data.weight_cost, 5);
      assert.equal(c1.body.data.name, 'one');
    });

    test('the ids "jobs" and "collection" cannot be addressed as resources', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      assert.equal((await call(em, 'DELETE', `/v2/accounts/${ACME}/resources/collection`, { token })).status, 405);
      assert.equal((await call(em, 'POST', `/v2/accounts/${ACME}/resources/jobs`, { token, body: resourceBody('x') })).status, 405);
    });

    test('peers: forbidden unless allow_peers; then gateways need a unique IPv4', async (t) => {
      const off = await emulator(t, { flavor });
      const token = await login(off);
      const r = await call(off, 'PUT', `/v2/accounts/${ACME}/resources`, { token, body: resourceBody('P', { peer: true }) });
      assert.equal(r.status, 400);
      assert.equal(r.body.data.peer.forbidden.message, 'Peers are currently disabled, please contact the system admin');
      const seed = demoSeed();
      seed.config = { ...seed.config, allow_peers: true };
      const on = await emulator(t, { flavor, seed });
      const t2 = await login(on);
      const p = `/v2/accounts/${ACME}/resources`;
      const noIp = await call(on, 'PUT', p, { token: t2, body: resourceBody('P', { peer: true }) });
      assert.equal(noIp.body.data['gateways.0.server'].required.message, 'Gateway server must be an IP when peering with the resource');
      assert.equal((await call(on, 'PUT', p, { token: t2, body: { data: { name: 'P1', peer: true, gateways: [{ server: '192.0.2.7' }] } } })).status, 201);
      const dup = await call(on, 'PUT', `/v2/accounts/${GLOBEX}/resources`, { token: t2, body: { data: { name: 'P2', peer: true, gateways: [{ server: '192.0.2.7' }] } } });
      assert.equal(dup.body.data['gateways.0.server'].unique.message, 'Gateway server ip is already in use');
    });

    test('kazoo_proper pqc_cb_resources seq + pqc_cb_crud codes on a new account', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const acc = await call(em, 'PUT', `/v2/accounts/${MASTER}`, { token, body: { data: { name: `proper_${Date.now()}` } } });
      assert.equal(acc.status, 201);
      const A = acc.body.data.id;
      const p = `/v2/accounts/${A}/resources`;
      const empty = await call(em, 'GET', p, { token });
      assert.equal(empty.status, 200);
      assert.deepEqual(empty.body.data, []);
      const name = Math.random().toString(16).slice(2);
      const created = await call(em, 'PUT', p, { token, body: { data: { name, gateways: [] } } });
      assert.equal(created.status, 201);
      assert.match(String(created.headers['content-type']), /application\/json/);
      const id = created.body.data.id;
      assert.equal((await call(em, 'GET', `${p}/${id}`, { token })).status, 200);
      assert.equal((await call(em, 'POST', `${p}/${id}`, { token, body: { data: { name, gateways: [] } } })).status, 200);
      assert.equal((await call(em, 'PATCH', `${p}/${id}`, { token, body: { data: { custom: 'value' } } })).status, 200);
      const one = await call(em, 'GET', p, { token });
      assert.equal(one.body.data.length, 1);
      assert.equal(one.body.data[0].id, id);
      assert.equal((await call(em, 'DELETE', `${p}/${id}`, { token })).status, 200);
      assert.deepEqual((await call(em, 'GET', p, { token })).body.data, []);
    });

    test('GET account: public fields only', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const r = await call(em, 'GET', `/v2/accounts/${MASTER}`, { token });
      assert.equal(r.status, 200);
      assert.equal(r.body.data.id, MASTER);
      assert.equal(r.body.data.name, 'Master');
      assert.equal(r.body.data.realm, 'master.sip.example.com');
      assert.equal(r.body.data.enabled, true);
      assert.ok(!Object.keys(r.body.data).some((k) => k.startsWith('pvt_') || k.includes('superduper')));
    });
  });
}

// Conformance of the test double itself: faults (5xx, 429 + Retry-After, resets, failPaths, docs quirks),
// offline/online, the admin API on its own port, the request log and --state persistence.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startEmulator } from '../../kazoo-emulator/index.ts';
import { ACME, call, emulator, FLAVORS, login, resourceBody, until } from './helpers.ts';

async function admin(em: { adminUrl: string }, method: string, path: string, body?: unknown): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const r = await request(em.adminUrl + path, {
    method: method as 'GET', ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  });
  const text = await r.body.text();
  assert.equal(r.statusCode, 200, `admin ${method} ${path}: ${text}`);
  return JSON.parse(text);
}

for (const flavor of FLAVORS) {
  describe(`faults and admin (${flavor})`, () => {
    test('errorRate → Kazoo-shaped 500/503, reproducible with randomSeed', async (t) => {
      const statuses: number[][] = [];
      for (let i = 0; i < 2; i++) {
        const em = await emulator(t, { flavor, randomSeed: 42, faults: { errorRate: 0.5 } });
        const seq: number[] = [];
        for (let k = 0; k < 12; k++) {
          const r = await call(em, 'GET', '/v2/schemas');
          seq.push(r.status);
          if (r.status === 500) assert.equal(r.body.message, 'datastore_fault');
          if (r.status === 503) assert.deepEqual(r.body.data, { message: 'datastore timeout' });
          if (r.status >= 500) assert.equal(r.body.error, String(r.status));
        }
        statuses.push(seq);
      }
      assert.deepEqual(statuses[0], statuses[1]);
      assert.ok(statuses[0]!.some((s) => s >= 500) && statuses[0]!.some((s) => s === 200));
    });

    test('rateLimitRate → 429 too_many_requests with Retry-After; failPaths limits the faults', async (t) => {
      const em = await emulator(t, { flavor, faults: { rateLimitRate: 1, retryAfterS: 3, failPaths: '/resources' } });
      const r = await call(em, 'GET', '/v2/resources');
      assert.equal(r.status, 429);
      assert.equal(r.headers['retry-after'], '3');
      assert.equal(r.body.message, 'too_many_requests');
      assert.deepEqual(r.body.data, { message: 'too many requests' });
      assert.equal((await call(em, 'GET', '/v2/schemas')).status, 200);
      em.setFaults({ rateLimitRate: 0 });
      assert.equal((await call(em, 'GET', '/v2/resources')).status, 401);
    });

    test('resetRate: the request is processed, the reply is lost (socket destroyed), logged with status 0', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const id = 'aaaabbbbccccddddeeeeffff00001111';
      em.setFaults({ resetRate: 1, failPaths: `^PUT /v2/accounts/${ACME}/resources` });
      em.clearRequestLog();
      await assert.rejects(call(em, 'PUT', `/v2/accounts/${ACME}/resources`, { token, body: resourceBody('Lost reply', { id }) }));
      assert.equal((await call(em, 'GET', `/v2/accounts/${ACME}/resources/${id}`, { token })).status, 200); // GETs unaffected
      em.setFaults({ resetRate: 0 });
      const log = em.requestLog();
      assert.equal(log[0]!.method, 'PUT');
      assert.equal(log[0]!.status, 0);
      assert.equal(log[1]!.status, 200);
      assert.equal(log[1]!.path, `/v2/accounts/${ACME}/resources/${id}`);
      assert.match(log[1]!.requestId!, /^[0-9a-f]{32}$/);
    });

    test('docs quirks: numbers as strings, `successes`, a jobs listing with counts', async (t) => {
      const em = await emulator(t, { flavor, faults: { docsQuirks: true } });
      const token = await login(em, 'Acme Corp', 'acme', 'demo-acme-pass');
      const list = await call(em, 'GET', `/v2/accounts/${ACME}/resources`, { token });
      assert.equal(typeof list.body.data[0].weight_cost, 'string');
      const one = await call(em, 'GET', `/v2/accounts/${ACME}/resources/f1000000000000000000000000000001`, { token });
      assert.equal(one.body.data.weight_cost, '40');
      assert.equal(one.body.data.gateways[0].port, '5060');
      const p = `/v2/accounts/${ACME}/resources/jobs`;
      const j = await call(em, 'PUT', p, { token, body: { data: { numbers: ['+14155551001', 'x'], resource_id: 'f1000000000000000000000000000001', name: 'q' } } });
      assert.deepEqual(j.body.data.successes, {});
      assert.equal(j.body.data.success, undefined);
      await until(async () => (await call(em, 'GET', `${p}/${j.body.data.id}`, { token })).body.data.status === 'complete', 'job');
      const jl = await call(em, 'GET', p, { token });
      assert.deepEqual(jl.body.data[0], {
        id: j.body.data.id, timestamp: jl.body.data[0].timestamp, status: 'complete', failures: 1, successes: 1,
        resource_id: 'f1000000000000000000000000000001', name: 'q',
      });
    });

    test('goOffline refuses connections and keeps state; goOnline listens on the same port; goOffline(ms) comes back', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      await em.goOffline();
      await assert.rejects(call(em, 'GET', '/v2/resources', { token }), (e: Error & { code?: string }) => e.code === 'ECONNREFUSED');
      await em.goOnline();
      assert.equal((await call(em, 'GET', '/v2/resources', { token })).status, 200);
      await em.goOffline(50);
      await until(async () => (await call(em, 'GET', '/v2/resources', { token }).catch(() => undefined))?.status === 200, 'back online');
    });

    test('admin API on its own port mirrors the handle', async (t) => {
      const em = await emulator(t, { flavor });
      assert.notEqual(new URL(em.adminUrl).port, String(em.port));
      const info = await admin(em, 'GET', '');
      assert.equal(info.flavor, flavor);
      assert.equal(info.masterAccountId, em.masterAccountId);
      const f = await admin(em, 'PUT', '/faults', { latencyMs: 1, docsQuirks: true });
      assert.equal(f.latencyMs, 1);
      assert.equal(f.docsQuirks, true);
      await admin(em, 'PUT', '/faults', { latencyMs: 0, docsQuirks: false });
      const token = await login(em);
      const reqs = await admin(em, 'GET', '/requests');
      assert.equal(reqs.at(-1).path, '/v2/user_auth');
      await admin(em, 'DELETE', '/requests');
      assert.deepEqual(await admin(em, 'GET', '/requests'), []);
      await admin(em, 'POST', '/revoke-tokens');
      assert.equal((await call(em, 'GET', '/v2/resources', { token })).status, 401);
      assert.equal((await admin(em, 'POST', '/executor/pause')).paused, true);
      assert.equal((await admin(em, 'POST', '/executor/resume')).paused, false);
      assert.equal((await admin(em, 'POST', '/executor/kill')).dead, true);
      await admin(em, 'POST', '/executor/resume');
      assert.equal(typeof (await admin(em, 'POST', '/recovery')).republished, 'number');
      await admin(em, 'POST', '/offline', {});
      await assert.rejects(call(em, 'GET', '/v2/schemas'));
      await admin(em, 'POST', '/online');
      assert.equal((await call(em, 'GET', '/v2/schemas')).status, 200);
      const state = await admin(em, 'GET', '/state');
      assert.ok(state.accounts.length >= 5);
      const before = info.now as number;
      assert.ok((await admin(em, 'POST', '/clock', { advanceMs: 3_600_000 })).now >= before + 3_600_000);
      const acc = await admin(em, 'POST', `/accounts/${ACME}`, { allow_number_additions: false });
      assert.equal(acc.allow_number_additions, false);
      const bad = await request(`${em.adminUrl}/faults`, { method: 'PUT', body: JSON.stringify({ errorRate: 3 }) });
      assert.equal(bad.statusCode, 400);
      assert.match(await bad.body.text(), /errorRate must be between 0 and 1/);
    });

    test('statePath keeps the data (and tokens) across a restart', async (t) => {
      const dir = mkdtempSync(join(tmpdir(), 'kazoo-emu-state-'));
      const statePath = join(dir, 'state.json');
      const a = await startEmulator({ flavor, statePath });
      const token = await login(a);
      const c = await call(a, 'PUT', `/v2/accounts/${ACME}/resources`, { token, body: resourceBody('Persisted') });
      assert.equal(c.status, 201);
      await a.close();
      const b = await startEmulator({ flavor, statePath, seed: { master_account_id: 'x', accounts: [{ id: 'x', name: 'X' }] } });
      t.after(async () => {
        await b.close();
        rmSync(dir, { recursive: true, force: true });
      });
      assert.equal(b.masterAccountId, a.masterAccountId);
      const g = await call(b, 'GET', `/v2/accounts/${ACME}/resources/${c.body.data.id}`, { token });
      assert.equal(g.status, 200);
      assert.equal(g.body.data.name, 'Persisted');
    });
  });
}

// Conformance: resource jobs (§5): creation, the per-number outcome table, month databases, the listing
// (empty without a filter), created_* checks, executor kill/pause, recovery, numbers seen afterwards (§7).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { demoSeed } from '../../kazoo-emulator/index.ts';
import { encodeStartKey } from '../../kazoo-emulator/start-key.ts';
import { ACME, call, emulator, FLAVORS, GLOBEX, GREG, login, MASTER, TestClock, until, type Res } from './helpers.ts';

const ACME_RES = 'f1000000000000000000000000000001';
const GLOBAL_RES = 'f0000000000000000000000000000001';
type Em = { url: string };

async function waitStatus(em: Em, token: string, path: string, status: string): Promise<Res> {
  return until(async () => {
    const r = await call(em, 'GET', path, { token });
    return r.body?.data?.status === status ? r : undefined;
  }, `job ${path} to be ${status}`);
}

for (const flavor of FLAVORS) {
  describe(`jobs (${flavor})`, () => {
    test('PUT → 201, YYYYMM- + 16 hex id, Location, success/errors maps, no status', async (t) => {
      const clock = new TestClock();
      const em = await emulator(t, { flavor, clock });
      const token = await login(em, 'Acme Corp', 'acme', 'demo-acme-pass');
      const p = `/v2/accounts/${ACME}/resources/jobs`;
      const r = await call(em, 'PUT', p, { token, body: { data: { numbers: ['+14155550177'], resource_id: ACME_RES, name: 'March import', extra: 'kept' } } });
      assert.equal(r.status, 201);
      assert.equal(r.body.status, 'success');
      const id = r.body.data.id as string;
      assert.match(id, /^202403-[0-9a-f]{16}$/);
      assert.equal(r.headers.location, `${p}/${id}`);
      assert.deepEqual(r.body.data, { errors: {}, success: {}, id, name: 'March import', numbers: ['+14155550177'], resource_id: ACME_RES, extra: 'kept' });
      const empty = await call(em, 'PUT', p, { token, body: { data: { numbers: [], resource_id: ACME_RES } } });
      assert.equal(empty.status, 400);
      assert.deepEqual(empty.body.data, { numbers: { minItems: { message: 'The list must have at least 1 items', target: 1, value: [] } } });
    });

    test('per-number outcomes (§5.3) and the numbers afterwards (§7)', async (t) => {
      const clock = new TestClock();
      const em = await emulator(t, { flavor, clock });
      const token = await login(em, 'Acme Corp', 'acme', 'demo-acme-pass');
      const numbers = ['+14155550199', '+14155550100', '4155550102', '4155550102', '12345', '415-555-0100', '+15125550123', '+16465550199', '+17185550142', '+14155550199', '0044207946000'];
      const r = await call(em, 'PUT', `/v2/accounts/${ACME}/resources/jobs`, { token, body: { data: { numbers, resource_id: ACME_RES } } });
      const path = `/v2/accounts/${ACME}/resources/jobs/${r.body.data.id}`;
      const done = await waitStatus(em, token, path, 'complete');
      const job = done.body.data;
      assert.equal(job.timestamp, Math.floor(clock.ms / 1000) + GREG);
      assert.deepEqual(Object.keys(job.success).sort(), ['+14155550102', '+14155550199', '+15125550123', '+44207946000']);
      const s = job.success['+14155550199'];
      assert.equal(s.id, '+14155550199');
      assert.equal(s.state, 'reserved');
      assert.equal(s.resource_id, ACME_RES);
      assert.equal(s._read_only.carrier_module, 'local');
      assert.equal(s._read_only.state, flavor === '4.3' ? 'reserved' : undefined);
      assert.deepEqual(job.errors['+14155550100'], { code: 409, error: 'number_exists', cause: '+14155550100', message: 'number +14155550100 already exists' });
      assert.equal(job.errors['4155550102'].error, 'number_exists');
      const nr = flavor === '4.3' ? 'not_reconcilable' : { reason: 'not_reconcilable' };
      assert.deepEqual(job.errors['12345'], nr);
      assert.deepEqual(job.errors['415-555-0100'], nr);
      assert.deepEqual(job.errors['+16465550199'], { code: 400, error: 'invalid_state_transition', cause: 'from aging to reserved', message: 'invalid state transition' });
      assert.equal(job.errors['+17185550142'].error, 'number_is_porting');
      assert.equal(Object.keys(job.errors).length, 6);
      // numbers: listing without resource_id, single with resource_id and carrier_module
      const list = await call(em, 'GET', `/v2/accounts/${ACME}/phone_numbers`, { token });
      const entry = list.body.data.numbers['+14155550199'];
      assert.equal(entry.state, 'reserved');
      assert.equal(entry.resource_id, undefined);
      assert.equal(entry.assigned_to, ACME);
      const one = await call(em, 'GET', `/v2/accounts/${ACME}/phone_numbers/${encodeURIComponent('+14155550199')}`, { token });
      assert.equal(one.body.data.resource_id, ACME_RES);
      assert.equal(one.body.data._read_only.carrier_module, 'local');
      const reused = await call(em, 'GET', `/v2/accounts/${ACME}/phone_numbers/${encodeURIComponent('+15125550123')}`, { token });
      assert.equal(reused.body.data.state, 'reserved');
      const hidden = await call(em, 'GET', `/v2/accounts/${ACME}/phone_numbers/${encodeURIComponent('+12125550150')}`, { token });
      assert.equal(hidden.status, 404);
      assert.deepEqual(hidden.body.data, { message: 'bad identifier', not_found: 'The number could not be found' });
    });

    test('global jobs run against the master account with knm_other; missing phonebook_url fails each number', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const r = await call(em, 'PUT', '/v2/resources/jobs', { token, body: { data: { numbers: ['+14155550300'], resource_id: GLOBAL_RES } } });
      assert.equal(r.status, 201);
      const done = await waitStatus(em, token, `/v2/resources/jobs/${r.body.data.id}`, 'complete');
      assert.equal(done.body.data.success['+14155550300']._read_only.carrier_module, 'other');
      const n = await call(em, 'GET', `/v2/accounts/${MASTER}/phone_numbers/%2B14155550300`, { token });
      assert.equal(n.body.data.resource_id, GLOBAL_RES);
      const seed = demoSeed();
      delete seed.config!.phonebook_url;
      const em2 = await emulator(t, { flavor, seed });
      const t2 = await login(em2);
      const r2 = await call(em2, 'PUT', '/v2/resources/jobs', { token: t2, body: { data: { numbers: ['+14155550301'], resource_id: GLOBAL_RES } } });
      const d2 = await waitStatus(em2, t2, `/v2/resources/jobs/${r2.body.data.id}`, 'complete');
      assert.deepEqual(d2.body.data.errors['+14155550301'], { code: 500, error: 'unspecified_fault', message: 'missing_provider_url' });
      const acme = await login(em2, 'Acme Corp', 'acme', 'demo-acme-pass');
      assert.equal((await call(em2, 'PUT', '/v2/resources/jobs', { token: acme, body: { data: { numbers: ['+1'], resource_id: 'x' } } })).status, 500);
    });

    test('forbidden without allow_number_additions (cause per flavor)', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em, 'Globex', 'globex', 'demo-globex-pass');
      const r = await call(em, 'PUT', `/v2/accounts/${GLOBEX}/resources/jobs`, { token, body: { data: { numbers: ['+14155550400'], resource_id: 'any-id' } } });
      const done = await waitStatus(em, token, `/v2/accounts/${GLOBEX}/resources/jobs/${r.body.data.id}`, 'complete');
      const e = done.body.data.errors['+14155550400'];
      assert.equal(e.code, 403);
      assert.equal(e.error, 'forbidden');
      assert.equal(e.cause, flavor === '4.3' ? 'state_for_create' : "creating number in state 'reserved' is not allowed");
    });

    test('sequential executor saves after every number; pause holds it running; kill leaves it running for ever', async (t) => {
      const em = await emulator(t, { flavor, jobDelayMs: 2 });
      const token = await login(em, 'Acme Corp', 'acme', 'demo-acme-pass');
      const p = `/v2/accounts/${ACME}/resources/jobs`;
      em.pauseExecutor();
      const nums = ['+14155550501', '+14155550502', '+14155550503'];
      const r = await call(em, 'PUT', p, { token, body: { data: { numbers: nums, resource_id: ACME_RES } } });
      const path = `${p}/${r.body.data.id}`;
      const running = await waitStatus(em, token, path, 'running');
      assert.deepEqual(running.body.data.success, {});
      em.resumeExecutor();
      const done = await waitStatus(em, token, path, 'complete');
      assert.match(done.body.revision, new RegExp(`^${nums.length + 3}-`)); // create, running, one per number, complete
      // kill mid-way
      em.pauseExecutor();
      const k = await call(em, 'PUT', p, { token, body: { data: { numbers: ['+14155550601', '+14155550602'], resource_id: ACME_RES } } });
      const kpath = `${p}/${k.body.data.id}`;
      await waitStatus(em, token, kpath, 'running');
      em.killExecutor();
      const later = await call(em, 'PUT', p, { token, body: { data: { numbers: ['+14155550701'], resource_id: ACME_RES } } });
      const lpath = `${p}/${later.body.data.id}`;
      em.runRecovery(); // nothing is stalled yet, and the worker is dead anyway
      assert.equal((await call(em, 'GET', kpath, { token })).body.data.status, 'running');
      assert.equal((await call(em, 'GET', lpath, { token })).body.data.status, 'pending');
    });

    test('recovery restarts stalled pending jobs of the current month only; running ones stay running', async (t) => {
      const clock = new TestClock(Date.UTC(2024, 2, 20, 12));
      const em = await emulator(t, { flavor, clock, jobDelayMs: 0 });
      let token = await login(em, 'Acme Corp', 'acme', 'demo-acme-pass');
      const p = `/v2/accounts/${ACME}/resources/jobs`;
      em.pauseExecutor();
      const k = await call(em, 'PUT', p, { token, body: { data: { numbers: ['+14155550801'], resource_id: ACME_RES } } });
      await waitStatus(em, token, `${p}/${k.body.data.id}`, 'running');
      em.killExecutor();
      const pend = await call(em, 'PUT', p, { token, body: { data: { numbers: ['+14155550802'], resource_id: ACME_RES } } });
      em.resumeExecutor(); // a new worker; the lost message is not redelivered
      assert.equal((await call(em, 'GET', `${p}/${pend.body.data.id}`, { token })).body.data.status, 'pending');
      clock.advance(30 * 60 * 1000); // below the 3600 s threshold
      em.runRecovery();
      assert.equal((await call(em, 'GET', `${p}/${pend.body.data.id}`, { token })).body.data.status, 'pending');
      clock.advance(31 * 60 * 1000);
      token = await login(em, 'Acme Corp', 'acme', 'demo-acme-pass'); // the old token expired with the clock
      em.runRecovery();
      await waitStatus(em, token, `${p}/${pend.body.data.id}`, 'complete');
      assert.equal((await call(em, 'GET', `${p}/${k.body.data.id}`, { token })).body.data.status, 'running');
      // a pending job of last month is never looked at
      em.killExecutor();
      const old = await call(em, 'PUT', p, { token, body: { data: { numbers: ['+14155550803'], resource_id: ACME_RES } } });
      em.resumeExecutor();
      clock.advance(15 * 24 * 3600 * 1000); // now in April
      token = await login(em, 'Acme Corp', 'acme', 'demo-acme-pass');
      em.runRecovery();
      const o = await call(em, 'GET', `${p}/${old.body.data.id}`, { token });
      assert.equal(o.status, 200); // still found in the March MODB by its id prefix
      assert.equal(o.body.data.status, 'pending');
    });

    test('listing: [] without a filter; full docs with has_key/filter_*; created_* checks', async (t) => {
      const clock = new TestClock();
      const em = await emulator(t, { flavor, clock });
      const token = await login(em, 'Acme Corp', 'acme', 'demo-acme-pass');
      const p = `/v2/accounts/${ACME}/resources/jobs`;
      const a = await call(em, 'PUT', p, { token, body: { data: { numbers: ['+14155550901'], resource_id: ACME_RES, name: 'first' } } });
      clock.advance(5000);
      const b = await call(em, 'PUT', p, { token, body: { data: { numbers: ['12'], resource_id: ACME_RES, name: 'second' } } });
      await waitStatus(em, token, `${p}/${b.body.data.id}`, 'complete');
      const now = Math.floor(clock.ms / 1000) + GREG;
      const bare = await call(em, 'GET', p, { token });
      assert.equal(bare.status, 200);
      assert.deepEqual(bare.body.data, []);
      assert.equal(bare.body.page_size, 0);
      assert.equal(bare.body.start_key, encodeStartKey(now));
      assert.equal(bare.body.next_start_key, undefined);
      const full = await call(em, 'GET', `${p}?has_key=numbers`, { token });
      assert.deepEqual(full.body.data.map((j: { id: string }) => j.id), [b.body.data.id, a.body.data.id]); // newest first
      assert.equal(full.body.data[0].status, undefined);
      assert.ok(full.body.data[0].success);
      const named = await call(em, 'GET', `${p}?filter_name=first`, { token });
      assert.deepEqual(named.body.data.map((j: { id: string }) => j.id), [a.body.data.id]);
      const st = await call(em, 'GET', `${p}?filter_pvt_status=complete`, { token });
      assert.equal(st.body.data.length, 2);
      const paged = await call(em, 'GET', `${p}?has_key=numbers&page_size=1`, { token });
      assert.equal(paged.body.data.length, 1);
      assert.equal(paged.body.next_start_key, encodeStartKey(now - 5));
      const older = await call(em, 'GET', `${p}?has_key=numbers&created_to=${now - 1}`, { token });
      assert.deepEqual(older.body.data.map((j: { id: string }) => j.id), [a.body.data.id]);
      const wide = await call(em, 'GET', `${p}?created_from=${now - 2682001}&created_to=${now}`, { token });
      assert.equal(wide.status, 400);
      assert.deepEqual(wide.body.data, { created_from: { date_range: { message: `created_to ${now} is more than 2682000 seconds from created_from ${now - 2682001}`, cause: now } } });
      const back = await call(em, 'GET', `${p}?created_from=${now}&created_to=${now - 10}`, { token });
      assert.equal(back.status, 400);
      assert.deepEqual(back.body.data, { created_from: { date_range: { message: `created_to ${now - 10} is prior to created_from ${now}`, cause: now } } });
      assert.equal((await call(em, 'GET', `${p}?created_from=${now - 2682000}&created_to=${now}`, { token })).status, 200);
    });

    test('GET job: malformed id → 404 "bad identifier" [id]; unknown → bad_identifier', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const bad = await call(em, 'GET', '/v2/resources/jobs/nonsense', { token });
      assert.equal(bad.status, 404);
      assert.equal(bad.body.message, 'bad identifier');
      assert.deepEqual(bad.body.data, ['nonsense']);
      const unknown = await call(em, 'GET', '/v2/resources/jobs/202401-0000000000000000', { token });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.message, 'bad_identifier');
    });

    test('kazoo_proper pqc_cb_phone_numbers: create, exists, list, get, activate, delete', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const n = encodeURIComponent('+12345678901');
      const base = `/v2/accounts/${ACME}/phone_numbers`;
      const c = await call(em, 'PUT', `${base}/${n}`, { token, body: { data: {}, accept_charges: true, carrier_name: 'knm_other' } });
      assert.equal(c.status, 201);
      assert.equal(c.body.data.id, '+12345678901');
      const again = await call(em, 'PUT', `${base}/${n}`, { token, body: { data: {} } });
      assert.equal(again.status, 409);
      assert.equal(again.body.message, 'number_exists');
      assert.ok((await call(em, 'GET', base, { token })).body.data.numbers['+12345678901']);
      const g = await call(em, 'GET', `${base}/${n}`, { token });
      assert.equal(g.status, 200);
      assert.equal(g.body.data._read_only.carrier_module, 'other');
      const act = await call(em, 'PUT', `${base}/${n}/activate`, { token, body: { data: {} } });
      assert.equal(act.body.data.state, 'in_service');
      const del = await call(em, 'DELETE', `${base}/${n}`, { token });
      assert.equal(del.status, 200);
      assert.equal(del.body.data.state, 'deleted');
      assert.equal((await call(em, 'GET', `${base}/${n}`, { token })).status, 404);
    });
  });
}

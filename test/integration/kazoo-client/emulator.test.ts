// The client against emulator instances of both flavors: probe, auth, accounts, resources, pagination, retries
// under faults, single re-authentication, no duplicate creates, jobs, numbers, schemas, and no secret leaks.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { demoSeed } from '../../kazoo-emulator/index.ts';
import {
  AuthError,
  ConflictError,
  KazooError,
  NetworkError,
  PreconditionFailedError,
  ServerError,
  ValidationError,
  type KazooClient,
  type Scope,
} from '../../../electron/core/kazoo/index.ts';
import { harness, randomDigits, until, type Harness } from './emulator-harness.ts';

const seed = demoSeed();
const errors: unknown[] = [];
const keep = <T>(p: Promise<T>): Promise<T> =>
  p.catch((e: unknown) => {
    errors.push(e);
    throw e;
  });

for (const flavor of ['4.3', '5.0'] as const) {
  describe(`Crossbar client against the ${flavor} emulator`, () => {
    let h: Harness;
    let c: KazooClient;
    let A: string;
    let scope: Scope;
    before(async () => {
      h = await harness({ flavor });
      c = h.client();
      A = (await c.session()).accountId;
      scope = { kind: 'account', accountId: A };
    });
    after(async () => {
      await h.close();
    });

    test('probe: version, flavor, capabilities, super-duper, job recovery', async () => {
      const p = await c.probe();
      assert.equal(p.flavor, flavor);
      assert.ok(p.version?.startsWith(flavor.charAt(0)), `version ${p.version}`);
      assert.equal(p.superDuper, true);
      assert.equal(p.accountId, h.em.masterAccountId);
      assert.equal(p.capabilities.resources, true);
      assert.equal(p.capabilities.jobs, true);
      assert.equal(p.capabilities.localResources, flavor === '4.3');
      assert.ok(p.jobRecovery && p.jobRecovery.timeoutS > 0 && p.jobRecovery.thresholdS > 0, JSON.stringify(p.jobRecovery));
      const cfg = seed.config ?? {};
      if (cfg.job_recovery_timeout_s) assert.equal(p.jobRecovery.timeoutS, cfg.job_recovery_timeout_s);
    });

    test('api key login, and a login that is not super-duper', async () => {
      const key = seed.accounts.find((a) => a.id === seed.master_account_id)?.api_key;
      assert.ok(key, 'demo seed has an api key on the master account');
      const byKey = await h.client({ auth: { kind: 'api_key', apiKey: key } }).probe();
      assert.equal(byKey.superDuper, true);
      const sub = (seed.users ?? []).find((u) => !seed.accounts.find((a) => a.id === u.account_id)?.superduper_admin);
      assert.ok(sub, 'demo seed has a user outside the master account');
      const acc = seed.accounts.find((a) => a.id === sub.account_id)!;
      const p = await h.client({ auth: { kind: 'user', accountName: acc.name, username: sub.username, password: sub.password } }).probe();
      assert.equal(p.superDuper, false);
      assert.equal(p.accountId, acc.id);
      assert.equal(p.jobRecovery, undefined);
    });

    test('wrong password and wrong api key are AuthError', async () => {
      const e1 = await keep(h.client({ auth: { ...h.admin, password: 'not-the-password-123' } as never }).session()).catch((e: unknown) => e);
      assert.ok(e1 instanceof AuthError, String(e1));
      const e2 = await keep(h.client({ auth: { kind: 'api_key', apiKey: 'f'.repeat(64) } }).session()).catch((e: unknown) => e);
      assert.ok(e2 instanceof AuthError, String(e2));
    });

    test('accounts: get, and children/descendants over small pages match one big page', async () => {
      const me = await c.accounts.get(A);
      assert.equal(me.id, A);
      assert.equal(typeof me.name, 'string');
      const d1 = await c.accounts.descendants(A, { pageSize: 1 });
      const dAll = await c.accounts.descendants(A);
      assert.ok(dAll.length >= 3);
      assert.deepEqual(d1.map((d) => d.id).sort(), dAll.map((d) => d.id).sort());
      const ch = await c.accounts.children(A, { pageSize: 1 });
      assert.ok(ch.length >= 1 && ch.length <= dAll.length);
      for (const d of dAll) assert.ok(Array.isArray(d.tree) && d.tree[0] === A, `tree of ${d.id}`);
    });

    test('resources: create with a client id, get, update with If-Match, stale If-Match refused, patch, delete', async () => {
      for (const sc of [scope, { kind: 'global' } as Scope]) {
        const made = await c.resources.create(sc, { name: `Carrier ${flavor} ${sc.kind}`, gateways: [{ server: 'sip.example.net' }], rules: ['^\\+1(\\d{10})$'], custom_field: 'kept' });
        assert.match(made.doc.id, /^[0-9a-f]{32}$/);
        assert.equal(made.alreadyExisted, false);
        assert.equal(made.doc.custom_field, 'kept');
        const got = await c.resources.get(sc, made.doc.id);
        assert.ok(got.revision);
        assert.equal(got.doc.weight_cost, 50, 'defaults filled, numbers as numbers');
        const upd = await c.resources.update(sc, made.doc.id, { ...got.doc, weight_cost: 20 }, { ifMatch: got.revision! });
        assert.equal(upd.doc.weight_cost, 20);
        assert.notEqual(upd.revision, got.revision);
        await assert.rejects(c.resources.update(sc, made.doc.id, { ...got.doc, weight_cost: 30 }, { ifMatch: got.revision! }), PreconditionFailedError);
        const fresh = await c.resources.get(sc, made.doc.id);
        const patched = await c.resources.patch(sc, made.doc.id, { enabled: false }, { ifMatch: fresh.revision! });
        assert.equal(patched.doc.enabled, false);
        await c.resources.delete(sc, made.doc.id);
        const gone = await c.resources.get(sc, made.doc.id).catch((e: unknown) => e);
        assert.ok(gone instanceof KazooError && gone.code === 'not_found', String(gone));
        // The id stays taken after a soft delete, with content that no longer matches.
        const again = await c.resources.create(sc, { id: made.doc.id, name: 'other', gateways: [] }).catch((e: unknown) => e);
        assert.ok(again instanceof ConflictError, String(again));
      }
    });

    test('pagination: more than 50 resources listed with page_size 7, each exactly once', async () => {
      const before = await c.resources.list(scope);
      const docs = Array.from({ length: 55 }, (_, i) => ({ name: `bulk-${flavor}-${i}`, gateways: [{ server: `gw${i}.example.net` }] }));
      const res = await c.resources.collectionPut(scope, docs);
      assert.equal(res.ok, true, JSON.stringify(res.errors).slice(0, 300));
      h.em.clearRequestLog();
      const listed = await c.resources.list(scope, { pageSize: 7 });
      assert.equal(listed.length, before.length + 55);
      assert.equal(new Set(listed.map((r) => r.id)).size, listed.length);
      const gets = h.em.requestLog().filter((r) => r.method === 'GET' && /\/resources$/.test(r.path));
      assert.ok(gets.length >= Math.ceil(listed.length / 7), `pages fetched: ${gets.length}`);
      assert.ok(gets.slice(1).every((g) => /start_key=/.test(g.query)), 'every later page sends start_key');
      const big = await c.resources.list(scope);
      assert.deepEqual(big.map((r) => r.id).sort(), listed.map((r) => r.id).sort());
    });

    test('faults on reads (latency, 5xx bursts, 429 with Retry-After, resets) are retried to success', async () => {
      h.em.setFaults({ latencyMs: 3, errorRate: 0.3, rateLimitRate: 0.2, retryAfterS: 2, resetRate: 0.15, failPaths: '/resources' });
      h.em.clearRequestLog();
      h.sleeps.length = 0;
      try {
        const listed = await c.resources.list(scope, { pageSize: 10 });
        assert.ok(listed.length >= 55);
        for (let i = 0; i < 5; i++) await c.resources.get(scope, listed[i]!.id);
      } finally {
        h.em.setFaults({ latencyMs: 0, errorRate: 0, rateLimitRate: 0, resetRate: 0, failPaths: undefined });
      }
      const statuses = h.em.requestLog().map((r) => r.status);
      assert.ok(statuses.some((s) => s >= 500) || statuses.some((s) => s === 429), `faults happened: ${statuses.join(',')}`);
      if (statuses.includes(429)) assert.ok(h.sleeps.includes(2000), 'Retry-After: 2 honoured');
    });

    test('a create whose reply is lost (resets, 5xx on the PUT) is not duplicated', async () => {
      const names = Array.from({ length: 12 }, (_, i) => `lossy-${flavor}-${i}-${randomDigits(6)}`);
      h.em.setFaults({ resetRate: 0.4, errorRate: 0.2, failPaths: '/resources$' });
      const made: string[] = [];
      let recovered = 0;
      h.em.clearRequestLog();
      try {
        for (const name of names) {
          const r = await c.resources.create(scope, { name, gateways: [] });
          made.push(r.doc.id);
          if (r.alreadyExisted) recovered++;
        }
      } finally {
        h.em.setFaults({ resetRate: 0, errorRate: 0, failPaths: undefined });
      }
      const listed = await c.resources.list(scope);
      for (const name of names) assert.equal(listed.filter((r) => r.name === name).length, 1, `${name} exists exactly once`);
      assert.equal(new Set(made).size, names.length);
      const puts = h.em.requestLog().filter((r) => r.method === 'PUT' && /\/resources$/.test(r.path)).length;
      assert.ok(puts > names.length, `retries happened (${puts} PUTs for ${names.length} creates)`);
      assert.ok(recovered > 0, 'at least one create found its own lost attempt');
    });

    test('job creation is never retried blindly', async () => {
      h.em.setFaults({ errorRate: 1, failPaths: '/resources/jobs$' });
      h.em.clearRequestLog();
      try {
        const e = await keep(c.jobs.create(scope, { numbers: ['+14155550000'], resource_id: 'x', name: 'never' })).catch((x: unknown) => x);
        assert.ok(e instanceof ServerError, String(e));
      } finally {
        h.em.setFaults({ errorRate: 0, failPaths: undefined });
      }
      assert.equal(h.em.requestLog().filter((r) => r.method === 'PUT' && r.path.endsWith('/jobs')).length, 1);
    });

    test('20 concurrent requests after the tokens are revoked log in again exactly once', async () => {
      await c.accounts.get(A);
      h.em.revokeTokens();
      h.em.clearRequestLog();
      const got = await Promise.all(Array.from({ length: 20 }, () => c.accounts.get(A)));
      assert.equal(got.length, 20);
      const logins = h.em.requestLog().filter((r) => r.method === 'PUT' && r.path === '/v2/user_auth');
      assert.equal(logins.length, 1);
      assert.equal(h.em.requestLog().filter((r) => r.status === 401).length, 20);
    });

    test('jobs: create, poll to complete, month-window listing, numbers carry the resource id', async () => {
      const res = await c.resources.create(scope, { name: `import target ${flavor}`, gateways: [{ server: 'in.example.net' }] });
      const numbers = [`+1415${randomDigits(7)}`, `+1628${randomDigits(7)}`, '12345'];
      const tag = `cd-${randomDigits(8)}`;
      const job = await c.jobs.create(scope, { numbers, resource_id: res.doc.id, name: tag });
      assert.match(job.id, /^\d{6}-[0-9a-f]{16}$/);
      const done = await until(() => c.jobs.get(scope, job.id), (j) => j.status === 'complete');
      assert.equal(Object.keys(done.success ?? {}).length, 2);
      assert.equal(Object.keys(done.errors ?? {}).length, 1);
      assert.equal(done.successCount, 2);
      h.em.clearRequestLog();
      const now = Date.now();
      const listed = await c.jobs.list(scope, { from: new Date(now - 45 * 86400_000), to: new Date(now + 60_000) });
      const mine = listed.find((j) => j.id === job.id);
      assert.ok(mine, 'job found by the month-window listing');
      assert.equal(mine.name, tag);
      const listings = h.em.requestLog().filter((r) => r.method === 'GET' && r.path.endsWith('/jobs'));
      assert.ok(listings.length >= 2, 'one call per calendar month at least');
      for (const l of listings) {
        const q = new URLSearchParams(l.query);
        assert.equal(q.get('has_key'), 'numbers');
        assert.ok(Number(q.get('created_to')) - Number(q.get('created_from')) <= 2_682_000);
      }
      const byName = await c.jobs.list(scope, { filter: { filter_name: tag } });
      assert.deepEqual(byName.map((j) => j.id), [job.id]);
      const n = await c.numbers.get(A, numbers[0]!);
      assert.equal(n.resourceId, res.doc.id);
      assert.equal(n.carrierModule, 'local');
      const all = await c.numbers.list(A, { pageSize: 2 });
      assert.ok(all.some((x) => x.number === numbers[0]));
    });

    test('schemas: list, get and server-side validation with the per-field map', async () => {
      const names = await c.schemas.list();
      assert.ok(names.includes('resources') && names.includes('resource_jobs'));
      const s = await c.schemas.get('resource_jobs');
      assert.ok(s.properties);
      const ok = await c.schemas.validate('resource_jobs', { numbers: ['+14155550100'], resource_id: 'r1' });
      assert.deepEqual(ok.numbers, ['+14155550100']);
      const e = await keep(c.schemas.validate('resource_jobs', { numbers: [], resource_id: 'r1' })).catch((x: unknown) => x);
      assert.ok(e instanceof ValidationError, String(e));
      assert.ok(e.fields.numbers?.minItems, JSON.stringify(e.fields));
      assert.match(e.message, /numbers/);
      // The validation PUT answers 201 like every successful PUT (§1.13): still a success with the defaults filled.
      const filled = await c.schemas.validate('resources', { name: 'x', gateways: [] });
      assert.equal(filled.weight_cost, 50);
    });

    test('offline cluster: NetworkError "unreachable", then back to work when it returns', async () => {
      const quick = h.client({ retry: { maxAttempts: 1 } });
      await quick.session();
      await h.em.goOffline();
      try {
        const e = await keep(quick.accounts.get(A)).catch((x: unknown) => x);
        assert.ok(e instanceof NetworkError && e.code === 'unreachable', String(e));
      } finally {
        await h.em.goOnline();
      }
      assert.equal((await quick.accounts.get(A)).id, A);
    });

    test('no secret (password, api key, token) in any error message or log line', () => {
      const secrets = [...h.secrets, ...h.tokens];
      assert.ok(h.tokens.size > 0);
      const text = h.log.lines.join('\n') + '\n' + errors.map((e) => (e instanceof KazooError ? `${e.message} ${JSON.stringify(e.details)}` : String(e))).join('\n');
      for (const s of secrets) assert.equal(text.includes(s), false, `a secret leaked: ${s.slice(0, 4)}…`);
    });
  });
}

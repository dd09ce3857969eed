// 4.3 clusters without `/resources` on accounts: detected once through a proxy that answers 404 not_found,
// then remembered; and a lost create reply (proxy drops it after the emulator stored it) is recovered by id.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type Harness } from './emulator-harness.ts';
import { startProxy, type Proxy } from './proxy.ts';

describe('local_resources fallback and lost create replies (4.3 emulator behind a proxy)', () => {
  let h: Harness;
  let proxy: Proxy;
  let loseNextPut = false;
  before(async () => {
    h = await harness({ flavor: '4.3' });
    proxy = await startProxy(h.em.url, (req) => {
      const path = (req.url ?? '').split('?')[0]!;
      if (/^\/v2\/accounts\/[^/]+\/resources(\/|$)/.test(path)) return { kind: 'reply', status: 404, body: { status: 'error', error: '404', message: 'not_found', auth_token: 'undefined', data: { message: 'not found' } } };
      if (loseNextPut && req.method === 'PUT' && /\/(local_)?resources$/.test(path)) {
        loseNextPut = false;
        return { kind: 'lose-reply' };
      }
      return { kind: 'forward' };
    });
  });
  after(async () => {
    await h.close();
    await proxy.close();
  });

  test('account resources fall back to /local_resources once and remember it', async () => {
    const c = h.client({ baseUrl: proxy.url });
    const A = (await c.session()).accountId;
    const scope = { kind: 'account' as const, accountId: A };
    const made = await c.resources.create(scope, { name: 'byoc', gateways: [{ server: 'gw.example.net' }] });
    assert.equal(c.resourceNoun(), 'local_resources');
    const listed = await c.resources.list(scope);
    assert.ok(listed.some((r) => r.id === made.doc.id));
    const got = await c.resources.get(scope, made.doc.id);
    assert.equal(got.doc.name, 'byoc');
    const tried = proxy.seen.filter((s) => /\/accounts\/[^/]+\/resources/.test(s.path));
    assert.equal(tried.length, 1, 'the missing /resources was tried once');
    const p = await c.probe();
    assert.deepEqual(p.capabilities, { resources: false, localResources: true, jobs: true });
  });

  test('a create stored upstream whose reply is lost is found by its id, not created twice', async () => {
    const c = h.client({ baseUrl: proxy.url });
    const A = (await c.session()).accountId;
    const scope = { kind: 'account' as const, accountId: A };
    await c.probe();
    const mark = proxy.seen.length;
    loseNextPut = true;
    const made = await c.resources.create(scope, { name: 'lost-reply', weight_cost: 15, gateways: [{ server: 'x.example.net' }] });
    assert.equal(made.alreadyExisted, true);
    assert.equal(made.doc.name, 'lost-reply');
    const listed = await c.resources.list(scope);
    assert.equal(listed.filter((r) => r.name === 'lost-reply').length, 1);
    const puts = proxy.seen.slice(mark).filter((s) => s.method === 'PUT' && s.path.endsWith('/local_resources'));
    assert.equal(puts.length, 2, 'the PUT was sent twice with the same id');
  });
});

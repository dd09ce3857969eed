// Conformance: pagination (§4, §13): start-key encoding (the three worked examples), page sizes, order per
// flavor, 4.3's page_size quirk, paginate=false, faulty page sizes, children/descendants (§6.4).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeStartKey, encodeStartKey } from '../../kazoo-emulator/start-key.ts';
import { demoSeed, type Seed } from '../../kazoo-emulator/index.ts';
import { call, emulator, FLAVORS, login, MASTER, RESELLER } from './helpers.ts';

test('start keys: the worked examples of §4 and the docs sample', () => {
  assert.equal(encodeStartKey(63575950041), 'g24FANkCbM0O');
  assert.equal(encodeStartKey('4a8bf0a3d6e94cc6a2b5f6d0c1e2f3a4'), 'g20AAAAgNGE4YmYwYTNkNmU5NGNjNmEyYjVmNmQwYzFlMmYzYTQ');
  assert.equal(encodeStartKey(['abc', 63575950041]), 'g2wAAAACbQAAAANhYmNuBQDZAmzNDmo');
  const doc = decodeStartKey('g2wAAAACbgUAvn1W1A5tAAAACDk4MDE2ODAwag') as [number, string];
  assert.equal(doc[1], '98016800');
  assert.ok(doc[0] > 63e9);
  assert.equal(decodeStartKey('not-a-key'), 'not-a-key');
  for (const k of [0, 255, 256, -1, 2147483647, 'x', ['a', 1, ['b']], { k: 'v' }]) assert.deepEqual(decodeStartKey(encodeStartKey(k)), k);
});

function seedWith(n: number): Seed {
  const seed = demoSeed();
  for (let i = 0; i < n; i++) {
    seed.resources!.push({ id: `e${String(i).padStart(31, '0')}`, name: `Bulk ${i}`, gateways: [{ server: `gw${i}.example` }] });
  }
  return seed;
}

for (const flavor of FLAVORS) {
  describe(`pagination (${flavor})`, () => {
    test('default page 50, next_start_key until the last page, every item exactly once', async (t) => {
      const em = await emulator(t, { flavor, seed: seedWith(57) }); // 60 global resources
      const token = await login(em);
      const first = await call(em, 'GET', '/v2/resources', { token });
      assert.equal(first.body.data.length, 50);
      assert.equal(first.body.page_size, flavor === '4.3' ? 51 : 50); // 4.3 legacy engine reports rows fetched
      assert.ok(first.body.next_start_key);
      const second = await call(em, 'GET', `/v2/resources?start_key=${first.body.next_start_key}`, { token });
      assert.equal(second.body.data.length, 10);
      assert.equal(second.body.page_size, 10);
      assert.equal(second.body.next_start_key, undefined);
      assert.equal(second.body.start_key, first.body.next_start_key);
      const ids = [...first.body.data, ...second.body.data].map((x: { id: string }) => x.id);
      assert.equal(new Set(ids).size, 60);
      const firstIds = first.body.data.map((x: { id: string }) => x.id);
      const sortedAsc = [...firstIds].sort();
      // 5.0: descending by id; 4.3: the next ids ascending, each page emitted in reverse
      assert.deepEqual(firstIds, [...sortedAsc].reverse());
      const all = [...ids].sort();
      if (flavor === '4.3') assert.deepEqual(sortedAsc, all.slice(0, 50));
      else assert.deepEqual(sortedAsc, all.slice(10));
      // the next key is the encoded id of the first row of the next page
      const expectNext = flavor === '4.3' ? all[50]! : all[9]!;
      assert.equal(first.body.next_start_key, encodeStartKey(expectNext));
    });

    test('page_size, ascending=true, paginate=false and faulty page sizes', async (t) => {
      const em = await emulator(t, { flavor, seed: seedWith(7) }); // 10
      const token = await login(em);
      const seen: string[] = [];
      let key: string | undefined;
      let pages = 0;
      do {
        const r = await call(em, 'GET', `/v2/resources?page_size=3${key ? `&start_key=${key}` : ''}`, { token });
        assert.equal(r.status, 200);
        seen.push(...r.body.data.map((x: { id: string }) => x.id));
        key = r.body.next_start_key;
        pages++;
      } while (key);
      assert.equal(pages, 4);
      assert.equal(new Set(seen).size, 10);
      const all = await call(em, 'GET', '/v2/resources?paginate=false', { token });
      assert.equal(all.body.data.length, 10);
      assert.equal(all.body.page_size, undefined);
      assert.equal(all.body.next_start_key, undefined);
      const bad = await call(em, 'GET', '/v2/resources?page_size=0', { token });
      const nan = await call(em, 'GET', '/v2/resources?page_size=abc', { token });
      if (flavor === '5.0') {
        assert.equal(bad.status, 404);
        assert.equal(bad.body.message, 'faulty_request');
        assert.deepEqual(bad.body.data, { message: 'page size must be at least 1' });
        assert.deepEqual(nan.body.data, { message: 'invalid page size' });
        const asc = await call(em, 'GET', '/v2/resources?ascending=true&page_size=4', { token });
        const ids = asc.body.data.map((x: { id: string }) => x.id);
        assert.deepEqual(ids, [...ids].sort());
      } else {
        assert.equal(bad.status, 200); // legacy engine falls back to the default
        assert.equal(bad.body.data.length, 10);
        assert.equal(nan.status, 200);
      }
    });

    test('children and descendants: items, order, keys', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const ch = await call(em, 'GET', `/v2/accounts/${MASTER}/children`, { token });
      assert.equal(ch.status, 200);
      const names = ch.body.data.map((x: { name: string }) => x.name);
      assert.deepEqual(names, flavor === '4.3' ? ['Initech', 'Northwind Reseller'] : ['Northwind Reseller', 'Initech']);
      const nw = ch.body.data.find((x: { id: string }) => x.id === RESELLER);
      assert.deepEqual(Object.keys(nw).sort(), ['descendants_count', 'flags', 'id', 'name', 'realm']);
      assert.equal(nw.descendants_count, 2);
      const de = await call(em, 'GET', `/v2/accounts/${MASTER}/descendants?page_size=2`, { token });
      assert.equal(de.body.data.length, 2);
      assert.ok(de.body.next_start_key);
      const key = decodeStartKey(de.body.next_start_key);
      if (flavor === '4.3') assert.equal(typeof key, 'string');
      else assert.ok(Array.isArray(key) && key[0] === MASTER);
      const rest = await call(em, 'GET', `/v2/accounts/${MASTER}/descendants?page_size=2&start_key=${de.body.next_start_key}`, { token });
      const all = [...de.body.data, ...rest.body.data];
      assert.equal(all.length, 4);
      const acme = all.find((x: { name: string }) => x.name === 'Acme Corp');
      assert.deepEqual(acme.tree, [MASTER, RESELLER]);
      const acmeToken = await login(em, 'Acme Corp', 'acme', 'demo-acme-pass');
      assert.equal((await call(em, 'GET', `/v2/accounts/${MASTER}/children`, { token: acmeToken })).status, 403);
    });
  });
}

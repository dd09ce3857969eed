// routing-spec §2.3 weights and §6.1 ordering, both flavors: clamp to 1..100, default_weight 3 when missing, stable
// ascending sort by weight, ties in ascending _id without flags and descending _id with flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gw, hexId, order, res, route, routeBoth } from './support.ts';

const ANY = ['^\\+(\\d+)$'];

test('weight_cost is clamped to 1..100; missing means stepswitch.default_weight (3), not 50 (§2.3, §11.8)', () => {
  const resources = [res('zero', { rules: ANY, weight_cost: 0 }), res('big', { rules: ANY, weight_cost: 150 }), res('none', { rules: ANY }), res('text', { rules: ANY, weight_cost: '20' })];
  for (const r of routeBoth({ resources }, { number: '+4930123456' })) {
    assert.deepEqual(r.candidates.map((c) => [c.resourceId, c.weight]), [['zero', 1], ['none', 3], ['text', 20], ['big', 100]]);
  }
  const custom = route({ resources: [res('none', { rules: ANY })], stepswitch: { default_weight: 7 } }, { number: '+4930123456' });
  assert.equal(custom.candidates[0]!.weight, 7);
});

test('endpoints are sorted by weight ascending, each resource keeping its gateways in array order (§6.1)', () => {
  const resources = [
    res(hexId(1), { rules: ANY, weight_cost: 30, gateways: [gw('a1'), gw('a2', { enabled: false }), gw('a3')] }),
    res(hexId(2), { rules: ANY, weight_cost: 10, gateways: [gw('b1'), gw('b2')] }),
  ];
  for (const r of routeBoth({ resources }, { number: '+4930123456' })) {
    assert.deepEqual(order(r), [`${hexId(2)}:0`, `${hexId(2)}:1`, `${hexId(1)}:0`, `${hexId(1)}:2`]);
  }
});

test('weight-order-no-flags: equal weights keep ascending _id (§6.1, §11.14)', () => {
  const resources = [res(hexId(2), { rules: ANY, weight_cost: 10 }), res(hexId(3), { rules: ANY, weight_cost: 5 }), res(hexId(1), { rules: ANY, weight_cost: 10 })];
  for (const r of routeBoth({ resources }, { number: '+4930123456' })) assert.deepEqual(order(r), [`${hexId(3)}:0`, `${hexId(1)}:0`, `${hexId(2)}:0`]);
});

test('weight-order-with-flags: with request flags equal weights come in descending _id (§4, §6.1)', () => {
  const resources = [res(hexId(2), { rules: ANY, weight_cost: 10, flags: ['f'] }), res(hexId(3), { rules: ANY, weight_cost: 5, flags: ['f'] }), res(hexId(1), { rules: ANY, weight_cost: 10, flags: ['f'] })];
  for (const r of routeBoth({ resources }, { number: '+4930123456', flags: ['f'] })) assert.deepEqual(order(r), [`${hexId(3)}:0`, `${hexId(2)}:0`, `${hexId(1)}:0`]);
});

test('flags-fax-requested: a fax call reaches the fax carriers, ties in descending _id; without the flag, ascending (§4, §6.1)', () => {
  const resources = [
    res(hexId(1), { rules: ANY, flags: ['fax'], weight_cost: 20 }),
    res(hexId(2), { rules: ANY, flags: ['fax'], weight_cost: 20 }),
    res(hexId(3), { rules: ANY, weight_cost: 20 }),
  ];
  for (const r of routeBoth({ resources }, { number: '+4930123456', flags: ['fax'] })) assert.deepEqual(order(r), [`${hexId(2)}:0`, `${hexId(1)}:0`]);
  for (const r of routeBoth({ resources }, { number: '+4930123456' })) assert.deepEqual(order(r), [`${hexId(1)}:0`, `${hexId(2)}:0`, `${hexId(3)}:0`]);
});

test('derived resources of one class tie in ascending _id too (§3.3, §6.1)', () => {
  const resources = [res(hexId(9), { classifiers: { international: { weight_cost: 40 } } }), res(hexId(4), { classifiers: { international: { weight_cost: 40 } } })];
  for (const r of routeBoth({ resources }, { number: '+442071234567' })) assert.deepEqual(order(r), [`${hexId(4)}-international:0`, `${hexId(9)}-international:0`]);
});

// routing-spec §8, both flavors: emergency endpoints (resource or gateway), the whole bridge reversed when any endpoint
// is emergency, emergency inheritance of classifier resources and the Crossbar default emergency: false.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLAVORS, gw, hexId, order, res, route, routeBoth } from './support.ts';
import { KZ_GLOBAL_ROWS } from './kazoo-fixtures.ts';

test('emergency-resource-flag: one emergency endpoint makes the bridge emergency and reverses the list, mixing in other matches (§8, §11.15)', () => {
  const resources = [
    res(hexId(1), { rules: ['^(911)$'], emergency: true, weight_cost: 1, gateways: [gw('e1'), gw('e2')] }),
    res(hexId(2), { rules: ['^(\\d+)$'], weight_cost: 5, gateways: [gw('b1')] }),
  ];
  for (const r of routeBoth({ resources }, { number: '911' })) {
    assert.deepEqual(order(r), [`${hexId(1)}:0`, `${hexId(1)}:1`, `${hexId(2)}:0`], 'endpoints as handed to the bridge');
    assert.deepEqual(r.endpoints.map((e) => e.emergency), [true, true, false]);
    assert.equal(r.emergencyBridge, true);
    assert.deepEqual(r.bridgeOrder!.map((b) => `${b.resourceId}:${b.gatewayIndex}`), [`${hexId(2)}:0`, `${hexId(1)}:1`, `${hexId(1)}:0`]);
  }
});

test('kz-global-fixture-emergency-911: Dash 911 takes the emergency class, dialled last gateway first (§8)', () => {
  for (const flavor of FLAVORS) {
    const r = route({ flavor, resources: KZ_GLOBAL_ROWS }, { number: '911' });
    const id = 'd60be7f888d8b7d937a846e07b927886-emergency';
    assert.deepEqual(order(r), [`${id}:0`, `${id}:1`]);
    assert.deepEqual(r.endpoints.map((e) => e.route), ['sip:911@42.42.42.42;fs_path=sip:42.42.42.43', 'sip:911@208.94.159.10;fs_path=sip:42.42.42.44']);
    assert.equal(r.candidates[0]!.weight, 1, 'weight_cost 0 behaves as 1');
    assert.deepEqual(r.bridgeOrder!.map((b) => b.gatewayIndex), [1, 0]);
    const withFlags = route({ flavor, resources: KZ_GLOBAL_ROWS }, { number: '911', flags: ['fax'] });
    assert.deepEqual(withFlags.endpoints, [], 'a fax call does not reach Dash 911 (no fax flag), and no plain carrier takes 911');
  }
});

test('classifier-emergency-inherited: a derived resource inherits the document emergency when entry and table say nothing (§2.2, §8)', () => {
  for (const r of routeBoth({ resources: [res('d', { emergency: true, classifiers: { did_us: {} } })] }, { number: '+14158867900' })) {
    assert.equal(r.candidates[0]!.emergency, true);
    assert.equal(r.emergencyBridge, true);
  }
  for (const r of routeBoth({ resources: [res('d', { emergency: false, classifiers: { emergency: {} } })] }, { number: '911' })) {
    assert.equal(r.candidates[0]!.emergency, true, 'the classifier named emergency defaults to emergency');
  }
});

test('crossbar-defaults-emergency-classifier-not-emergency: stored entries carry emergency: false (§2.2, §11.7)', () => {
  for (const r of routeBoth({ resources: [res('d', { classifiers: { emergency: { enabled: true, emergency: false, weight_cost: 50 } } })] }, { number: '911' })) {
    assert.equal(r.candidates[0]!.emergency, false);
    assert.equal(r.emergencyBridge, false);
    assert.equal(r.bridgeOrder, undefined);
  }
});

test('classifier-emergency-overridden-false: an entry emergency: false wins over the document emergency: true (§2.2)', () => {
  for (const r of routeBoth({ resources: [res('d', { emergency: true, classifiers: { did_us: { emergency: false } } })] }, { number: '+14158867900' })) {
    assert.equal(r.candidates[0]!.emergency, false);
  }
});

test('a gateway with emergency: true, or caller_id_options.type emergency, makes emergency endpoints (§2.3, §8)', () => {
  for (const r of routeBoth({ resources: [res('g', { rules: ['^(\\d+)$'], gateways: [gw('a'), gw('b', { emergency: true })] })] }, { number: '911' })) {
    assert.deepEqual(r.endpoints.map((e) => e.emergency), [false, true]);
    assert.equal(r.emergencyBridge, true);
  }
  for (const r of routeBoth({ resources: [res('c', { rules: ['^(\\d+)$'], caller_id_options: { type: 'emergency' } })] }, { number: '911' })) {
    assert.equal(r.endpoints[0]!.emergency, true);
  }
});

test('a catch-all plain carrier carries 911 when no carrier serves the emergency class (§8, §11.16)', () => {
  for (const r of routeBoth({ resources: [res('p', { rules: ['^\\+?(\\d+)$'] })] }, { number: '911' })) {
    assert.equal(r.classification, 'emergency');
    assert.deepEqual(order(r), ['p:0']);
    assert.equal(r.emergencyBridge, false);
  }
});

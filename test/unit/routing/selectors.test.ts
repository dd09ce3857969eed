// routing-spec Appendix B, both flavors: route_by = stepswitch_resource_selectors with the default selector rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gw, hexId, order, res, routeBoth } from './support.ts';

const stepswitch = { route_by: 'stepswitch_resource_selectors' };
const resources = [
  res(hexId(1), { rules: ['^\\+1(\\d{10})$'], weight_cost: 50, gateways: [gw('a1'), gw('a2')] }),
  res(hexId(2), { weight_cost: 10, classifiers: { did_us: {}, international: {} }, gateways: [gw('b1')] }),
  res(hexId(3), { rules: ['^\\+(\\d+)$'], flags: ['x'], gateways: [gw('c1')] }),
];

test('resource-selectors-route-by: no classification, full number, ascending _id, no weight sort (Appendix B)', () => {
  for (const r of routeBoth({ resources, stepswitch }, { number: '+14158867900' })) {
    assert.equal(r.engine, 'stepswitch_resource_selectors');
    assert.deepEqual(order(r), [`${hexId(1)}:1`, `${hexId(1)}:0`, `${hexId(2)}-did_us:0`]);
    assert.deepEqual(r.endpoints.map((e) => e.route), ['sip:+14158867900@a2', 'sip:+14158867900@a1', 'sip:+14158867900@b1']);
    assert.equal(r.excluded.find((x) => x.resourceId === hexId(3))?.code, 'flags', 'a resource with flags is dropped for a call without flags');
    assert.ok(r.uncertain.some((u) => u.code === 'selectors'));
  }
});

test('resource-selectors-gateway-order: each resource\'s gateways come out last-to-first; every class competes (Appendix B)', () => {
  for (const r of routeBoth({ resources, stepswitch }, { number: '+442071234567' })) {
    assert.deepEqual(order(r), [`${hexId(2)}-international:0`], 'did_us does not match; the international rule does');
  }
  for (const r of routeBoth({ resources, stepswitch }, { number: '+14158867900', flags: ['x'] })) assert.deepEqual(order(r), [`${hexId(3)}:0`]);
});

test('without a caller id the selectors return no carrier (Appendix B)', () => {
  for (const r of routeBoth({ resources, stepswitch }, { number: '+14158867900', callerIdNumber: undefined })) {
    assert.deepEqual(r.endpoints, []);
    assert.equal(r.error, undefined);
  }
});

test('an unknown route_by falls back to the default engine with a warning (§1)', () => {
  for (const r of routeBoth({ resources, stepswitch: { route_by: 'my_module' } }, { number: '+14158867900' })) {
    assert.equal(r.engine, 'stepswitch_resources');
    assert.ok(r.warnings.some((w) => w.code === 'route_by_unknown'));
  }
});

// routing-spec §5.4 cid_rules, both flavors: checked only after a number rule matched, any match keeps the resource,
// all-invalid rules accept any caller, no caller id with cid_rules fails the request, Diversion-based caller ids (§1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLAVORS, order, res, route, routeBoth, whyExcluded } from './support.ts';

const ANY = ['^\\+(\\d+)$'];

test('a resource is kept only if some cid_rule matches the caller id (§5.4)', () => {
  const resources = [res('a', { rules: ANY, cid_rules: ['^\\+1415', '^\\+1212'] }), res('b', { rules: ANY, cid_rules: ['^\\+44'] })];
  for (const r of routeBoth({ resources }, { number: '+4930123456', callerIdNumber: '+12125550100' })) {
    assert.deepEqual(order(r), ['a:0']);
    assert.equal(whyExcluded(r, 'b'), 'cid_rules');
  }
});

test('cid-rules-no-caller-id: a matching resource with cid_rules and no caller id number fails the request (§5.4, §11.13)', () => {
  for (const flavor of FLAVORS) {
    const r = route({ flavor, resources: [res('a', { rules: ANY, cid_rules: ['^\\+1'] })] }, { number: '+4930123456', callerIdNumber: undefined });
    assert.equal(r.error?.code, 'cid_rules_no_caller_id');
    assert.equal(r.error?.resourceId, 'a');
    assert.deepEqual(r.endpoints, []);
  }
});

test('cid_rules are evaluated only after a number rule matched (§5.4)', () => {
  const r = route({ flavor: '4.3', resources: [res('a', { rules: ['^\\+44'], cid_rules: ['^\\+1'] })] }, { number: '+4930123456', callerIdNumber: undefined });
  assert.equal(r.error, undefined);
  assert.equal(whyExcluded(r, 'a'), 'no_rule');
});

test('invalid-cid-rule-allows-all: when every cid_rule is invalid the resource accepts any caller (§5.4, §11.12)', () => {
  for (const r of routeBoth({ resources: [res('a', { rules: ANY, cid_rules: ['[bad', '(oops'] })] }, { number: '+4930123456', callerIdNumber: '+4930999' })) {
    assert.deepEqual(order(r), ['a:0']);
    assert.ok(r.warnings.some((w) => w.message.includes('cid_rules.0')));
  }
  const noCaller = route({ flavor: '4.3', resources: [res('a', { rules: ANY, cid_rules: ['[bad'] })] }, { number: '+4930123456', callerIdNumber: undefined });
  assert.deepEqual(order(noCaller), ['a:0'], 'no valid cid_rule: not even a caller id is needed on 4.3');
});

test('with cid_rules_honor_diversions the first Diversion\'s user is matched instead; a malformed one fails the request (§1)', () => {
  const stepswitch = { cid_rules_honor_diversions: true };
  const resources = [res('a', { rules: ANY, cid_rules: ['^\\+1415'] })];
  for (const flavor of FLAVORS) {
    const r = route({ flavor, resources, stepswitch }, { number: '+4930123456', callerIdNumber: '+4930999', diversions: ['sip:+14155550199@pbx.example'] });
    assert.deepEqual(order(r), ['a:0']);
    const bad = route({ flavor, resources, stepswitch }, { number: '+4930123456', diversions: ['sip:+14155550199@pbx.example:5060'] });
    assert.equal(bad.error?.code, 'diversion_malformed');
    const off = route({ flavor, resources }, { number: '+4930123456', callerIdNumber: '+4930999', diversions: ['sip:+14155550199@pbx.example'] });
    assert.deepEqual(order(off), [], 'the setting is off by default: the caller id is matched');
  }
});

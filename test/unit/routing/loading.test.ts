// routing-spec §2.2 loading and classifier expansion, both flavors: ascending _id, disabled documents skipped,
// derived resources (id, name, single rule, prefix/suffix pushed onto gateways, weight), stored Crossbar defaults,
// and the classifier expansions of Kazoo's own eunit fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLAVORS, gw, hexId, order, res, route, routeBoth, routes, whyExcluded } from './support.ts';
import { KZ_ACCOUNT, KZ_GLOBAL_ROWS, KZ_LOCAL, KZ_RESOURCE001 } from './kazoo-fixtures.ts';

const ANY = ['^\\+(\\d+)$'];

test('documents are visited in ascending _id order and disabled ones are skipped (§2.2)', () => {
  for (const r of routeBoth({ resources: [res(hexId(3), { rules: ANY }), res(hexId(1), { rules: ANY, enabled: false }), res(hexId(2), { rules: ANY })] }, { number: '+442071234567' })) {
    assert.deepEqual(order(r), [`${hexId(2)}:0`, `${hexId(3)}:0`]);
    assert.equal(whyExcluded(r, hexId(1)), 'disabled');
  }
});

test('enabled "false" (text) disables too; anything else but true/"true" counts as disabled (kz_json:is_true)', () => {
  const r = route({ resources: [res('a', { rules: ANY, enabled: 'false' }), res('b', { rules: ANY, enabled: 'true' })] }, { number: '+4930123456' });
  assert.deepEqual(order(r), ['b:0']);
});

test('a classifier document expands into one resource per known classifier: id, name, the single rule, weight (§2.2)', () => {
  const doc = res(hexId(1), {
    name: 'Carrier', weight_cost: 20, rules: ['^\\+44(\\d+)$'],
    classifiers: { did_us: { prefix: '1', suffix: '#', weight_cost: 10 }, international: {} },
    gateways: [gw('g', { prefix: '9' })],
  });
  for (const flavor of FLAVORS) {
    const us = route({ flavor, resources: [doc] }, { number: '+14158867900' });
    assert.deepEqual(us.candidates.map((c) => [c.resourceId, c.name, c.weight, c.ruleSource, c.matchedNumber]), [[`${hexId(1)}-did_us`, 'Carrier - did_us', 10, 'classifier_table', '4158867900']]);
    assert.deepEqual(routes(us), ['sip:14158867900#@g'], 'the entry prefix/suffix replace the gateway ones');
    const intl = route({ flavor, resources: [doc] }, { number: '+442071234567' });
    assert.equal(intl.candidates[0]!.weight, 20, 'no entry weight_cost: the document weight_cost');
    assert.deepEqual(routes(intl), ['sip:9442071234567@g'], 'no entry prefix: the gateway keeps its own');
  }
});

test('classifier-resource-rules-ignored: the document rules play no part for a classifier resource (§2.2, §11.6)', () => {
  for (const r of routeBoth({ resources: [res('c', { rules: ['^\\+44(\\d{4})'], classifiers: { international: {} } })] }, { number: '+442071234567' })) {
    assert.equal(r.candidates[0]!.matchedNumber, '442071234567');
    assert.equal(r.candidates[0]!.rule, '^\\+([2-9]\\d{7,})$');
  }
});

test('an explicit empty prefix in the classifier entry replaces the gateway prefix too (§2.2)', () => {
  const r = route({ resources: [res('c', { classifiers: { did_us: { prefix: '' } }, gateways: [gw('g', { prefix: '9' })] })] }, { number: '+14158867900' });
  assert.deepEqual(routes(r), ['sip:4158867900@g']);
});

test('classifier-own-regex: an entry regex replaces the table regex for that resource (§2.2, §3.3)', () => {
  const r = route({ resources: [res('c', { classifiers: { did_us: { regex: '^\\+1(415\\d{7})$' } } })] }, { number: '+14158867900' });
  assert.equal(r.candidates[0]!.ruleSource, 'classifier_entry');
  assert.equal(r.candidates[0]!.matchedNumber, '4158867900');
  const miss = route({ resources: [res('c', { classifiers: { did_us: { regex: '^\\+1(212\\d{7})$' } } })] }, { number: '+14158867900' });
  assert.equal(miss.endpoints.length, 0);
  assert.equal(whyExcluded(miss, 'c-did_us'), 'no_rule');
});

test('classifier-unknown-to-system-dropped: names missing from the table are ignored; {} contributes nothing (§2.2, §11.5)', () => {
  for (const r of routeBoth({ resources: [res('u', { classifiers: { foo_bar: {} } }), res('e', { classifiers: {}, rules: ANY }), res('p', { rules: ANY })] }, { number: '+442071234567' })) {
    assert.deepEqual(order(r), ['p:0'], 'only the plain resource routes');
    assert.equal(whyExcluded(r, 'u'), 'classifier_unknown');
    assert.equal(whyExcluded(r, 'e'), 'classifiers_empty');
  }
});

test('crossbar-defaults-weight: a stored classifier entry carries weight_cost 50, which wins over the document weight (§2.2, §11.7)', () => {
  const stored = res('s', { weight_cost: 10, classifiers: { international: { enabled: true, emergency: false, weight_cost: 50 } } });
  for (const r of routeBoth({ resources: [stored] }, { number: '+442071234567' })) assert.equal(r.candidates[0]!.weight, 50);
});

test('kz-global-fixture: the global eunit fixture expands per classifier (view rows unwrapped)', () => {
  for (const flavor of FLAVORS) {
    const intl = route({ flavor, resources: KZ_GLOBAL_ROWS }, { number: '+442071234567' });
    assert.deepEqual(order(intl), ['7e6ab78098a1a788019a54ed4f51ba82-international:0']);
    assert.deepEqual(routes(intl), ['sip:442071234567@sip.flowroute.com']);
    const us = route({ flavor, resources: KZ_GLOBAL_ROWS }, { number: '4158867900' });
    assert.deepEqual(routes(us), ['sip:+14158867900@sip.flowroute.com'], 'did_us entry prefix +1 in front of the captured 10 digits');
    assert.equal(us.candidates[0]!.weight, 50);
  }
});

test('kz-local-fixture: expansion of the local eunit fixture routed through the hunt account', () => {
  for (const flavor of FLAVORS) {
    const go = (number: string) => route({ flavor, resources: KZ_LOCAL }, { number, accountId: KZ_ACCOUNT, huntAccountId: KZ_ACCOUNT });
    const did = go('+14158867900');
    assert.deepEqual(routes(did), ['sip:4158867900@10.0.1.2']);
    assert.equal(did.candidates[0]!.weight, 2, 'entry without weight_cost: the document weight_cost');
    const carib = go('+18765551234');
    assert.deepEqual(order(carib), ['66f10c653f8e65e0e16f0ba6788bfe95-caribbean:0'], 'the disabled caribbean entry of 1c30… is removed from the group');
    assert.equal(whyExcluded(carib, '1c30a2ada029e2b31654ae2c3937b04c-caribbean'), 'classifier_disabled');
    assert.equal(carib.candidates[0]!.weight, 5);
    assert.deepEqual(routes(go('+19005551234')), ['sip:9005551234@10.0.1.9']);
    const unknown = go('+123456789');
    assert.equal(unknown.classification, 'unknown');
    assert.deepEqual(routes(unknown), ['sip:111+123456789@10.0.1.2'], 'own regex ^(.{10})$ and prefix 111');
    const tollfree = go('+18005551234');
    assert.equal(tollfree.endpoints.length, 0, 'the tollfree document is disabled; LVL3 has no rules');
    assert.equal(whyExcluded(tollfree, 'c9bb38dfdff0f4738636e7beac700d3b'), 'disabled');
    assert.equal(whyExcluded(tollfree, 'ea2d868dad3629254d57d5a1f6a69cde'), 'no_rule');
  }
});

test('kz-fixture-resource001-route-override: Resource001 routes by did_us through its gateway route, verbatim (§2.2, §6.3)', () => {
  for (const flavor of FLAVORS) {
    const r = route({ flavor, resources: [KZ_RESOURCE001] }, { number: '+14158867900', flags: ['testing'], callerIdNumber: '+14158867900' });
    assert.equal(r.classification, 'did_us');
    assert.deepEqual(order(r), ['resource000000000000000000000001-did_us:0']);
    assert.deepEqual(routes(r), ['+14158867900@2600hz.local']);
    assert.equal(r.endpoints[0]!.toDid, '4158867900');
    assert.equal(r.endpoints[0]!.inviteNumber, undefined, 'a fixed route does not send prefix+number+suffix');
    assert.equal(r.candidates[0]!.weight, 1);
  }
});

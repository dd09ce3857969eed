// routing-spec §9: where Kazoo 4.3 and master (5.x) route differently. (strip_plus formatters: formatters.test.ts;
// min_shortdial_destination: shortdial.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEndpoint, kazooEndpoint } from '../../../electron/core/routing/endpoint.ts';
import type { Resource } from '../../../electron/core/routing/load.ts';
import { res, route } from './support.ts';

test('988 is an emergency number on 4.3 and unknown on master (§3.2, §9)', () => {
  const resources = [res('e', { classifiers: { emergency: {} } }), res('p', { rules: ['^(\\d+)$'] })];
  assert.deepEqual(route({ flavor: '4.3', resources }, { number: '988' }).candidates.map((c) => c.resourceId), ['e-emergency']);
  const master = route({ flavor: '5.0', resources }, { number: '988' });
  assert.equal(master.classification, 'unknown');
  assert.deepEqual(master.candidates.map((c) => c.resourceId), ['p']);
});

test('classifier-table-without-friendly-name--master: master loses the regex and the call fails; 4.3 routes (§3.2, §9)', () => {
  const classifiers = { international: { regex: '^\\+([2-9]\\d{7,})$' }, did_us: { regex: '^(\\+?1)?([2-9][0-9]{2}[2-9][0-9]{6})$', friendly_name: 'US DID' } };
  const resources = [res('c', { classifiers: { international: {} } })];
  const ok43 = route({ flavor: '4.3', resources, classifiers }, { number: '+442071234567' });
  assert.deepEqual(ok43.candidates.map((c) => c.matchedNumber), ['442071234567']);
  const master = route({ flavor: '5.0', resources, classifiers }, { number: '+442071234567' });
  assert.equal(master.error?.code, 'classifier_regex_lost');
  assert.equal(master.classification, 'international', 'classification reads the raw table and still works');
  const ownRegex = route({ flavor: '5.0', resources: [res('c', { classifiers: { international: { regex: '^\\+(\\d+)$' } } })], classifiers }, { number: '+442071234567' });
  assert.equal(ownRegex.error, undefined, 'an entry with its own regex does not need the table regex');
  assert.deepEqual(ownRegex.candidates.map((c) => c.matchedNumber), ['442071234567']);
});

test('caller id absent on a matching request: fine on 4.3, the call fails on master (§9, §11.13)', () => {
  const resources = [res('p', { rules: ['^\\+(\\d+)$'] })];
  assert.deepEqual(route({ flavor: '4.3', resources }, { number: '+4930123456', callerIdNumber: undefined }).candidates.map((c) => c.resourceId), ['p']);
  const master = route({ flavor: '5.0', resources }, { number: '+4930123456', callerIdNumber: undefined });
  assert.equal(master.error?.code, 'caller_id_missing');
  assert.equal(route({ flavor: '5.0', resources }, { number: '911', callerIdNumber: undefined }).error, undefined, 'no match, no failure');
});

test('endpoint callee keys: Callee-ID-* on 4.3, Outbound-Callee-ID-* on master; Auth-Realm on master only (§6.2, §9)', () => {
  const r = { id: 'x', name: 'X', weight: 1, gateways: [] } as unknown as Resource;
  const g = { index: 0, server: 's', port: undefined, route: undefined, prefix: '', suffix: '', inviteFormat: 'route', emergency: false, portPart: '', notes: [], raw: { realm: 'carrier.example' } };
  const e = buildEndpoint(r, g, { ruleIndex: 0, rule: '^\\+1(\\d{10})$', matched: '4158867900' });
  const cid = { force: false };
  const e43 = kazooEndpoint(e, { number: '+14158867900' }, '4.3', cid);
  const e50 = kazooEndpoint(e, { number: '+14158867900' }, '5.0', cid);
  assert.equal(e43['Callee-ID-Number'], '4158867900');
  assert.equal(e43['Outbound-Callee-ID-Number'], undefined);
  assert.equal(e43['Auth-Realm'], undefined);
  assert.equal(e50['Outbound-Callee-ID-Number'], '4158867900');
  assert.equal(e50['Auth-Realm'], 'carrier.example');
});

// routing.test, the editor's tester, through the core: a draft's working copy (not saved) routed by the simulator as
// Kazoo would store it (schema defaults filled, routing-spec §2.2, §11.7); the deciding rule (§5.2) and number sent
// (§5.3), cid_rules with and without a caller id (§5.4), a classifier carrier whose rules are ignored (§2.2), dial
// strings not rewritten by invite_format (§6.3, §6.4), one answer when both flavors agree, a bad number refused.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Core } from '../../../electron/core/index.ts';
import { call, openCore, tempDir } from '../sync/helpers.ts';

const tmp = tempDir('rule-test');
let core: Core;
after(async () => {
  await core?.close();
  tmp.cleanup();
});

const plain = {
  name: 'Plain',
  rules: ['^\\+1(\\d{10})$', '^\\+(\\d+)$'],
  cid_rules: ['^\\+1415'],
  gateways: [{ server: 'gw1.example', prefix: '9', invite_format: 'npan' }, { server: 'gw2.example', enabled: false }],
};

test('without a target: both flavors, the last matching rule, cid_rules need a caller id', async () => {
  core = openCore(tmp.dir);
  await call(core, 'drafts.create', { name: 'Tester' });
  const [a, ...rest] = await call(core, 'routing.test', { draft: 'Tester', doc: plain, number: '+14158867900', callerId: '+14155550100', flags: [] });
  assert.equal(rest.length, 0, 'one answer: 4.3 and 5.x agree');
  assert.deepEqual(a!.flavors, ['4.3', '5.0']);
  assert.deepEqual(a!.clusters, []);
  assert.deepEqual(a!.rule, { index: 1, text: '^\\+(\\d+)$', matched: '14158867900' });
  assert.deepEqual(a!.cidRule, { index: 0, text: '^\\+1415' });
  // Only the enabled gateway gives an endpoint; npan does not rewrite the dial string (§6.4), the prefix is added (§6.3).
  assert.deepEqual(a!.answer.endpoints.map((e) => [e.gatewayIndex, e.route, e.inviteFormat]), [[0, 'sip:914158867900@gw1.example', 'npan']]);
  assert.ok(a!.answer.uncertain.some((u) => u.message.includes('§6.4')));

  const other = await call(core, 'routing.test', { draft: 'Tester', doc: plain, number: '+14158867900', callerId: '+12125550100', flags: [] });
  assert.equal(other[0]!.cidRule, null);
  assert.deepEqual(other[0]!.answer.endpoints, []);
  assert.match(other[0]!.answer.excluded[0]!.why, /§5\.4/);

  const none = await call(core, 'routing.test', { draft: 'Tester', doc: plain, number: '+14158867900', flags: [] });
  assert.match(none[0]!.answer.error?.message ?? '', /caller id/i, 'cid_rules without a caller id fail the request (§5.4)');
});

test('a classifier carrier: its rules are ignored, the entry gets the weight Crossbar stores (50)', async () => {
  const doc = { name: 'Cls', weight_cost: 10, rules: ['^nothing$'], classifiers: { did_us: {} }, gateways: [{ server: 'gw.example' }] };
  const [a] = await call(core, 'routing.test', { draft: 'Tester', doc, number: '4158867900', flags: [] });
  assert.equal(a!.rule, undefined);
  const c = a!.answer.candidates[0]!;
  assert.equal(c.classifier, 'did_us');
  assert.equal(c.weight, 50);
  assert.equal(c.matchedNumber, '4158867900');
  assert.equal(a!.answer.endpoints[0]!.route, 'sip:4158867900@gw.example');
  assert.ok(a!.notes.some((n) => n.includes('§9')), 'the stand-in caller id for 5.x is said');
});

test('a number with letters is refused with one clear message', async () => {
  await assert.rejects(call(core, 'routing.test', { draft: 'Tester', doc: plain, number: '+1415abc', flags: [] }), (e: Error) => /number/i.test(e.message));
});

// The routing data replies reduced to what the simulator uses (routing-spec §10): shapes checked, key order kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accountTree, classifierTable, configFacts, flavorFacts } from '../../../electron/core/routing-data/facts.ts';
import { orderedData, type OrderedData } from '../../../electron/core/kazoo/index.ts';

/** An OrderedData as the client builds it from a reply text. */
function reply(text: string): OrderedData {
  const env = JSON.parse(text) as { data: unknown; version?: string };
  return orderedData(text, env.data, env.version);
}

test('the classifier table keeps the order of the reply text, digit-only names included', () => {
  const t = classifierTable(reply('{"data":{"did_us":{"regex":"^\\\\+1"},"44":{"regex":"^\\\\+44"},"old":"^9"}}'));
  assert.deepEqual(t, [['did_us', { regex: '^\\+1' }], ['44', { regex: '^\\+44' }], ['old', { regex: '^9', friendly_name: 'old' }]]);
  assert.throws(() => classifierTable(reply('{"data":["x"]}')), /classifier table.*data is not an object/);
  assert.throws(() => classifierTable(reply('{"data":{"a":{"regex":5}}}')), /"a".regex is not a string/);
  assert.throws(() => classifierTable(reply('{"data":{"a":7}}')), /entry "a" is not an object/);
});

test('system configs: flat or nested under default, node sections set apart, typed fields checked and coerced', () => {
  const flat = configFacts('stepswitch', reply('{"data":{"id":"stepswitch","default_weight":"5","default_prefix":11,"kazoo_apps@n1":{"default_weight":9},"extra":{"x":1}}}'));
  assert.deepEqual(flat, { settings: { default_weight: 5, default_prefix: '11', extra: { x: 1 } }, nodes: ['kazoo_apps@n1'] });
  const nested = configFacts('number_manager', reply('{"data":{"default":{"e164_converters":{"^(\\\\d{10})$":{"prefix":"+1"},"7":{"prefix":"+7"}},"classifiers":{}}}}'));
  assert.deepEqual(nested.settings.e164_converters, [['^(\\d{10})$', { prefix: '+1' }], ['7', { prefix: '+7' }]]);
  assert.deepEqual(nested.settings.classifiers, []);
  assert.throws(() => configFacts('stepswitch', reply('{"data":{"route_by":["x"]}}')), /route_by is not a string/);
  assert.throws(() => configFacts('number_manager', reply('{"data":{"e164_converters":{"^1":{"prefix":1}}}}')), /prefix is not a string/);
  assert.throws(() => configFacts('stepswitch', reply('{"data":"x"}')), /data is not an object/);
});

test('the flavor comes from the version, else from the profile', () => {
  assert.deepEqual(flavorFacts('4.3.142', null), { flavor: '4.3', version: '4.3.142' });
  assert.deepEqual(flavorFacts('5.0.0', '4.3'), { flavor: '5.0', version: '5.0.0' });
  assert.deepEqual(flavorFacts(undefined, '4.3'), { flavor: '4.3' });
  assert.equal(flavorFacts('6.1', 'unknown'), undefined);
});

test('account tree: ancestors chained root first, the login under the last one, descendants under their tree', () => {
  const nodes = accountTree(
    { id: 'L', name: 'Login' },
    [{ id: 'R', name: 'Root' }, { id: 'P', name: 'Parent' }],
    [{ id: 'C', name: 'Child', tree: ['R', 'P', 'L'] }, { id: 'G', tree: ['R', 'P', 'L', 'C'] }],
  );
  assert.deepEqual(nodes.map((n) => [n.id, n.parent_id]), [['R', null], ['P', 'R'], ['L', 'P'], ['C', 'L'], ['G', 'C']]);
  assert.throws(() => accountTree({ id: 'L' }, {}, []), /parents.*not a list/);
  assert.throws(() => accountTree({ id: 'L' }, [], [{ id: 'C' }]), /item 0 has no tree/);
});

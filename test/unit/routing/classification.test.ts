// routing-spec §3: normalisation with the e164 converters (§3.1) and classification with the table in its stored
// order (§3.2), both flavors' code defaults, digit-only classifier names, deprecated string entries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileWorld } from '../../../electron/core/routing/index.ts';
import { FLAVORS, res, route } from './support.ts';

test('§3.1 normalisation: + kept, converters in order, last capture that took part, no match unchanged', () => {
  const cases: [string, string][] = [
    ['4158867900', '+14158867900'],
    ['14158867900', '+14158867900'],
    ['011442071234567', '+442071234567'],
    ['00442071234567', '+442071234567'],
    ['2075551234', '+12075551234'],
    ['2071234567', '+2071234567'],
    ['911', '911'],
    ['3335555', '3335555'],
    ['+4930123', '+4930123'],
  ];
  for (const flavor of FLAVORS) for (const [dialled, e164] of cases) assert.equal(route({ flavor, resources: [] }, { number: dialled }).number, e164, dialled);
});

test('§3.1 custom e164 converters are tried in their stored order with prefix and suffix', () => {
  const r = route({ resources: [], e164Converters: [['^0(\\d{10})$', { prefix: '+44', suffix: '' }], ['^(\\d+)$', { prefix: '+', suffix: '9' }]] }, { number: '02071234567' });
  assert.equal(r.number, '+442071234567');
  assert.equal(route({ resources: [], e164Converters: { '^(\\d+)$': { prefix: '+', suffix: '9' } } }, { number: '123' }).number, '+1239');
});

test('§3.2 default classifier table of each flavor, in precedence order (988 is emergency on 4.3 only)', () => {
  const cases: [string, string, string][] = [
    ['+18005551234', 'tollfree_us', 'tollfree_us'],
    ['+18885551234', 'tollfree_us', 'tollfree_us'],
    ['+19005551234', 'toll_us', 'toll_us'],
    ['911', 'emergency', 'emergency'],
    ['988', 'emergency', 'unknown'],
    ['+18765551234', 'caribbean', 'caribbean'],
    ['+14158867900', 'did_us', 'did_us'],
    ['+442071234567', 'international', 'international'],
    ['12345', 'unknown', 'unknown'],
  ];
  for (const [n, c43, c50] of cases) {
    assert.equal(route({ flavor: '4.3', resources: [] }, { number: n }).classification, c43, `4.3 ${n}`);
    assert.equal(route({ flavor: '5.0', resources: [] }, { number: n }).classification, c50, `5.0 ${n}`);
  }
  assert.deepEqual(compileWorld({ flavor: '4.3', resources: [] }).classifierNames, ['tollfree_us', 'toll_us', 'emergency', 'caribbean', 'did_us', 'international', 'unknown']);
});

test('custom-classifier-order: the same table in alphabetical order makes toll-free and 900 numbers did_us (§3.2, §11.17)', () => {
  const defaults = new Map(compileWorld({ flavor: '5.0', resources: [] }).classifierNames.map((n) => [n, n]));
  assert.equal(defaults.size, 7);
  const table = Object.fromEntries(
    ['caribbean', 'did_us', 'emergency', 'international', 'toll_us', 'tollfree_us', 'unknown'].map((name) => [name, { regex: regexOf(name) }]),
  );
  for (const flavor of FLAVORS) {
    assert.equal(route({ flavor, resources: [], classifiers: table }, { number: '+18005551234' }).classification, 'did_us');
    assert.equal(route({ flavor, resources: [], classifiers: table }, { number: '+19005551234' }).classification, 'did_us');
  }
});

function regexOf(name: string): string {
  return {
    tollfree_us: '^\\+1((?:800|88\\d|877|866|855|844|833|822)\\d{7})$',
    toll_us: '^\\+1(900\\d{7})$',
    emergency: '^(911|922|933|833|811|711|999)$',
    caribbean: '^\\+?1((?:684|264|268|242|246|441|284|345|767|809|829|849|473|671|876|664|670|787|939|869|758|784|721|868|649|340)\\d{7})$',
    did_us: '^(\\+?1)?([2-9][0-9]{2}[2-9][0-9]{6})$',
    international: '^\\+([2-9]\\d{7,})$',
    unknown: '^(.*)$',
  }[name]!;
}

test('§3.2 classifier names made of digits keep their stored order when given as entries', () => {
  const entries: [string, unknown][] = [['911', { regex: '^911$', friendly_name: 'e' }], ['1', { regex: '^\\d+$', friendly_name: 'any' }]];
  assert.equal(route({ resources: [], classifiers: entries }, { number: '911' }).classification, '911');
  // A plain object would put "1" first (JavaScript orders integer-like keys), so it classifies differently:
  assert.equal(route({ resources: [], classifiers: Object.fromEntries(entries) }, { number: '911' }).classification, '1');
});

test('§3.2 deprecated string entries, objects without regex (^$), no match → no class and plain resources', () => {
  const r = route({ resources: [res('p', { rules: ['^\\+(\\d+)$'] }), res('c', { classifiers: { uk: {} } })], classifiers: { none: { friendly_name: 'n' }, uk: '^\\+44' } }, { number: '+442071234567' });
  assert.equal(r.classification, 'uk');
  assert.deepEqual(r.candidates.map((c) => [c.resourceId, c.matchedNumber]), [['c-uk', '+44']], 'the deprecated string is the derived resource rule too');
  const none = route({ resources: [res('p', { rules: ['^\\+(\\d+)$'] })], classifiers: { uk: '^\\+44' } }, { number: '+4930123' });
  assert.equal(none.classification, null);
  assert.deepEqual(none.candidates.map((c) => c.resourceId), ['p']);
});

test('bypass_e164: rules see the raw number while classification still normalises (§1, §3.2)', () => {
  const r = route({ resources: [res('p', { rules: ['^(\\d{10})$'] })] }, { number: '4158867900', bypassE164: true });
  assert.equal(r.number, '4158867900');
  assert.equal(r.classification, 'did_us');
  assert.deepEqual(r.endpoints.map((e) => e.route), ['sip:4158867900@p.gw.example']);
  const normalised = route({ resources: [res('p', { rules: ['^(\\d{10})$'] })] }, { number: '4158867900' });
  assert.equal(normalised.endpoints.length, 0, 'without bypass the rule sees +14158867900 and does not match (§11.11)');
});

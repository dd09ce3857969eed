// routing-spec §5.1–§5.3 and §5.5, both flavors: the last matching rule decides, the longest capture group is sent
// (ties to the later group, no group → the matched substring), invalid rules dropped with a warning, patterns that
// PCRE reads differently make the answer uncertain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gw, res, routeBoth, routes, whyExcluded } from './support.ts';

function sent(rules: string[], number: string, bypassE164 = false): string[] {
  return routeBoth({ resources: [res('r', { rules, gateways: [gw('gw.example')] })] }, { number, bypassE164 }).map((r) => r.candidates[0]?.matchedNumber ?? '(no match)');
}

test('rules-evaluated-in-reverse-order: the last rule in the document that matches decides (§5.2)', () => {
  assert.deepEqual(sent(['^\\+1(\\d{10})$', '^\\+(\\d+)$'], '+14158867900'), ['14158867900', '14158867900']);
  const [r] = routeBoth({ resources: [res('r', { rules: ['^\\+1(\\d{10})$', '^\\+(\\d+)$'] })] }, { number: '+14158867900' });
  assert.equal(r!.candidates[0]!.ruleIndex, 1);
});

test('the Telia example: ["^\\+44(\\d{10})$", "^\\+?(\\d{7,15})$"] on +442071234567 is decided by rule 2 and sends 442071234567', () => {
  for (const r of routeBoth({ resources: [res('telia', { rules: ['^\\+44(\\d{10})$', '^\\+?(\\d{7,15})$'] })] }, { number: '+442071234567' })) {
    assert.equal(r.candidates[0]!.ruleIndex, 1);
    assert.equal(r.candidates[0]!.matchedNumber, '442071234567');
  }
});

test('capture-none-uses-matched-substring: without groups the matched substring, not the whole number (§5.3)', () => {
  assert.deepEqual(sent(['\\d{10}'], '+14158867900'), ['1415886790', '1415886790']);
  assert.deepEqual(sent(['^(?:(9)9)?\\+1\\d{10}$'], '+14158867900'), ['+14158867900', '+14158867900'], 'a group that did not take part');
});

test('capture-*: the longest group wins, ties go to the later group (§5.3)', () => {
  assert.deepEqual(sent(['^(\\+1)(\\d{3})(\\d{7})$'], '+14158867900'), ['8867900', '8867900']);
  assert.deepEqual(sent(['^\\+1(\\d{5})(\\d{5})$'], '+14158867900'), ['67900', '67900']);
  assert.deepEqual(sent(['^(\\+?1)?(\\d{10})$'], '4158867900', true), ['4158867900', '4158867900']);
});

test('empty-capture-group: the number sent can be empty, giving sip:@server and no To-DID (§5.3, §11.10)', () => {
  for (const r of routeBoth({ resources: [res('r', { rules: ['^\\+1\\d{10}()$'], gateways: [gw('gw.example')] })] }, { number: '+14158867900' })) {
    assert.deepEqual(routes(r), ['sip:@gw.example']);
    assert.equal(r.endpoints[0]!.toDid, '');
  }
});

test('plain-empty-rules-never-match (§5.5)', () => {
  for (const r of routeBoth({ resources: [res('r', { rules: [] })] }, { number: '+14158867900' })) {
    assert.equal(r.endpoints.length, 0);
    assert.equal(whyExcluded(r, 'r'), 'no_rule');
  }
});

test('an invalid rule is dropped with a warning and the others still route (§5.2, §11.12)', () => {
  for (const r of routeBoth({ resources: [res('r', { rules: ['^\\+1(\\d{10})$', '^(\\d+'] })] }, { number: '+14158867900' })) {
    assert.equal(r.candidates[0]!.matchedNumber, '4158867900');
    assert.ok(r.warnings.some((w) => w.code === 'rule_dropped' && w.message.includes('rules.1')), JSON.stringify(r.warnings));
    assert.deepEqual(r.uncertain, []);
  }
});

test('a rule PCRE accepts and JavaScript cannot evaluate makes the answer uncertain only when Kazoo reaches it (§11.12)', () => {
  for (const r of routeBoth({ resources: [res('r', { rules: ['^\\+1(\\d{10})$', '^\\+(\\d++)$'] })] }, { number: '+14158867900' })) {
    assert.equal(r.candidates[0]!.matchedNumber, '4158867900');
    assert.ok(r.uncertain.some((u) => u.code === 'pcre' && u.message.includes('possessive')), JSON.stringify(r.uncertain));
    assert.ok(!r.warnings.some((w) => w.code === 'rule_dropped'), 'Kazoo keeps the possessive rule');
  }
  for (const r of routeBoth({ resources: [res('r', { rules: ['^\\+(\\d++)$', '^\\+1(\\d{10})$'] })] }, { number: '+14158867900' })) {
    assert.deepEqual(r.uncertain, [], 'the last rule matches first; the possessive one is never evaluated');
  }
  for (const r of routeBoth({ resources: [res('r', { rules: ['^\\+1(\\d{10})\\Z'] })] }, { number: '+14158867900' })) {
    assert.ok(r.uncertain.some((u) => u.message.includes('\\Z')), 'a construct both compile but read differently');
  }
});

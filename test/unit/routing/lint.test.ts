// The rule linter (routing-spec §11): each finding names its pitfall (rule code + sections); no false alarm on the
// shapes Kazoo routes as meant; per-cluster findings against the cluster's (or the flavor's default) table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintForCluster, lintResource } from '../../../electron/core/routing/lint.ts';

const rulesOf = (doc: Record<string, unknown>, rule: string) => lintResource(doc).filter((i) => i.rule === rule);
const base = { name: 'C', weight_cost: 10, gateways: [{ server: 'gw.example' }] };

test('rule_unreachable and broad_last_rule: analysed in reverse order, the Telia case (§5.2, §11.9)', () => {
  const telia = { ...base, rules: ['^\\+44(\\d{10})$', '^\\+?(\\d{7,15})$'] };
  const unreachable = rulesOf(telia, 'rule_unreachable');
  assert.deepEqual(unreachable.map((i) => i.path), ['rules.0']);
  assert.match(unreachable[0]!.message, /Rule 1 is never used: .*taken first by rule 2.*§5\.2, §11\.9/);
  assert.deepEqual(rulesOf(telia, 'broad_last_rule').map((i) => i.path), ['rules.1']);
  const fixed = { ...base, rules: ['^\\+?(\\d{7,15})$', '^\\+44(\\d{10})$'] };
  assert.deepEqual(rulesOf(fixed, 'rule_unreachable'), [], 'specific after broad: both are used');
  assert.deepEqual(rulesOf(fixed, 'broad_last_rule'), []);
  const together = { ...base, rules: ['^\\+4(\\d{2,})$', '^\\+44(\\d+)$', '^\\+4[0-35-9](\\d+)$'] };
  assert.match(rulesOf(together, 'rule_unreachable')[0]!.message, /rule 2 and rule 3/, 'covered by two later rules together');
});

test('no_capture_group and empty_capture: what is sent without groups or with groups that can be empty (§5.3, §11.10)', () => {
  const r = rulesOf({ ...base, rules: ['\\d{10}'] }, 'no_capture_group');
  assert.equal(r.length, 1);
  assert.match(r[0]!.message, /part of the number/);
  assert.deepEqual(rulesOf({ ...base, rules: ['^\\+1(\\d{10})$'] }, 'no_capture_group'), []);
  assert.deepEqual(rulesOf({ ...base, rules: ['^\\+1\\d{10}()$'] }, 'empty_capture').map((i) => i.path), ['rules.0']);
  assert.deepEqual(rulesOf({ ...base, rules: ['^\\+1(\\d*)$'] }, 'empty_capture').map((i) => i.path), ['rules.0']);
  assert.deepEqual(rulesOf({ ...base, rules: ['^(\\+?1)?(\\d{10})$'] }, 'empty_capture'), [], 'an optional group beside a mandatory one is fine');
});

test('no_e164_match: rules written for the dialled form never see it after normalisation (§3.1, §11.11)', () => {
  assert.deepEqual(rulesOf({ ...base, rules: ['^1(\\d{10})$', '^(\\d{10})$'] }, 'no_e164_match').map((i) => i.path), ['rules.0', 'rules.1']);
  assert.deepEqual(rulesOf({ ...base, rules: ['^(911)$', '^\\+1(\\d{10})$', '^\\+?1?(\\d{10})$'] }, 'no_e164_match'), [], 'short codes stay as dialled; E.164 rules are fine');
});

test('empty rules warn only on plain carriers; a classifier carrier\'s rules are ignored (§2.2, §5.5, §11.6)', () => {
  assert.deepEqual(rulesOf({ ...base, rules: [] }, 'empty_rules').map((i) => i.path), ['rules']);
  assert.match(rulesOf({ ...base, rules: [] }, 'empty_rules')[0]!.message, /never matches.*§5\.5/);
  assert.deepEqual(rulesOf({ ...base, rules: [], classifiers: { did_us: { weight_cost: 10 } } }, 'empty_rules'), []);
  assert.ok(!lintResource({ ...base, classifiers: { did_us: { weight_cost: 10 } } }).some((i) => /never routes a call to a resource without rules/.test(i.message)));
  assert.deepEqual(rulesOf({ ...base, rules: ['^\\+1(\\d{10})$'], classifiers: { did_us: { weight_cost: 10 } } }, 'classifier_rules_ignored').map((i) => i.path), ['rules']);
  assert.deepEqual(rulesOf({ ...base, rules: ['^\\+44(\\d{10})$', '^\\+?(\\d+)$'], classifiers: { international: {} } }, 'rule_unreachable'), [], 'ignored rules are not analysed');
});

test('classifier pitfalls: disabled entries still block, emergency and weight defaults, {} takes nothing (§2.2, §3.3, §11.3–§11.7)', () => {
  const doc = { ...base, classifiers: { did_us: { enabled: false, weight_cost: 5 }, emergency: { weight_cost: 5 }, international: {} } };
  assert.deepEqual(rulesOf(doc, 'classifier_disabled_blocks').map((i) => i.path), ['classifiers.did_us.enabled']);
  assert.deepEqual(rulesOf(doc, 'emergency_classifier_not_emergency').map((i) => i.path), ['classifiers.emergency.emergency']);
  assert.deepEqual(rulesOf(doc, 'classifier_weight_default').map((i) => i.path), ['classifiers.international.weight_cost']);
  assert.deepEqual(rulesOf({ ...base, classifiers: {} }, 'classifiers_contribute_nothing').map((i) => i.path), ['classifiers']);
});

test('weights: missing means 3 once stored without it, 0 behaves as 1 (§2.3, §11.8)', () => {
  assert.match(rulesOf({ name: 'x', rules: ['^\\+(\\d+)$'] }, 'weight_missing')[0]!.message, /weight 3.*§2\.3, §11\.8/);
  assert.equal(rulesOf({ ...base, weight_cost: 0, rules: ['^\\+(\\d+)$'] }, 'weight_zero').length, 1);
  assert.deepEqual(rulesOf({ ...base, rules: ['^\\+(\\d+)$'] }, 'weight_missing'), []);
});

test('crash-prone documents and gateway pitfalls (§6.3, §6.4, §11.18–§11.20)', () => {
  assert.equal(rulesOf({ weight_cost: 1, classifiers: { did_us: {} } }, 'crash_classifier_no_name').length, 1);
  assert.deepEqual(rulesOf({ ...base, rules: ['^\\+(\\d+)$'], gateways: [{ port: 5060 }] }, 'crash_gateway_no_server').map((i) => i.path), ['gateways.0.server']);
  assert.equal(rulesOf({ ...base, rules: ['^\\+(\\d+)$'], gateway_strategy: 'round_robin' }, 'crash_gateway_strategy').length, 1);
  assert.match(rulesOf({ ...base, rules: ['^\\+(\\d+)$'], gateways: [{ server: 's', route: 'sip:x@y', prefix: '9' }] }, 'route_ignores_gateway_fields')[0]!.message, /prefix is ignored/);
  assert.deepEqual(rulesOf({ ...base, rules: ['^\\+(\\d+)$'], gateways: [{ server: 's', invite_format: 'npan' }] }, 'invite_format_passthrough').map((i) => i.path), ['gateways.0.invite_format']);
  assert.equal(rulesOf({ ...base, rules: ['^\\+(\\d+)$'], require_flags: true }, 'require_flags_without_flags').length, 1);
  assert.equal(rulesOf({ ...base, rules: ['^\\+(\\d+)$'], formatters: { to_did: [{ value: 'x', direction: 'both' }] } }, 'formatter_direction_both')[0]!.path, 'formatters.to_did.0.direction');
  assert.equal(rulesOf({ ...base, rules: ['^\\+(\\d+)$'], cid_rules: ['[bad'] }, 'cid_rules_all_invalid').length, 1);
});

test('PCRE honesty: constructs read differently are warnings, invalid patterns errors (§5.2, §11.12)', () => {
  const issues = lintResource({ ...base, rules: ['^\\+(\\d++)$', '^(\\d+', '^\\+1(\\d{10})\\Z'] });
  assert.deepEqual(issues.filter((i) => i.rule === 'pcre_only').map((i) => i.path), ['rules.0', 'rules.2']);
  assert.deepEqual(issues.filter((i) => i.rule === 'regex').map((i) => [i.path, i.severity]), [['rules.1', 'error']]);
});

test('lintForCluster: names unknown to the cluster table (or the flavor default), 5.x lost regexes (§2.2, §3.2, §9)', () => {
  const doc = { name: 'C', classifiers: { did_us: {}, uk_mobile: {} } };
  const byDefault = lintForCluster(doc, '5.0', undefined, 'prod');
  assert.deepEqual(byDefault.map((i) => [i.path, i.rule]), [['classifiers.uk_mobile', 'classifier_unknown']]);
  assert.match(byDefault[0]!.message, /default classifier table of Kazoo 5\.0/);
  const custom = lintForCluster(doc, '4.3', [['uk_mobile', { regex: '^\\+447', friendly_name: 'UK mobile' }]], 'lab');
  assert.deepEqual(custom.map((i) => [i.path, i.rule]), [['classifiers.did_us', 'classifier_unknown']]);
  const none = lintForCluster({ name: 'C', classifiers: { nope: {} } }, '4.3', undefined, 'lab');
  assert.deepEqual(none.map((i) => i.rule), ['classifier_unknown', 'classifiers_contribute_nothing']);
  const lost = lintForCluster({ name: 'C', classifiers: { uk: {} } }, '5.0', [['uk', { regex: '^\\+44' }]], 'prod');
  assert.deepEqual(lost.map((i) => i.rule), ['crash_classifier_regex_lost']);
  assert.deepEqual(lintForCluster({ name: 'C', classifiers: { uk: {} } }, '4.3', [['uk', { regex: '^\\+44' }]], 'lab'), [], '4.3 fills the friendly_name');
});

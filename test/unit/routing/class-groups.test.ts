// routing-spec §3.3, both flavors: the classified group against the plain fallback. When any flag-passing resource was
// derived for the number's class, only that group is tried (its disabled entries removed) and plain resources are
// never considered, even when the group yields nothing; otherwise only plain resources are (cases
// classifier-group-shadows-plain, classifier-disabled-blocks-fallback, classifier-absent-falls-back-to-plain).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gw, hexId, order, res, routeBoth, routes, whyExcluded } from './support.ts';

const CATCH_ALL = res(hexId(1), { rules: ['^\\+?(\\d+)$'] });
const NUMBER = '+14158867900'; // class did_us with the default table (§3.2)

test('classifier-group-shadows-plain: a did_us carrier takes the class; the catch-all plain carrier is not considered (§3.3, §11.3)', () => {
  const cls = { id: hexId(2), name: 'US', classifiers: { did_us: { weight_cost: 50 } }, gateways: [gw('us.example')] };
  for (const r of routeBoth({ resources: [CATCH_ALL, cls] }, { number: NUMBER })) {
    assert.equal(r.classification, 'did_us');
    assert.deepEqual(order(r), [`${hexId(2)}-did_us:0`]);
    // The did_us regex ^(\+?1)?([2-9][0-9]{2}[2-9][0-9]{6})$: the longest group is the 10-digit number (§5.3).
    assert.deepEqual(routes(r), ['sip:4158867900@us.example']);
    assert.equal(whyExcluded(r, hexId(1)), 'class_group');
  }
});

test('classifier-group-shadows-plain: the group decides even when none of its regexes matches — no carrier (§3.3, §11.3)', () => {
  const cls = { id: hexId(2), name: 'US', classifiers: { did_us: { regex: '^\\+1(999\\d{7})$' } }, gateways: [gw('us.example')] };
  for (const r of routeBoth({ resources: [CATCH_ALL, cls] }, { number: NUMBER })) {
    assert.deepEqual(r.endpoints, []);
    assert.equal(r.error, undefined);
    assert.equal(whyExcluded(r, hexId(1)), 'class_group');
    assert.equal(whyExcluded(r, `${hexId(2)}-did_us`), 'no_rule');
  }
});

test('classifier-disabled-blocks-fallback: a disabled did_us entry still takes the class; plain carriers are not tried (§3.3, §11.4)', () => {
  const cls = { id: hexId(2), name: 'US', classifiers: { did_us: { enabled: false } }, gateways: [gw('us.example')] };
  for (const r of routeBoth({ resources: [CATCH_ALL, cls] }, { number: NUMBER })) {
    assert.deepEqual(r.endpoints, []);
    assert.equal(whyExcluded(r, `${hexId(2)}-did_us`), 'classifier_disabled');
    assert.equal(whyExcluded(r, hexId(1)), 'class_group');
  }
});

test('classifier-absent-falls-back-to-plain: no carrier for the class, so plain carriers are matched; other classes never (§3.3)', () => {
  const cls = { id: hexId(2), name: 'TF', classifiers: { tollfree_us: {} }, gateways: [gw('tf.example')] };
  for (const r of routeBoth({ resources: [CATCH_ALL, cls] }, { number: NUMBER })) {
    assert.deepEqual(order(r), [`${hexId(1)}:0`]);
    assert.deepEqual(routes(r), [`sip:14158867900@${hexId(1)}.gw.example`]);
    assert.equal(whyExcluded(r, `${hexId(2)}-tollfree_us`), 'other_class');
  }
  // A toll-free number goes to the tollfree_us group and not to the plain catch-all.
  for (const r of routeBoth({ resources: [CATCH_ALL, cls] }, { number: '+18005551234' })) {
    assert.equal(r.classification, 'tollfree_us');
    assert.deepEqual(routes(r), ['sip:8005551234@tf.example']);
  }
});

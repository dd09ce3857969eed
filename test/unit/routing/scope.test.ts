// routing-spec §2.1 and §1, both flavors: global vs account-local resources are exclusive (no fallback), the hunt
// account must be the caller or an ancestor, and numbers hosted on the cluster stay on-net.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { order, res, routeBoth, whyExcluded } from './support.ts';

const ANY = ['^\\+(\\d+)$'];
const accounts = [
  { id: 'master', parent_id: null },
  { id: 'reseller', parent_id: 'master' },
  { id: 'customer', parent_id: 'reseller' },
  { id: 'sibling', parent_id: 'master' },
];
const resources = [
  res('global1', { rules: ANY }),
  res('cust1', { rules: ['^\\+44(\\d+)$'], account_id: 'customer' }),
  res('resel1', { rules: ANY, account_id: 'reseller' }),
  res('sib1', { rules: ANY, account_id: 'sibling' }),
];

test('without a hunt account only global resources are used (offnet never sees account carriers) (§2.1, §11.1)', () => {
  for (const r of routeBoth({ resources, accounts }, { number: '+4930123456', accountId: 'customer' })) {
    assert.deepEqual(order(r), ['global1:0']);
    assert.equal(whyExcluded(r, 'resel1'), 'local_scope');
  }
});

test('local-no-match-no-global-fallback: local resources that do not match give no carrier even when a global one would (§2.1)', () => {
  for (const r of routeBoth({ resources, accounts }, { number: '+4930123456', accountId: 'customer', huntAccountId: 'customer' })) {
    assert.deepEqual(r.endpoints, []);
    assert.equal(whyExcluded(r, 'global1'), 'global_scope');
    assert.equal(whyExcluded(r, 'cust1'), 'no_rule');
    assert.ok(r.warnings.some((w) => w.code === 'no_fallback'));
    assert.deepEqual(r.scope, { kind: 'local', accountId: 'customer' });
  }
});

test('a hunt account that is an ancestor of the caller lends its carriers (§2.1)', () => {
  for (const r of routeBoth({ resources, accounts }, { number: '+4930123456', accountId: 'customer', huntAccountId: 'reseller' })) {
    assert.deepEqual(order(r), ['resel1:0']);
    assert.equal(whyExcluded(r, 'sib1'), 'other_account');
    assert.deepEqual(r.uncertain, []);
  }
});

test('hunt-account-not-ancestor: no carrier at all (§2.1, §11.2)', () => {
  for (const r of routeBoth({ resources, accounts }, { number: '+4930123456', accountId: 'customer', huntAccountId: 'sibling' })) {
    assert.deepEqual(r.endpoints, []);
    assert.equal(whyExcluded(r, 'sib1'), 'hunt_not_ancestor');
  }
  const byTree = routeBoth({ resources, accounts: [{ id: 'customer', tree: ['master', 'reseller'] }] }, { number: '+4930123456', accountId: 'customer', huntAccountId: 'sibling' });
  for (const r of byTree) assert.equal(whyExcluded(r, 'sib1'), 'hunt_not_ancestor', 'pvt_tree given directly');
});

test('an account tree that does not say is assumed to allow the hunt account, and the answer says it is uncertain (§2.1)', () => {
  for (const r of routeBoth({ resources }, { number: '+4930123456', accountId: 'customer', huntAccountId: 'reseller' })) {
    assert.deepEqual(order(r), ['resel1:0']);
    assert.ok(r.uncertain.some((u) => u.code === 'hunt_ancestry'));
  }
});

test('a number hosted on the cluster stays on-net unless forced outbound or hunting local carriers (§1)', () => {
  for (const r of routeBoth({ resources, onNetNumbers: ['+14158867900'] }, { number: '4158867900' })) {
    assert.equal(r.onNet, true);
    assert.deepEqual(r.endpoints, []);
    assert.equal(whyExcluded(r, 'global1'), 'on_net');
  }
  for (const r of routeBoth({ resources }, { number: '+14158867900', onNet: true })) assert.equal(r.onNet, true);
  for (const r of routeBoth({ resources }, { number: '+14158867900', onNet: true, forceOutbound: true })) assert.deepEqual(order(r), ['global1:0']);
  for (const r of routeBoth({ resources, accounts }, { number: '+14158867900', onNet: true, accountId: 'customer', huntAccountId: 'reseller' })) {
    assert.equal(r.onNet, undefined);
    assert.deepEqual(order(r), ['resel1:0']);
  }
});

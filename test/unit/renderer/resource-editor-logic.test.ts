// Unit tests of the resource editor's pure logic: regex checks (JS vs PCRE), the "test a number" match
// and dial strings, edits that remove emptied fields, and the account tree order/search.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRegex, dialStrings, firstMatch, formatForInvite } from '../../../renderer/src/lib/components/resources/regex-check.ts';
import { getAt, setOrDelete, unknownFields, KNOWN_TOP, move } from '../../../renderer/src/lib/components/resources/doc-edit.ts';
import { filterTree, treeOrder } from '../../../electron/shared/account-tree.ts';

test('checkRegex: valid, invalid, empty and PCRE-only constructs', () => {
  assert.deepEqual(checkRegex('^\\+1(\\d{10})$'), { ok: true });
  assert.equal(checkRegex('^(\\d+').ok, false);
  assert.match(checkRegex('').error ?? '', /matches every number/);
  const named = checkRegex('^(?P<n>\\d+)$');
  assert.equal(named.ok, true);
  assert.match(named.warning ?? '', /named groups/);
  assert.match(checkRegex('^\\d++$').warning ?? '', /possessive/);
  assert.match(checkRegex('^\\d+\\Z').warning ?? '', /\\A/);
});

test('firstMatch keeps the first capture group, else the whole number; skips broken rules', () => {
  assert.deepEqual(firstMatch(['^(\\d+', '^\\+1(\\d{10})$'], '+14155550123'), { index: 1, rule: '^\\+1(\\d{10})$', captured: '4155550123' });
  assert.deepEqual(firstMatch(['^\\+\\d+$'], '+4930123'), { index: 0, rule: '^\\+\\d+$', captured: '+4930123' });
  assert.equal(firstMatch(['^\\+44'], '+14155550123'), null);
});

test('dial strings apply invite format, prefix, suffix, port and static routes', () => {
  const d = dialStrings('4155550123', [
    { server: 'gw1', prefix: '99', suffix: '#' },
    { server: 'gw2', port: 5080, invite_format: '1npan', enabled: false },
    { server: 'gw3', route: 'sip:static@example' },
  ]);
  assert.equal(d[0]!.dial, '994155550123#');
  assert.equal(d[0]!.uri, 'sip:994155550123#@gw1');
  assert.equal(d[1]!.dial, '14155550123');
  assert.equal(d[1]!.uri, 'sip:14155550123@gw2:5080');
  assert.equal(d[1]!.enabled, false);
  assert.equal(d[2]!.uri, 'sip:static@example');
  assert.equal(formatForInvite('+14155550123', 'npan'), '4155550123');
  assert.equal(formatForInvite('+14155550123', 'strip_plus'), '14155550123');
  assert.equal(formatForInvite('4930123', 'e164'), '+4930123');
});

test('setOrDelete creates parents, removes emptied keys and prunes empty parents', () => {
  const doc: Record<string, unknown> = { name: 'x', custom: { keep: 1 } };
  setOrDelete(doc, 'media.encryption.enforce_security', true);
  assert.deepEqual(doc.media, { encryption: { enforce_security: true } });
  setOrDelete(doc, 'media.encryption.enforce_security', undefined);
  assert.equal('media' in doc, false);
  setOrDelete(doc, 'weight_cost', '');
  assert.equal('weight_cost' in doc, false);
  setOrDelete(doc, 'nothing.here', undefined);
  assert.equal('nothing' in doc, false);
  assert.equal(getAt(doc, 'custom.keep'), 1);
  assert.deepEqual(unknownFields(doc, KNOWN_TOP), { custom: { keep: 1 } });
  const list = ['a', 'b', 'c'];
  move(list, 2, 0);
  assert.deepEqual(list, ['c', 'a', 'b']);
});

test('account tree: parents before children, search keeps ancestors', () => {
  const nodes = [
    { id: 'c1', name: 'Acme', tree: ['root', 'r1'], parentId: 'r1', depth: 2 },
    { id: 'root', name: 'Master', tree: [], depth: 0 },
    { id: 'r1', name: 'Reseller', tree: ['root'], parentId: 'root', depth: 1 },
    { id: 'c2', name: 'Beta', tree: ['root'], parentId: 'root', depth: 1 },
  ];
  assert.deepEqual(treeOrder(nodes).map((n) => n.id), ['root', 'c2', 'r1', 'c1']);
  const f = filterTree(treeOrder(nodes), 'acme');
  assert.deepEqual(f.visible.map((n) => n.id), ['root', 'r1', 'c1']);
  assert.deepEqual([...f.matches], ['c1']);
});

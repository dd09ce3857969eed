// Unit tests of the resource editor's pure logic: edits that remove emptied fields, and the account tree order/search.
// (Regex checks and the "test a number" box come from the core: test/unit/routing/pcre-list.test.ts, e2e rule-tester.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getAt, setOrDelete, unknownFields, KNOWN_TOP, move } from '../../../renderer/src/lib/components/resources/doc-edit.ts';
import { filterTree, treeOrder } from '../../../electron/shared/account-tree.ts';

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

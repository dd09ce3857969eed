// Unit: secrets inside documents (electron/core/drafts/secret-fields.ts) with a real key-file box: a secret another
// key sealed reads as a placeholder (never an error), masks carry a reference that finds their secret wherever its
// element moved, a mask that matches nothing reads as missing, and bases are filled from the cluster's document.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import {
  fillUnreadable, hasUnreadable, maskSecrets, maskStored, missingSecretPaths, omitSecrets, openDoc, resolveMasks, sealDoc,
} from '../../../electron/core/drafts/secret-fields.ts';
import { SECRET_OMITTED, SECRET_UNREADABLE } from '../../../electron/shared/secret-marks.ts';
import { tempDir } from '../../support/temp.ts';

function boxes(t: { after: (fn: () => void) => void }): { box: FileKeyBox; other: FileKeyBox } {
  const a = tempDir();
  const b = tempDir();
  t.after(() => (a.remove(), b.remove()));
  return { box: new FileKeyBox(a.path), other: new FileKeyBox(b.path) };
}

const doc = () => ({ name: 'x', gateways: [{ server: 'a', password: 'Pw-A' }, { server: 'b', password: 'Pw-B' }, { server: 'c' }] });

test('a secret sealed with another key opens as a placeholder, and the document says it holds one', (t) => {
  const { box, other } = boxes(t);
  const stored = sealDoc(doc(), other);
  const opened = openDoc(stored, box);
  assert.deepEqual(opened.gateways, [{ server: 'a', password: SECRET_UNREADABLE }, { server: 'b', password: SECRET_UNREADABLE }, { server: 'c' }]);
  assert.equal(hasUnreadable(opened), true);
  assert.equal(hasUnreadable(openDoc(sealDoc(doc(), box), box)), false);
  assert.deepEqual(missingSecretPaths(opened), ['gateways.0.password', 'gateways.1.password']);
  // Masked output keeps the placeholder readable (it is not a secret), and exports leave both out alike.
  assert.deepEqual(maskStored(stored, box).gateways, opened.gateways);
  assert.equal((maskSecrets(opened).gateways as { password: string }[])[0]!.password, SECRET_UNREADABLE);
  assert.equal((omitSecrets(opened).gateways as { password: string }[])[0]!.password, SECRET_OMITTED);
});

test('masks carry the box reference: the same secret the same mask, resolved wherever its gateway moved', (t) => {
  const { box } = boxes(t);
  const v1 = sealDoc(doc(), box);
  const masked = maskStored(v1, box) as ReturnType<typeof doc>;
  assert.match(masked.gateways[0]!.password!, /^\*\*\*#[0-9a-f]{12}$/);
  assert.notEqual(masked.gateways[0]!.password, masked.gateways[1]!.password);
  assert.deepEqual(maskStored(sealDoc(doc(), box), box), masked, 'sealed again (new nonces), the masks are the same');
  // Reordered and one server renamed: each password follows its gateway.
  const back = { ...masked, gateways: [masked.gateways[2]!, masked.gateways[1]!, { ...masked.gateways[0]!, server: 'a2' }] };
  assert.deepEqual(resolveMasks(back, v1, box).gateways, [{ server: 'c' }, { server: 'b', password: 'Pw-B' }, { server: 'a2', password: 'Pw-A' }]);
  // A mask of an older version is found in the history; one from nowhere reads as missing, never as the password.
  const v2 = sealDoc({ name: 'x', gateways: [{ server: 'a', password: 'Pw-New' }] }, box);
  assert.deepEqual(resolveMasks({ gateways: [masked.gateways[1]!] }, v2, box, () => [v1]).gateways, [{ server: 'b', password: 'Pw-B' }]);
  assert.deepEqual(resolveMasks({ gateways: [{ password: '***#000000000000' }] }, v2, box, () => [v1]).gateways, [{ password: SECRET_OMITTED }]);
  // A plain '***' or an export's placeholder takes the secret at the same place; nothing there: missing.
  assert.deepEqual(resolveMasks({ gateways: [{ password: '***' }, { password: SECRET_OMITTED }] }, v1, box).gateways, [{ password: 'Pw-A' }, { password: 'Pw-B' }]);
  assert.deepEqual(resolveMasks({ gateways: [{ password: '***' }] }, null, box).gateways, [{ password: SECRET_OMITTED }]);
  // Typed text is taken as typed.
  assert.deepEqual(resolveMasks({ gateways: [{ password: 'Typed-1' }] }, v1, box).gateways, [{ password: 'Typed-1' }]);
});

test('a mask that reaches sealing unresolved is stored as missing, never as the password', (t) => {
  const { box } = boxes(t);
  const stored = sealDoc({ gateways: [{ password: '***#0123456789ab' }, { password: '***' }] }, box);
  assert.deepEqual(openDoc(stored, box).gateways, [{ password: SECRET_OMITTED }, { password: SECRET_OMITTED }]);
});

test('a base with an unreadable secret takes the value the cluster holds at that place', () => {
  const base = { gateways: [{ server: 'a', password: SECRET_UNREADABLE }, { server: 'b', password: SECRET_UNREADABLE }] };
  const remote = { gateways: [{ server: 'a', password: 'Remote-A' }] };
  assert.deepEqual(fillUnreadable(base, remote), { gateways: [{ server: 'a', password: 'Remote-A' }, { server: 'b', password: SECRET_UNREADABLE }] });
});

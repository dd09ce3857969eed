// MemoBox (secrets/memo-box.ts): remembering what was sealed and opened never gives another secret's plaintext, and a
// sealed text the key cannot open fails every time rather than once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import { memoBox } from '../../../electron/core/secrets/memo-box.ts';
import { SecretUnavailableError } from '../../../electron/core/secrets/secret-box.ts';
import { tempDir } from '../../support/temp.ts';

test('a memo box opens each sealed text to its own plaintext, seals a plaintext once, and never remembers a failure', (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const plain = new FileKeyBox(dir.path);
  const box = memoBox(plain);
  assert.equal(memoBox(box), box, 'never wrapped twice');

  const a = box.seal('secret-a');
  const b = box.seal('secret-b');
  assert.notEqual(a, b);
  assert.equal(box.seal('secret-a'), a, 'the same plaintext: the sealed text made for it before');
  assert.equal(box.open(b), 'secret-b');
  assert.equal(box.open(a), 'secret-a');
  // Sealed by the plain box (another process): a different text for the same secret, opened on its own.
  const other = plain.seal('secret-a');
  assert.notEqual(other, a);
  assert.equal(box.open(other), 'secret-a');
  assert.equal(plain.open(a), 'secret-a', 'what the memo box seals opens without it');

  // One byte of the sealed body changed: authenticated encryption refuses it, each time it is asked.
  const raw = Buffer.from(a.slice('gcm1:'.length), 'base64');
  raw.writeUInt8(raw.readUInt8(raw.length - 1) ^ 1, raw.length - 1);
  const tampered = `gcm1:${raw.toString('base64')}`;
  for (let i = 0; i < 2; i++) assert.throws(() => box.open(tampered), SecretUnavailableError);
  assert.equal(box.ref('secret-a'), plain.ref('secret-a'));
  assert.equal(box.kind, plain.kind);
});

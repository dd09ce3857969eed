// Unit: a number-list row as one line of text: values cut and padded to their columns by display width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLUMNS, HEADER, columnAt, displayWidth, fit } from '../../../renderer/src/lib/components/numbers/row-line.ts';

test('a plain value is padded to its column, and one too long is cut with an ellipsis, leaving a space', () => {
  assert.equal(fit('12', 9), '12       ');
  assert.equal(fit('12345678', 9), '12345678 ');
  assert.equal(fit('123456789', 9), '1234567… ');
  assert.equal(fit('123456789', 9, false), '1234567…');
  assert.equal(fit('', 4), '    ');
});

test('display width: wide characters take two columns, combining marks and format characters none', () => {
  assert.equal(displayWidth('abc'), 3);
  assert.equal(displayWidth('電話番号'), 8);
  assert.equal(displayWidth('e\u0301'), 1);
  assert.equal(displayWidth('a\u200bb'), 2);
  assert.equal(displayWidth('😀'), 2);
  assert.equal(displayWidth('+４４'), 5);
});

test('a value with wide characters is cut by columns, never inside a surrogate pair or before its combining mark', () => {
  const wide = '電話番号電話番号電話番号';
  const cut = fit(wide, 10);
  assert.equal(displayWidth(cut), 10);
  assert.equal(cut, '電話番号… ');
  const emoji = fit('😀😀😀😀😀😀', 8);
  assert.equal(emoji, '😀😀😀… ');
  assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])/.test(emoji), 'no lone high surrogate');
  const accents = fit('e\u0301'.repeat(10), 6);
  assert.equal(accents, 'e\u0301'.repeat(4) + '… ');
  // An odd column count left after wide characters is filled with a space.
  assert.equal(fit('a電話番号電話', 9), 'a電話番… ');
  assert.equal(displayWidth(fit('a電話番号電話', 9)), 9);
});

test('line breaks and tabs in a value are shown as spaces (they would break or stretch the line)', () => {
  assert.equal(fit('a\tb\nc', 8), 'a b c   ');
  assert.equal(fit('é\tb', 5), 'é b  ');
});

test('the header has the columns at their widths, and a position in characters maps to its column', () => {
  let at = 0;
  for (const c of COLUMNS) {
    assert.equal(HEADER.slice(at, at + c.label.length), c.label);
    at += c.width;
  }
  assert.equal(columnAt(-1), -1);
  assert.equal(columnAt(0), 0);
  assert.equal(columnAt(COLUMNS[0]!.width - 0.5), 0);
  assert.equal(columnAt(COLUMNS[0]!.width), 1);
  assert.equal(columnAt(COLUMNS[0]!.width + COLUMNS[1]!.width), 2);
  assert.equal(columnAt(1000), COLUMNS.length - 1);
});

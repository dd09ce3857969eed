import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GREGORIAN_OFFSET_S, MAX_RANGE_S, fromGregorianS, monthWindows, toGregorianS } from '../../../electron/core/kazoo/windows.ts';

test('Gregorian seconds = unix seconds + 62167219200', () => {
  assert.equal(toGregorianS(0), GREGORIAN_OFFSET_S);
  assert.equal(toGregorianS(Date.UTC(2024, 2, 12, 14, 24, 34)), 63877472674);
  assert.equal(fromGregorianS(63877472674), Date.UTC(2024, 2, 12, 14, 24, 34));
});

test('month windows: newest first, contiguous, non-overlapping, each within the maximum range', () => {
  const from = Date.UTC(2024, 0, 20, 10, 0, 0);
  const to = Date.UTC(2024, 3, 5, 8, 30, 0);
  const ws = monthWindows(from, to);
  assert.equal(ws.length, 4);
  assert.equal(ws[ws.length - 1]!.from, toGregorianS(from));
  assert.equal(ws[0]!.to, toGregorianS(to));
  assert.equal(ws[2]!.from, toGregorianS(Date.UTC(2024, 1, 1)));
  assert.equal(ws[2]!.to, toGregorianS(Date.UTC(2024, 2, 1)) - 1);
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    assert.ok(w.to >= w.from);
    assert.ok(w.to - w.from <= MAX_RANGE_S, 'inside maximum_range');
    if (i > 0) assert.equal(ws[i - 1]!.from, w.to + 1, 'contiguous');
  }
});

test('a range inside one month is one window; a reversed range is refused', () => {
  const t = Date.UTC(2025, 11, 31, 23, 59, 59);
  assert.deepEqual(monthWindows(t - 1000, t), [{ from: toGregorianS(t - 1000), to: toGregorianS(t) }]);
  assert.throws(() => monthWindows(t, t - 1), RangeError);
  // December → January crosses a year.
  assert.equal(monthWindows(Date.UTC(2025, 11, 15), Date.UTC(2026, 0, 15)).length, 2);
});

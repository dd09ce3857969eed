// Unit: the row window of VirtualList: which rows are rendered for a scroll position and which slot shows each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { poolSize, rowWindow, slotRows } from '../../../renderer/src/lib/components/virtual-window.ts';

const base = { rowHeight: 28, overscan: 4 };

test('the window covers the view plus the overscan on both sides, clamped to the list', () => {
  // 440 px view: 16 rows cut at both edges = 17, plus 2 × 4 overscan = 25, rounded up to an even 26.
  assert.equal(poolSize(440, 28, 4), 26);
  assert.deepEqual(rowWindow({ ...base, count: 1_000_000, top: 0, view: 440 }), { start: 0, size: 26 });
  assert.deepEqual(rowWindow({ ...base, count: 1_000_000, top: 100 * 28 + 5, view: 440 }), { start: 96, size: 26 });
  // At the end the window stays full and ends on the last row.
  assert.deepEqual(rowWindow({ ...base, count: 1_000_000, top: 1_000_000 * 28 - 440, view: 440 }), { start: 1_000_000 - 26, size: 26 });
  // A scroll offset past the end (the list just shrank) still shows the last rows.
  assert.deepEqual(rowWindow({ ...base, count: 30, top: 999_999, view: 440 }), { start: 4, size: 26 });
});

test('short and empty lists render every row or none, and a view not measured yet renders a few rows', () => {
  assert.deepEqual(rowWindow({ ...base, count: 11, top: 0, view: 440 }), { start: 0, size: 11 });
  assert.deepEqual(rowWindow({ ...base, count: 0, top: 0, view: 440 }), { start: 0, size: 0 });
  assert.deepEqual(rowWindow({ ...base, count: 100, top: 0, view: 0 }), { start: 0, size: 10 });
  assert.deepEqual(rowWindow({ count: 100, top: 0, view: 56, rowHeight: 28, overscan: 0 }), { start: 0, size: 4 });
});

test('each slot holds the one row of the window congruent to it, so a move of d rows changes d slots', () => {
  assert.deepEqual(slotRows(0, 5), [0, 1, 2, 3, 4]);
  assert.deepEqual(slotRows(7, 5), [10, 11, 7, 8, 9]);
  assert.deepEqual(slotRows(0, 0), []);
  for (const [from, to] of [[96, 99], [96, 116], [96, 500_000], [3, 0]] as const) {
    const a = slotRows(from, 25);
    const b = slotRows(to, 25);
    assert.deepEqual([...b].sort((x, y) => x - y), Array.from({ length: 25 }, (_, i) => to + i));
    const kept = a.filter((r, k) => b[k] === r).length;
    assert.equal(kept, Math.max(0, 25 - Math.abs(to - from)), `${from} → ${to}`);
  }
});

test('the pool is even, so a slot only ever shows rows of one parity (a recycled row keeps its stripe)', () => {
  for (const view of [0, 56, 100, 440, 441, 900]) for (const overscan of [0, 1, 4]) assert.equal(poolSize(view, 28, overscan) % 2, 0, `${view}/${overscan}`);
  const size = poolSize(440, 28, 4);
  for (const start of [0, 1, 7, 96, 500_001]) slotRows(start, size).forEach((index, k) => assert.equal(index % 2, k % 2, `start ${start}, slot ${k}`));
});

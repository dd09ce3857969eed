// Unit: the row window of VirtualList: which chunks of rows are rendered for a scroll position and which slot shows
// each chunk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkRowIndices, chunkWindow, poolChunks, shownChunks, slotRows } from '../../../renderer/src/lib/components/virtual-window.ts';

const base = { rowHeight: 28, overscan: 4, chunkRows: 8 };

/** The rows a window renders, in list order. */
const rowsOf = (w: { start: number; size: number }, count: number) => Array.from({ length: w.size }, (_, j) => chunkRowIndices(w.start + j, 8, count)).flat();

test('the window covers the view plus the overscan on both sides at any offset, clamped to the list', () => {
  // 440 px view: 16 rows cut at both edges = 17, plus 2 × 4 overscan = 25 rows: 4 chunks of 8, plus one because
  // the covered rows can start anywhere in a chunk.
  assert.equal(poolChunks(440, 28, 4, 8), 5);
  assert.deepEqual(chunkWindow({ ...base, count: 1_000_000, top: 0, view: 440 }), { start: 0, size: 5 });
  // Row 100 at the top (5 px into it): rows 96 … 120 are wanted, chunk 12 (rows 96–103) comes first.
  assert.deepEqual(chunkWindow({ ...base, count: 1_000_000, top: 100 * 28 + 5, view: 440 }), { start: 12, size: 5 });
  for (let top = 0; top < 40 * 28; top += 7) {
    const rows = rowsOf(chunkWindow({ ...base, count: 1_000_000, top, view: 440 }), 1_000_000);
    const firstVisible = Math.floor(top / 28);
    for (let i = Math.max(0, firstVisible - 4); i <= firstVisible + 16 + 4; i++) assert.ok(rows.includes(i), `row ${i} at offset ${top}`);
  }
  // At the end the window stays full and ends on the last row (the last chunk may be short).
  const end = chunkWindow({ ...base, count: 1_000_003, top: 1_000_003 * 28 - 440, view: 440 });
  assert.deepEqual(end, { start: 125_000 - 4, size: 5 });
  assert.equal(rowsOf(end, 1_000_003).at(-1), 1_000_002);
  // A scroll offset past the end (the list just shrank) still shows the last rows.
  assert.deepEqual(chunkWindow({ ...base, count: 30, top: 999_999, view: 440 }), { start: 0, size: 4 });
});

test('short and empty lists render every row or none, and a view not measured yet renders a few rows', () => {
  assert.deepEqual(rowsOf(chunkWindow({ ...base, count: 11, top: 0, view: 440 }), 11), Array.from({ length: 11 }, (_, i) => i));
  assert.deepEqual(chunkWindow({ ...base, count: 0, top: 0, view: 440 }), { start: 0, size: 0 });
  assert.deepEqual(chunkWindow({ ...base, count: 100, top: 0, view: 0 }), { start: 0, size: 3 });
  assert.deepEqual(chunkRowIndices(3, 8, 30), [24, 25, 26, 27, 28, 29]);
  assert.deepEqual(chunkRowIndices(4, 8, 30), []);
});

test('each slot holds the one chunk of the window congruent to it, so a move of d chunks changes d slots', () => {
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

test('with an even chunk a row element only ever shows rows of one parity (a recycled row keeps its stripe)', () => {
  for (const chunk of [0, 1, 12, 125_000]) chunkRowIndices(chunk, 8, 1_000_003).forEach((index, j) => assert.equal(index % 2, j % 2, `chunk ${chunk}, row ${j}`));
});

test('a slot whose chunk is still loading keeps the chunk it showed; a new pool shows what it should', () => {
  // Slots showing chunks 10–14 jump to 500–504: only the ready ones switch (the others keep their rows, hidden).
  assert.deepEqual(shownChunks(slotRows(500, 5), slotRows(10, 5), [true, false, false, true, false]), [500, 11, 12, 503, 14]);
  // Once every chunk is ready every slot shows its own; a chunk that is not ready and already shown stays.
  assert.deepEqual(shownChunks([500, 501], [500, 11], [true, true]), [500, 501]);
  assert.deepEqual(shownChunks([500, 501], [500, 501], [false, false]), [500, 501]);
  // First render, or the pool grew or shrank (the view was resized): nothing to keep.
  assert.deepEqual(shownChunks([0, 1, 2], [], [false, false, false]), [0, 1, 2]);
  assert.deepEqual(shownChunks([5, 6, 7], [5, 6], [false, false, false]), [5, 6, 7]);
});

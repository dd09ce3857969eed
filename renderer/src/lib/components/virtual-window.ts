// The row window of VirtualList as plain arithmetic: which rows are rendered for a scroll position, grouped in
// chunks of consecutive rows, and which pooled chunk element (slot) shows each chunk, so the component recycles
// elements instead of recreating them.
//
// Why chunks: a row placed on its own (position: absolute, or any containment that makes it a stacking context) is
// a paint layer of its own, and Chromium walks every layer for pre-paint, paint, layerization and the hover hit
// test it runs after each scroll. Rows in normal flow inside a few absolutely placed chunks cost one layer per chunk
// (Chromium trace, docs/benchmarks-history.md "Number list frames").

export interface WindowInput {
  /** Rows in the list. */
  count: number;
  /** Scroll offset of the list in px. */
  top: number;
  /** Height of the visible area in px (0 before the first measure). */
  view: number;
  /** Fixed row height in px (> 0). */
  rowHeight: number;
  /** Rows rendered beyond each edge of the view (at least). */
  overscan: number;
  /** Rows per chunk (even, > 0). */
  chunkRows: number;
}

export interface ChunkWindow {
  /** First rendered chunk (0 when count is 0); it holds rows [start × chunkRows, (start + 1) × chunkRows). */
  start: number;
  /** Rendered chunks: [start, start + size), size 0 when count is 0. */
  size: number;
}

/**
 * Chunks needed to cover `view` px plus the overscan at any offset (a row can be cut at both edges, and the covered
 * rows can start anywhere in a chunk). With an even `chunkRows` a row's parity is its position's parity inside the
 * chunk, so a recycled row element keeps its zebra stripe (no class change, no restyle while scrolling).
 */
export function poolChunks(view: number, rowHeight: number, overscan: number, chunkRows: number): number {
  const visible = Math.max(1, Math.ceil(Math.max(0, view) / rowHeight) + 1);
  const rows = visible + 2 * Math.max(0, Math.floor(overscan));
  return Math.ceil(rows / chunkRows) + 1;
}

/** The rendered chunks for a scroll position; their number only changes with the view height or the count. */
export function chunkWindow({ count, top, view, rowHeight, overscan, chunkRows }: WindowInput): ChunkWindow {
  const total = Math.ceil(Math.max(0, count) / chunkRows);
  const n = Math.min(poolChunks(view, rowHeight, overscan, chunkRows), total);
  if (n === 0) return { start: 0, size: 0 };
  const firstWanted = Math.floor(Math.max(0, top) / rowHeight) - Math.max(0, Math.floor(overscan));
  const start = Math.max(0, Math.min(Math.floor(Math.max(0, firstWanted) / chunkRows), total - n));
  return { start, size: n };
}

/** The rows of chunk `chunk`: consecutive indices, fewer than `chunkRows` only for the last chunk of the list. */
export function chunkRowIndices(chunk: number, chunkRows: number, count: number): number[] {
  const from = chunk * chunkRows;
  const n = Math.max(0, Math.min(chunkRows, count - from));
  return Array.from({ length: n }, (_, j) => from + j);
}

/**
 * The item shown by each slot: slot k holds the one item of [start, start + size) whose index ≡ k (mod size). Moving
 * the window by d items changes exactly min(d, size) slots; the others keep their item (and their DOM).
 */
export function slotRows(start: number, size: number): number[] {
  const out = new Array<number>(size);
  for (let k = 0; k < size; k++) out[k] = start + ((((k - start) % size) + size) % size);
  return out;
}

/**
 * The chunk each slot's rows show, given the chunk each slot should show (`wanted`, from slotRows), the ones they
 * showed last (`shown`) and whether each wanted chunk's rows have their data (`ready`): a slot whose wanted chunk is
 * not ready keeps its previous chunk (the caller hides it as loading), so rows are written once, when their data is
 * there, instead of a placeholder first. Without a previous answer for the same pool (first render, or the pool
 * size changed) every slot shows its wanted chunk.
 */
export function shownChunks(wanted: readonly number[], shown: readonly number[], ready: readonly boolean[]): number[] {
  if (shown.length !== wanted.length) return [...wanted];
  return wanted.map((chunk, s) => (ready[s] ? chunk : shown[s]!));
}

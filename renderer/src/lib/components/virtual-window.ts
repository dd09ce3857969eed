// The row window of VirtualList as plain arithmetic: which rows are rendered for a scroll position, and which
// pooled element (slot) shows each of them, so the component recycles elements instead of recreating them.

export interface WindowInput {
  /** Rows in the list. */
  count: number;
  /** Scroll offset of the list in px. */
  top: number;
  /** Height of the visible area in px (0 before the first measure). */
  view: number;
  /** Fixed row height in px (> 0). */
  rowHeight: number;
  /** Rows rendered beyond each edge of the view. */
  overscan: number;
}

export interface RowWindow {
  /** First rendered row (0 when count is 0). */
  start: number;
  /** Rendered rows: [start, start + size), size 0 when count is 0. */
  size: number;
}

/**
 * Rows needed to cover `view` px at any offset (a row can be cut at both edges), plus the overscan, rounded up to an
 * even number: slot k then always shows rows of k's parity, so a recycled row keeps its zebra stripe (no class
 * change, no style recalculation of the row while scrolling).
 */
export function poolSize(view: number, rowHeight: number, overscan: number): number {
  const visible = Math.max(1, Math.ceil(Math.max(0, view) / rowHeight) + 1);
  const n = visible + 2 * Math.max(0, Math.floor(overscan));
  return n + (n % 2);
}

/** The rendered range for a scroll position; its size only changes with the view height or the count. */
export function rowWindow({ count, top, view, rowHeight, overscan }: WindowInput): RowWindow {
  const n = Math.max(0, Math.min(poolSize(view, rowHeight, overscan), count));
  if (n === 0) return { start: 0, size: 0 };
  const firstVisible = Math.floor(Math.max(0, top) / rowHeight);
  const start = Math.max(0, Math.min(firstVisible - Math.max(0, Math.floor(overscan)), count - n));
  return { start, size: n };
}

/**
 * The row shown by each slot: slot k holds the one row of [start, start + size) whose index ≡ k (mod size). Moving
 * the window by d rows changes exactly min(d, size) slots; the others keep their row (and their DOM).
 */
export function slotRows(start: number, size: number): number[] {
  const out = new Array<number>(size);
  for (let k = 0; k < size; k++) out[k] = start + ((((k - start) % size) + size) % size);
  return out;
}

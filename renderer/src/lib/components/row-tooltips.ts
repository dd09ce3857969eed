// Tooltips for the clipped cells of a virtualized list, set when the pointer is over a cell instead of on every
// row: a cell marked `data-tip` gets its whole text as its `title` while hovered.
//
// Why not a `title` per row: Chromium's own stylesheet has an `abbr[title]` rule, so every change of any element's
// `title` restyles that element. A recycled row rewrote two titles a frame while scrolling, ~20 restyled cells a frame
// (Chromium trace, invalidation tracking; docs/benchmarks-history.md "Number list frames", fourth pass). Here one cell at most
// has a title, and a scroll takes it away (the element under the pointer may now show another row), so a tooltip
// never shows a row that scrolled away.
// A list whose rows are lines of text (no cell elements) passes `tipAt` instead: the row under the pointer gets the
// tooltip of the column under it, found from the pointer's x.

/** The tooltip of row `index` (its element `row`) at the pointer's `clientX`, if any. */
export type TipAt = (index: number, row: HTMLElement, clientX: number) => string | undefined;

/** Handles tooltips for the rows inside `scroller`; returns the cleanup. */
export function rowTooltips(scroller: HTMLElement, tipAt?: TipAt): () => void {
  let tipped: HTMLElement | null = null;
  const untip = () => {
    tipped?.removeAttribute('title');
    tipped = null;
  };
  const tip = (el: HTMLElement | null, text: string | undefined) => {
    if (el === tipped && el?.title === text) return;
    untip();
    if (el && text) {
      el.title = text;
      tipped = el;
    }
  };
  const onOver = (e: PointerEvent) => {
    const cell = e.target instanceof Element ? e.target.closest<HTMLElement>('[data-tip]') : null;
    tip(cell, cell?.textContent?.trim());
  };
  const onMove = (e: PointerEvent) => {
    const row = e.target instanceof Element ? e.target.closest<HTMLElement>('[data-index]') : null;
    tip(row, row && tipAt ? tipAt(Number(row.dataset.index), row, e.clientX)?.trim() : undefined);
  };
  const onScroll = () => {
    if (tipped) untip();
  };
  const onPointer = tipAt ? onMove : onOver;
  const kind = tipAt ? 'pointermove' : 'pointerover';
  scroller.addEventListener(kind, onPointer, { passive: true });
  scroller.addEventListener('scroll', onScroll, { passive: true });
  return () => {
    scroller.removeEventListener(kind, onPointer);
    scroller.removeEventListener('scroll', onScroll);
    untip();
  };
}

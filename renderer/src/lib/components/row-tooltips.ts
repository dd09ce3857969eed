// Tooltips for the clipped cells of a virtualized list, set when the pointer is over a cell instead of on every
// row: a cell marked `data-tip` gets its whole text as its `title` while hovered.
//
// Why not a `title` per row: Chromium's own stylesheet has an `abbr[title]` rule, so every change of any element's
// `title` restyles that element. A recycled row rewrote two titles a frame while scrolling, ~20 restyled cells a frame
// (Chromium trace, invalidation tracking; docs/benchmarks-history.md "Number list frames", fourth pass). Here one cell at most
// has a title, and a scroll takes it away (the element under the pointer may now show another row), so a tooltip
// never shows a row that scrolled away.

/** Handles tooltips for the rows inside `scroller`; returns the cleanup. */
export function rowTooltips(scroller: HTMLElement): () => void {
  let tipped: HTMLElement | null = null;
  const untip = () => {
    tipped?.removeAttribute('title');
    tipped = null;
  };
  const onOver = (e: PointerEvent) => {
    const cell = e.target instanceof Element ? e.target.closest<HTMLElement>('[data-tip]') : null;
    if (cell === tipped) return;
    untip();
    const text = cell?.textContent?.trim();
    if (cell && text) {
      cell.title = text;
      tipped = cell;
    }
  };
  const onScroll = () => {
    if (tipped) untip();
  };
  scroller.addEventListener('pointerover', onOver, { passive: true });
  scroller.addEventListener('scroll', onScroll, { passive: true });
  return () => {
    scroller.removeEventListener('pointerover', onOver);
    scroller.removeEventListener('scroll', onScroll);
    untip();
  };
}

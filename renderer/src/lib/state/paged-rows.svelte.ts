// A page cache for a long remote list shown in a VirtualList: rows are fetched from the core in pages for the
// visible range only, at most `maxPages` pages are kept, stale answers (after reset) are dropped. A reset of the
// same query (the list changed elsewhere) keeps showing the rows it had until their pages are read again.
import type { ErrorValue, Result } from '../../../../electron/shared/result.ts';

export interface Page<T> {
  rows: T[];
  /** Total rows matching the current filter. */
  total: number;
}

export type FetchPage<T> = (offset: number, limit: number) => Promise<Result<Page<T>>>;

export class PagedRows<T> {
  /** Bumped whenever a page arrives or the cache is reset; `get` reads it so rows re-render. */
  version = $state(0);
  count = $state(0);
  loaded = $state(false);
  error = $state.raw<ErrorValue | null>(null);
  // Plain collections on purpose: `version` is the one reactive signal, bumped once per arrived page.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pages = new Map<number, T[]>();
  // Pages from before a `reset({ keep: true })`, shown until their page is read again (never asked for themselves).
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #stale = new Map<number, T[]>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #inflight = new Set<number>();
  #generation = 0;
  #lastRange: [number, number] = [0, 0];
  #fetch: FetchPage<T>;
  readonly pageSize: number;
  readonly maxPages: number;
  readonly #countFromPages: boolean;

  /** `countFromPages: false` when the caller knows the count better (set `count` itself). */
  constructor(fetch: FetchPage<T>, opts: { pageSize?: number; maxPages?: number; countFromPages?: boolean } = {}) {
    this.#fetch = fetch;
    this.pageSize = opts.pageSize ?? 200;
    this.maxPages = opts.maxPages ?? 60;
    this.#countFromPages = opts.countFromPages ?? true;
  }

  /** The row at `index`, or undefined while its page loads. */
  get(index: number): T | undefined {
    void this.version;
    const page = Math.floor(index / this.pageSize);
    return (this.#pages.get(page) ?? this.#stale.get(page))?.[index % this.pageSize];
  }

  /**
   * Makes sure the pages covering [start, end] are loaded or loading. While the range moves steadily (less than a
   * page per call), the next page in that direction is requested as soon as the range enters a page, a whole page
   * before the view reaches it: rows scrolled into view already have their data, and the page arrives while its
   * rows are off screen, so its arrival re-renders nothing. (Half a page ahead was too little on a busy machine:
   * at 20 rows a frame the view reached the page first, showed 'loading…' and redrew the rows when it came.)
   */
  ensure(start: number, end: number): void {
    const [prevStart] = this.#lastRange;
    this.#lastRange = [start, end];
    const first = Math.floor(Math.max(0, start) / this.pageSize);
    const last = Math.floor(Math.max(0, end) / this.pageSize);
    for (let p = first; p <= last; p++) this.#want(p);
    const moved = start - prevStart;
    let ahead = -1;
    if (moved > 0 && moved < this.pageSize) ahead = last + 1;
    else if (moved < 0 && -moved < this.pageSize) ahead = first - 1;
    if (ahead >= 0 && ahead * this.pageSize < this.count) this.#want(ahead);
  }

  #want(page: number): void {
    if (!this.#pages.has(page) && !this.#inflight.has(page)) void this.#load(page);
  }

  /**
   * Drops every cached page and reloads the range last passed to `ensure`: the rows in view. A view that stays where
   * it is never asks again (its range did not change), so reloading anything else (e.g. the first rows) left its
   * rows 'loading' for good; a view that moves (a new filter starts at the top) asks for its own range.
   *
   * `keep`: the query is the same and only its rows may have changed (the list was changed elsewhere, an import
   * ended). The rows shown stay until their page is read again, then each is written once with what is stored now:
   * blanking them to 'loading' first made every open view flash on every change by another process (or the import's
   * worker connection, noticed up to a poll later) and rewrote each row twice. Without it (another list or filter),
   * the old rows belong to another query and are dropped.
   */
  reset(opts: { keep?: boolean } = {}): void {
    this.#generation++;
    if (!opts.keep) this.#stale.clear();
    else if (this.#pages.size > 0) this.#stale = this.#pages;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- plain on purpose, as above
    this.#pages = new Map();
    this.#inflight.clear();
    if (!opts.keep) this.version++;
    this.ensure(...this.#lastRange);
  }

  /** Reloads the pages currently in view (e.g. results of a running job changed), keeping the rest. */
  refreshVisible(): void {
    const [start, end] = this.#lastRange;
    const first = Math.floor(start / this.pageSize);
    const last = Math.floor(end / this.pageSize);
    for (let p = first; p <= last; p++) if (!this.#inflight.has(p)) void this.#load(p);
  }

  async #load(page: number): Promise<void> {
    const gen = this.#generation;
    this.#inflight.add(page);
    const r = await this.#fetch(page * this.pageSize, this.pageSize);
    if (gen !== this.#generation) return;
    this.#inflight.delete(page);
    if (!r.ok) {
      this.error = r.error;
      return;
    }
    this.error = null;
    this.#pages.set(page, r.value.rows);
    this.#stale.delete(page);
    const countChanged = this.#countFromPages && this.count !== r.value.total;
    if (this.#countFromPages) this.count = r.value.total;
    this.loaded = true;
    this.#evict();
    // Rows re-render only when the page holds rows on screen (or the count moved): during fast scrolling or jumps,
    // pages asked for earlier arrive after the view has moved on, and re-running every row's template for them
    // cost frames. A row scrolled onto such a page later reads it when its index changes.
    if (countChanged || this.#inRange(page)) this.version++;
  }

  /** Whether `page` holds rows of the range last passed to `ensure` (the rendered rows). */
  #inRange(page: number): boolean {
    const [start, end] = this.#lastRange;
    return page >= Math.floor(start / this.pageSize) && page <= Math.floor(end / this.pageSize);
  }

  /** Keeps the pages nearest to the visible range. */
  #evict(): void {
    if (this.#pages.size <= this.maxPages) return;
    const mid = Math.floor((this.#lastRange[0] + this.#lastRange[1]) / 2 / this.pageSize);
    const far = [...this.#pages.keys()].sort((a, b) => Math.abs(b - mid) - Math.abs(a - mid));
    for (const p of far.slice(0, this.#pages.size - this.maxPages)) this.#pages.delete(p);
  }
}

// Page object of the Number lists screen: import (file, drop, paste), counts, verdict filter, rows.
import type { Locator, Page } from 'playwright-core';
import { COLUMNS, fit } from '../../../renderer/src/lib/components/numbers/row-line.ts';

// These callbacks run in the page; the node tsconfig has no DOM lib, so declare the little they use.
interface El {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(sel: string): El | null;
}
declare const document: { querySelectorAll(sel: string): Iterable<El> & ArrayLike<El>; querySelector(sel: string): El | null };
declare const DataTransfer: { new (): { items: { add(f: unknown): void } } };
declare const File: new (parts: string[], name: string, opts: { type: string }) => unknown;

export type Counts = { total: number; valid: number; invalid: number; duplicate: number };
/** The values a row shows (as cut to their columns, trimmed). */
export type ShownRow = { line: string; raw: string; e164: string; verdict: string; note: string };

const [LINE, RAW, E164, VERDICT] = COLUMNS.map((c) => c.width) as [number, number, number, number];
/** A row drawn while its data loads: its text, as written into the page (a row is one line of text, row-line.ts). */
const PLACEHOLDER = /^…\s+loading\s*$/;

export class NumbersPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByRole('link', { name: 'Number lists' }).click();
    await this.page.getByRole('heading', { name: 'Number lists', level: 1 }).waitFor();
  }

  async startImport(): Promise<void> {
    await this.page.getByRole('button', { name: 'Import numbers…' }).first().click();
    await this.page.getByRole('heading', { name: 'Import numbers' }).waitFor();
  }

  async chooseFile(path: string): Promise<void> {
    await this.page.getByTestId('file-input').setInputFiles(path);
    await this.columnPicker.waitFor();
  }

  /** Picks a file made in memory (large generated lists). */
  async chooseGeneratedFile(name: string, content: string): Promise<void> {
    await this.page.getByTestId('file-input').setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(content) });
    await this.columnPicker.waitFor();
  }

  /** Drops a file with this name and content on the drop zone, as a drag from the desktop would. */
  async dropFile(name: string, content: string): Promise<void> {
    const dataTransfer = await this.page.evaluateHandle(
      ([n, c]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([c], n, { type: 'text/csv' }));
        return dt;
      },
      [name, content] as const,
    );
    await this.page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
    await this.columnPicker.waitFor();
  }

  async paste(text: string): Promise<void> {
    await this.page.getByLabel('…or paste numbers (one per line, or CSV)').fill(text);
  }

  get columnPicker(): Locator {
    return this.page.getByTestId('column-picker');
  }

  /** The column chosen in the picker (1-based). */
  async chosenColumn(): Promise<number> {
    return Number(await this.columnPicker.locator('input[type=radio]:checked').getAttribute('value'));
  }

  async setName(name: string): Promise<void> {
    await this.page.getByLabel('List name').fill(name);
  }

  async setCountry(code: string): Promise<void> {
    await this.page.getByLabel('Default country').fill(code);
  }

  async submitImport(): Promise<void> {
    await this.page.getByRole('button', { name: 'Import', exact: true }).click();
    await this.page.getByTestId('list-detail').waitFor();
  }

  async waitUntilReady(): Promise<void> {
    await this.page.getByTestId('list-state').filter({ hasText: /^ready$/ }).waitFor();
  }

  async waitUntilImporting(): Promise<void> {
    await this.page.getByTestId('list-state').filter({ hasText: /^importing$/ }).waitFor();
  }

  /** Scrolls the row list to its end and returns the source line of the last row shown. */
  async scrollToEnd(): Promise<number> {
    await this.rowsScroller.evaluate((el) => {
      const s = el as unknown as { scrollTop: number; scrollHeight: number };
      s.scrollTop = s.scrollHeight;
    });
    const count = Number(await this.rowsScroller.getAttribute('data-count'));
    const last = this.page.locator(`[data-index="${count - 1}"]`).getByTestId('number-row');
    await last.waitFor();
    return Number((await this.shownRow(count - 1)).line);
  }

  /**
   * The values row `index` shows, read from its line of text by the columns' widths (a value that is not plain ASCII
   * is in a box of its own, read from that box).
   */
  async shownRow(index: number): Promise<ShownRow> {
    const { text, wide } = await this.page
      .locator(`[data-index="${index}"]`)
      .getByTestId('number-row')
      .evaluate((el) => {
        const e = el as unknown as El;
        return { text: e.textContent ?? '', wide: e.querySelector('.wide')?.textContent ?? null };
      });
    const raw = wide ?? text.slice(LINE, LINE + RAW);
    const rest = text.slice(LINE + raw.length);
    const cut = [text.slice(0, LINE), raw, rest.slice(0, E164), rest.slice(E164, E164 + VERDICT), rest.slice(E164 + VERDICT)];
    const [line, r, e164, verdict, note] = cut.map((v) => v.trim()) as [string, string, string, string, string];
    return { line, raw: r, e164, verdict, note };
  }

  /**
   * How the rendered rows are laid out: their indices top to bottom on screen, their indices in the order the list
   * gives assistive technology (aria-owns), and how many boxes inside the list are paint layers of their own
   * (positioned, transformed, or with layout/paint containment: each one Chromium walks on every frame), and how many
   * boxes the first row is made of (elements that are laid out: each one costs layout and paint when a row recycles),
   * and how many rows the view can show at once (rows cut at both edges counted).
   */
  async rowLayout(): Promise<{ onScreen: number[]; announced: number[]; layers: number; boxesPerRow: number; inView: number }> {
    return this.rowsScroller.evaluate((scroller) => {
      type Box = { dataset: { index?: string }; id: string; getBoundingClientRect(): { top: number; height: number }; querySelectorAll(s: string): ArrayLike<unknown> };
      const el = scroller as unknown as { clientHeight: number; querySelector(s: string): { getAttribute(n: string): string | null; querySelectorAll(s: string): ArrayLike<Box> } };
      const view = globalThis as unknown as { getComputedStyle(e: unknown): { position: string; transform: string; contain: string; display: string } };
      const list = el.querySelector('[role="list"]');
      const rows = Array.from(list.querySelectorAll('[data-index]'));
      const byId = new Map(rows.map((r) => [r.id, Number(r.dataset.index)]));
      const onScreen = [...rows].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).map((r) => Number(r.dataset.index));
      const announced = (list.getAttribute('aria-owns') ?? '').split(' ').map((id) => byId.get(id) ?? -1);
      const layers = Array.from(list.querySelectorAll('*')).filter((e) => {
        const s = view.getComputedStyle(e);
        return s.position !== 'static' || s.transform !== 'none' || /layout|paint|strict|content/.test(s.contain);
      }).length;
      const boxesPerRow = 1 + Array.from(rows[0]!.querySelectorAll('*')).filter((e) => !['contents', 'none'].includes(view.getComputedStyle(e).display)).length;
      const inView = Math.ceil(el.clientHeight / rows[0]!.getBoundingClientRect().height) + 1;
      return { onScreen, announced, layers, boxesPerRow, inView };
    });
  }

  /**
   * Jumps the list to row `index` (as a dragged scrollbar does) and waits until that row shows its data. Returns what
   * the list wrote on the way: texts written into its rows that are a loading placeholder ('loading', '…'), and
   * whether it said it was busy (aria-busy) in between. `during` runs right after the jump (e.g. a change noticed then).
   */
  async jumpTo(index: number, during?: () => void): Promise<{ placeholders: number; busy: boolean }> {
    await this.rowsScroller.evaluate((scroller, [i, placeholder]) => {
      type Rec = { type: string; attributeName: string | null; target: { nodeValue: string | null; getAttribute?(n: string): string | null } };
      const w = globalThis as unknown as { MutationObserver: new (cb: (ms: Rec[]) => void) => { observe(n: unknown, o: object): void }; jumpSeen: { placeholders: number; busy: boolean } };
      const el = scroller as unknown as { scrollTop: number; querySelector(s: string): unknown };
      const seen = { placeholders: 0, busy: false };
      w.jumpSeen = seen;
      new w.MutationObserver((ms) => {
        for (const m of ms) {
          if (m.type === 'characterData' && new RegExp(placeholder).test(m.target.nodeValue ?? '')) seen.placeholders++;
          if (m.attributeName === 'aria-busy' && m.target.getAttribute?.('aria-busy') === 'true') seen.busy = true;
        }
      }).observe(el.querySelector('[role="list"]'), { subtree: true, characterData: true, attributes: true, attributeFilter: ['aria-busy'] });
      el.scrollTop = i * 28;
    }, [index, PLACEHOLDER.source] as const);
    during?.();
    await this.page.locator(`[data-index="${index}"]`).getByTestId('number-row').waitFor();
    return this.page.evaluate(() => (globalThis as unknown as { jumpSeen: { placeholders: number; busy: boolean } }).jumpSeen);
  }

  /**
   * Scrolls the list down by `rowsPerFrame` rows in each of `frames` animation frames (as a fast wheel or the bench
   * does), waits until the rows in view show their data, and returns what was written into the rows on the way: the
   * names of the attributes set or removed (any element inside the list, chunks included) and how many texts.
   */
  async scrollWrites(rowsPerFrame: number, frames: number): Promise<{ attributes: string[]; texts: number }> {
    const end = await this.rowsScroller.evaluate(async (scroller, [step, n]) => {
      type Rec = { type: string; attributeName: string | null };
      const w = globalThis as unknown as {
        MutationObserver: new (cb: (ms: Rec[]) => void) => { observe(n: unknown, o: object): void };
        requestAnimationFrame(cb: () => void): void;
        scrollSeen: { attributes: string[]; texts: number };
      };
      const el = scroller as unknown as { scrollTop: number; querySelector(s: string): unknown };
      const seen = { attributes: [] as string[], texts: 0 };
      w.scrollSeen = seen;
      new w.MutationObserver((ms) => {
        for (const m of ms) {
          if (m.type === 'characterData') seen.texts++;
          else if (m.attributeName && !seen.attributes.includes(m.attributeName)) seen.attributes.push(m.attributeName);
        }
      }).observe(el.querySelector('[role="list"]'), { subtree: true, characterData: true, attributes: true });
      for (let f = 0; f < n; f++) {
        el.scrollTop += step * 28;
        await new Promise<void>((r) => w.requestAnimationFrame(r));
      }
      return Math.floor(el.scrollTop / 28);
    }, [rowsPerFrame, frames] as const);
    await this.page.locator(`[data-index="${end}"]`).getByTestId('number-row').waitFor();
    // Mutation records are delivered after the task that made them: one more frame, then read.
    await this.page.evaluate(() => new Promise((r) => (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() => setTimeout(r, 0))));
    return this.page.evaluate(() => (globalThis as unknown as { scrollSeen: { attributes: string[]; texts: number } }).scrollSeen);
  }

  /**
   * Leaps the list through `through` (one row index a frame, as a dragged scrollbar does), stops at row `stop` and
   * waits until it shows its data.
   */
  async dragThrough(through: number[], stop: number): Promise<void> {
    await this.rowsScroller.evaluate(async (scroller, rows) => {
      const w = globalThis as unknown as { requestAnimationFrame(cb: () => void): void };
      const el = scroller as unknown as { scrollTop: number };
      for (const i of rows) {
        el.scrollTop = i * 28;
        await new Promise<void>((r) => w.requestAnimationFrame(r));
      }
    }, [...through, stop]);
    await this.page.locator(`[data-index="${stop}"]`).getByTestId('number-row').waitFor();
  }

  /**
   * Hovers the as-written value of row `index` (its first character, found by a Range over the row's text or the box
   * it is in) and returns the value shown and the row's tooltip.
   */
  async hoverRawCell(index: number): Promise<{ text: string; tooltip: string | null }> {
    const row = this.page.locator(`[data-index="${index}"]`);
    const at = await row.getByTestId('number-row').evaluate((el, start) => {
      type Rect = { left: number; top: number; height: number };
      type Node = { nodeType: number; length: number };
      const cells = el as unknown as { childNodes: ArrayLike<Node>; querySelector(s: string): { getBoundingClientRect(): Rect } | null };
      const d = globalThis as unknown as { document: { createRange(): { setStart(n: Node, o: number): void; setEnd(n: Node, o: number): void; getBoundingClientRect(): Rect } } };
      const wide = cells.querySelector('.wide');
      let box: Rect;
      if (wide) box = wide.getBoundingClientRect();
      else {
        const text = Array.from(cells.childNodes).find((n) => n.nodeType === 3 && n.length > start)!;
        const range = d.document.createRange();
        range.setStart(text, start);
        range.setEnd(text, start + 1);
        box = range.getBoundingClientRect();
      }
      return { x: box.left + 2, y: box.top + box.height / 2 };
    }, LINE);
    await this.page.mouse.move(at.x, at.y);
    return { text: (await this.shownRow(index)).raw, tooltip: await row.getAttribute('title') };
  }

  /**
   * Tooltips in the row list that are not a value of the row they are on, as the row shows it (a row recycled under a
   * stationary pointer): a tooltip is a row's whole as-written value or note.
   */
  async staleTooltips(): Promise<string[]> {
    const tipped = await this.rowsScroller.locator('[title]').evaluateAll((els) =>
      els.map((e) => ({ title: e.getAttribute('title') ?? '', index: Number(e.getAttribute('data-index')) })),
    );
    const stale: string[] = [];
    for (const { title, index } of tipped) {
      const shown = await this.shownRow(index);
      if (fit(title, RAW).trim() !== shown.raw && fit(title, COLUMNS[4]!.width, false).trim() !== shown.note) stale.push(`${title} on row ${index} '${shown.raw}'`);
    }
    return stale;
  }

  /**
   * Where the E.164 column starts (x in px) in row `index` and in the header: the left edge of the first character
   * after the as-written value (a Range over the row's text; after the as-written box when the row has one).
   */
  async e164Left(index: number | 'header'): Promise<number> {
    const el = index === 'header' ? this.page.getByTestId('rows-header') : this.page.locator(`[data-index="${index}"]`).getByTestId('number-row');
    return el.evaluate(
      (e, [lead, wideLead]) => {
        type Node = { nodeType: number; length: number; previousSibling: Node | null; className?: string };
        const cells = e as unknown as { childNodes: ArrayLike<Node> };
        const d = globalThis as unknown as { document: { createRange(): { setStart(n: Node, o: number): void; setEnd(n: Node, o: number): void; getBoundingClientRect(): { left: number } } } };
        const texts = Array.from(cells.childNodes).filter((n) => n.nodeType === 3 && n.length > 0);
        const afterWide = Array.from(cells.childNodes).findIndex((n) => /\bwide\b/.test(n.className ?? ''));
        const [node, at] = afterWide >= 0 ? [Array.from(cells.childNodes).slice(afterWide).find((n) => n.nodeType === 3)!, wideLead] : [texts[0]!, lead];
        const range = d.document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 1);
        return range.getBoundingClientRect().left;
      },
      [LINE + RAW, 0] as const,
    );
  }

  /** Drags the mouse across the text of rows `from` to `to` (from the first one's start to the last one's end) and
   *  returns the selected text, as a copy would take it. */
  async selectRows(from: number, to: number): Promise<string> {
    const a = (await this.page.locator(`[data-index="${from}"]`).boundingBox())!;
    const b = (await this.page.locator(`[data-index="${to}"]`).boundingBox())!;
    await this.page.mouse.move(a.x + 2, a.y + a.height / 2);
    await this.page.mouse.down();
    await this.page.mouse.move(b.x + b.width - 2, b.y + b.height / 2, { steps: 5 });
    await this.page.mouse.up();
    return this.page.evaluate(() => String((globalThis as unknown as { getSelection(): unknown }).getSelection()));
  }

  /** How many elements in the row list have a tooltip (`title`). */
  async tooltipsInList(): Promise<number> {
    return this.rowsScroller.locator('[title]').count();
  }

  /**
   * Runs `change` (which stores a new text for row `index` elsewhere), waits until the row shows `text`, and returns
   * whether any row of the list was blanked to 'loading' on the way.
   */
  async rowChanged(index: number, text: string, change: () => void | Promise<void>): Promise<{ wentLoading: boolean }> {
    await this.rowsScroller.evaluate((scroller, placeholder) => {
      type Rec = { type: string; target: { nodeValue: string | null } };
      const w = globalThis as unknown as { MutationObserver: new (cb: (ms: Rec[]) => void) => { observe(n: unknown, o: object): void }; changeSeen: { wentLoading: boolean } };
      const seen = { wentLoading: false };
      w.changeSeen = seen;
      new w.MutationObserver((ms) => {
        for (const m of ms) if (m.type === 'characterData' && new RegExp(placeholder).test(m.target.nodeValue ?? '')) seen.wentLoading = true;
      }).observe((scroller as unknown as { querySelector(s: string): unknown }).querySelector('[role="list"]'), { subtree: true, characterData: true });
    }, PLACEHOLDER.source);
    await change();
    // The row shows the new value as its column shows it (cut with '…' when longer).
    const shown = fit(text, RAW).trim();
    await this.page.waitForFunction(
      ([i, want, from, to]) => {
        const row = document.querySelector(`[data-index="${i}"] [data-testid="number-row"]`);
        const raw = row && (row.querySelector('.wide')?.textContent ?? (row.textContent ?? '').slice(from, to));
        return raw?.trim() === want;
      },
      [index, shown, LINE, LINE + RAW] as const,
    );
    return this.page.evaluate(() => (globalThis as unknown as { changeSeen: { wentLoading: boolean } }).changeSeen);
  }


  async counts(): Promise<Counts> {
    const read = async (id: string) => Number((await this.page.getByTestId(id).textContent())!.replace(/[^\d]/g, ''));
    return { total: await read('count-total'), valid: await read('count-valid'), invalid: await read('count-invalid'), duplicate: await read('count-duplicate') };
  }

  async filter(label: 'All' | 'Valid' | 'Invalid' | 'Duplicates'): Promise<void> {
    await this.page.getByRole('radiogroup', { name: 'Show rows' }).getByText(label, { exact: false }).first().click();
  }

  get rowsScroller(): Locator {
    return this.page.getByTestId('number-rows');
  }

  get rows(): Locator {
    return this.page.getByTestId('number-row');
  }

  /** Waits until the list shows exactly `n` loaded rows, all with this verdict (when given). */
  async waitForRows(n: number, verdict?: string): Promise<void> {
    await this.page.waitForFunction(
      ([count, v]) => {
        const rows = [...document.querySelectorAll('[data-testid="number-row"]')];
        return rows.length === count && (!v || rows.every((r) => r.getAttribute('data-verdict') === v));
      },
      [n, verdict ?? ''] as const,
    );
  }

  async rowTexts(): Promise<string[]> {
    return this.rows.allInnerTexts();
  }
}

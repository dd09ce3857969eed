// Number lists as the core reports them, kept live from 'numbers.importProgress'; the selected list's rows in
// a page cache for the virtual list; preview/import of files (sent in slices) or pasted text; export of the
// invalid rows.
import type { NumberListView, NumberRowView, Verdict } from '../../../../electron/shared/contract/numbers.ts';
import type { ErrorValue } from '../../../../electron/shared/result.ts';
import { call, on, onConnectionState } from '../api.ts';
import { PagedRows } from './paged-rows.svelte.ts';

export type VerdictFilter = Verdict | 'all';

/** How much of a file the preview reads: enough rows for the column picker, never the whole file. */
const PREVIEW_CHARS = 64 * 1024;
// Rows per numbers.exportText page: large enough for few round trips, small enough to keep each message short.
const EXPORT_PAGE = 20_000;
/** Bytes of a file sent per numbers.importChunk call: memory stays bounded on both sides whatever the size. */
export const UPLOAD_SLICE_BYTES = 4 * 1024 * 1024;

export function previewSlice(text: string): string {
  if (text.length <= PREVIEW_CHARS) return text;
  const cut = text.lastIndexOf('\n', PREVIEW_CHARS);
  return text.slice(0, cut > 0 ? cut : PREVIEW_CHARS);
}

/** The first rows of a file, read without loading the rest (a multi-byte character cut at the end is dropped). */
export async function fileHead(file: Blob): Promise<string> {
  const text = new TextDecoder().decode(await file.slice(0, PREVIEW_CHARS * 2).arrayBuffer(), { stream: true });
  return file.size <= PREVIEW_CHARS * 2 ? text : previewSlice(text);
}

export function countFor(list: NumberListView, filter: VerdictFilter): number {
  return filter === 'all' ? list.total : list[filter];
}

class NumbersState {
  lists = $state.raw<NumberListView[]>([]);
  loaded = $state(false);
  error = $state.raw<ErrorValue | null>(null);
  selectedId = $state<string | null>(null);
  /** The last progress event per list id (bytes read, for the progress bar; seeded when an import starts). */
  progress = $state.raw<Record<string, { bytes?: number | undefined; totalBytes?: number | undefined }>>({});
  filter = $state<VerdictFilter>('all');
  /**
   * Rows of the selected list under the current filter. The list's counts (live from progress events) give the
   * row count, because a page's total lags behind during an import.
   */
  rows = new PagedRows<NumberRowView>(async (offset, limit) => {
    const list = this.selectedId;
    if (!list) return { ok: true, value: { rows: [], total: 0 } };
    const verdict = this.filter === 'all' ? undefined : this.filter;
    return call('numbers.rows', { list, offset, limit, ...(verdict ? { verdict } : {}) });
  }, { pageSize: 250, countFromPages: false });

  selected = $derived(this.lists.find((l) => l.id === this.selectedId) ?? null);

  constructor() {
    on('numbers.importProgress', (p) => {
      if (p.removed) {
        // Refused before any row was stored: the core removed the list; say why instead of keeping an empty one.
        this.drop(p.listId);
        this.error = { code: 'import_failed', message: `Importing '${p.name}' failed: ${p.error ?? 'it was refused.'} Nothing was kept.` };
        return;
      }
      this.progress = { ...this.progress, [p.listId]: { bytes: p.bytes, totalBytes: p.totalBytes } };
      const i = this.lists.findIndex((l) => l.id === p.listId);
      if (i < 0) {
        void this.load();
        return;
      }
      const prev = this.lists[i]!;
      const next: NumberListView = {
        ...prev,
        state: p.state,
        total: p.total,
        valid: p.valid,
        invalid: p.invalid,
        duplicate: p.duplicate,
        ...(p.error ? { error: p.error } : {}),
      };
      this.lists = this.lists.map((l, j) => (j === i ? next : l));
      if (p.listId === this.selectedId) {
        this.rows.count = countFor(next, this.filter);
        if (p.state !== 'importing') {
          void this.refreshOne(p.listId);
          this.rows.reset({ keep: true });
        } else this.rows.refreshVisible();
      }
    });
    // Lists added, edited or removed elsewhere (another process on the data folder, another window).
    on('numbers.listsChanged', ({ listIds }) => {
      void this.load();
      if (this.selectedId && listIds.includes(this.selectedId)) this.rows.reset({ keep: true });
    });
    onConnectionState((s) => {
      if (s === 'open') void this.load();
    });
  }

  async load(): Promise<void> {
    const r = await call('numbers.lists', {});
    if (r.ok) {
      this.lists = r.value;
      this.error = null;
      if (!this.selectedId && r.value.length) this.select(r.value[0]!.id);
    } else this.error = r.error;
    this.loaded = true;
  }

  async refreshOne(id: string): Promise<void> {
    const r = await call('numbers.get', { list: id });
    if (r.ok) this.put(r.value);
  }

  put(list: NumberListView): void {
    const i = this.lists.findIndex((l) => l.id === list.id);
    this.lists = i < 0 ? [list, ...this.lists] : this.lists.map((l) => (l.id === list.id ? list : l));
  }

  select(id: string | null): void {
    this.selectedId = id;
    this.filter = 'all';
    this.resetRows();
  }

  setFilter(f: VerdictFilter): void {
    this.filter = f;
    this.resetRows();
  }

  private resetRows(): void {
    const list = this.selected;
    this.rows.count = list ? countFor(list, this.filter) : 0;
    this.rows.reset();
  }

  /** Previews the first rows of pasted text or of a file's head (see fileHead). */
  preview(args: { text: string; country: string; column?: number | undefined; hasHeader?: boolean | undefined }) {
    return call('numbers.preview', {
      text: previewSlice(args.text),
      country: args.country,
      ...(args.column ? { column: args.column } : {}),
      ...(args.hasHeader !== undefined ? { hasHeader: args.hasHeader } : {}),
    });
  }

  /**
   * Starts an import; the list appears at once and fills in from progress events. A file is sent in slices
   * (numbers.importBegin → importChunk… → importEnd) after this resolves, so its size never matters; pasted
   * text goes whole through numbers.import.
   */
  async import(args: {
    name: string;
    text?: string | undefined;
    file?: File | undefined;
    country: string;
    column?: number | undefined;
    hasHeader?: boolean | undefined;
  }): Promise<ErrorValue | null> {
    const layout = { ...(args.column ? { column: args.column } : {}), ...(args.hasHeader !== undefined ? { hasHeader: args.hasHeader } : {}) };
    const file = args.file;
    const r = file
      ? await call('numbers.importBegin', { name: args.name, fileName: file.name, country: args.country, totalBytes: file.size, ...layout })
      : await call('numbers.import', { name: args.name, text: args.text ?? '', country: args.country, ...layout });
    if (!r.ok) return r.error;
    const id = r.value.listId;
    const totalBytes = file ? file.size : new TextEncoder().encode(args.text ?? '').length;
    if (!this.progress[id]) this.progress = { ...this.progress, [id]: { bytes: 0, totalBytes } };
    const got = await call('numbers.get', { list: id });
    if (got.ok) this.put(got.value);
    else await this.load();
    this.select(id);
    if (file) void this.upload(id, file);
    return null;
  }

  /** Sends a file in order, one slice at a time (each call resolves when the core has room for the next). */
  private async upload(id: string, file: File): Promise<void> {
    const decoder = new TextDecoder();
    let index = 0;
    const send = async (text: string): Promise<boolean> => {
      if (text === '') return true;
      const r = await call('numbers.importChunk', { list: id, index: index++, text });
      if (r.ok) return true;
      // A cancelled import refuses further parts: that is not an error to show.
      if (this.lists.find((l) => l.id === id)?.state === 'importing') {
        this.error = r.error;
        void this.cancelImport(id);
      }
      return false;
    };
    try {
      for (let at = 0; at < file.size; at += UPLOAD_SLICE_BYTES) {
        const bytes = await file.slice(at, at + UPLOAD_SLICE_BYTES).arrayBuffer();
        if (!(await send(decoder.decode(bytes, { stream: true })))) return;
      }
      if (!(await send(decoder.decode()))) return;
    } catch (e) {
      this.error = { code: 'read_failed', message: `Could not read ${file.name}: ${(e as Error).message}` };
      void this.cancelImport(id);
      return;
    }
    const end = await call('numbers.importEnd', { list: id });
    if (!end.ok) this.error = end.error;
  }

  async cancelImport(id: string): Promise<ErrorValue | null> {
    const r = await call('numbers.cancelImport', { list: id });
    return r.ok ? null : r.error;
  }

  async remove(id: string): Promise<ErrorValue | null> {
    const r = await call('numbers.remove', { list: id });
    if (!r.ok) return r.error;
    this.drop(id);
    return null;
  }

  /** Forgets a list the core no longer has. */
  private drop(id: string): void {
    this.lists = this.lists.filter((l) => l.id !== id);
    if (this.selectedId === id) this.select(this.lists[0]?.id ?? null);
  }

  async setCountry(id: string, country: string): Promise<ErrorValue | null> {
    const r = await call('numbers.editRows', { list: id, country });
    if (!r.ok) return r.error;
    this.put(r.value);
    if (id === this.selectedId) this.resetRows();
    return null;
  }

  /**
   * The invalid rows as the CSV that `carrier-desk numbers export --invalid` writes, fetched in pages through
   * numbers.exportText (numbers.export writes a file on the core's side, which a browser cannot download).
   */
  async invalidCsv(id: string, onProgress: (done: number, total: number) => void): Promise<{ ok: true; parts: string[]; rows: number } | { ok: false; error: ErrorValue }> {
    const parts: string[] = [];
    let rows = 0;
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const r = await call('numbers.exportText', { list: id, only: 'invalid', offset, limit: EXPORT_PAGE });
      if (!r.ok) return { ok: false, error: r.error };
      const page: { csv: string; rows: number; total: number; nextOffset?: number } = r.value;
      parts.push(page.csv);
      rows += page.rows;
      onProgress(rows, page.total);
      offset = page.rows > 0 ? page.nextOffset : undefined;
    }
    return { ok: true, parts, rows };
  }
}

export const numbers = new NumbersState();

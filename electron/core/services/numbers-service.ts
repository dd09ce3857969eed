// Use cases for number lists: preview/import (in a worker), paging, edits, export, delete.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { CoreContext } from '../context.ts';
import type { ParsedArgsOf } from '../../shared/contract.ts';
import type { ImportHandle, ImportPreview, NumberListView, NumberRowsPage, NumberRowView } from '../../shared/contract/numbers.ts';
import { NumberListsRepo, type NumberListRow, type ListRowRecord } from '../db/repos/number-lists-repo.ts';
import { AppError, NotFoundLocalError, UserInputError, toErrorValue } from '../errors.ts';
import { layoutOf, type Progress, type TextSource } from '../numbers/pipeline.ts';
import { createNormalizer, isCountry } from '../numbers/normalize.ts';
import { runNumbersTask, type RunningTask } from '../numbers/worker-host.ts';
import { count } from '../../shared/plural.ts';
import { EXPORT_HEADER, exportLine } from '../numbers/export-csv.ts';
import type { WorkerRequest, WorkerResult } from '../numbers/worker.ts';

/** A map that forgets its oldest entries beyond `max`. */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }
  override set(k: K, v: V): this {
    super.set(k, v);
    if (this.size > this.max) this.delete(this.keys().next().value as K);
    return this;
  }
}

export function listView(r: NumberListRow): NumberListView {
  return {
    id: r.id,
    name: r.name,
    defaultCountry: r.default_country,
    source: r.source,
    ...(r.column_index !== null ? { column: r.column_index } : {}),
    hasHeader: r.has_header === 1,
    state: r.state,
    ...(r.error ? { error: r.error } : {}),
    total: r.total_rows,
    valid: r.valid_count,
    invalid: r.invalid_count,
    duplicate: r.duplicate_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function rowView(r: ListRowRecord, pos: number): NumberRowView {
  return {
    pos,
    line: r.line,
    raw: r.raw,
    ...(r.e164 ? { e164: r.e164 } : {}),
    verdict: r.verdict,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.duplicate_of_line !== null ? { duplicateOfLine: r.duplicate_of_line } : {}),
  };
}

/** An import running in a worker. */
interface Started {
  id: string;
  name: string;
  task: RunningTask;
  /** Settles with the list's final row when the worker has finished (rejects with import_failed). */
  done: Promise<NumberListRow>;
}

/** A chunked import waiting for parts. */
interface Upload extends Started {
  next: number;
  bytes: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Why the upload was stopped by the core (idle), kept as the list's error. */
  failure?: string;
}

export class NumbersService {
  readonly repo: NumberListsRepo;
  private readonly running = new Map<string, RunningTask>();
  private readonly uploads = new Map<string, Upload>();
  /** Why recent imports were refused (their lists are gone), for the parts of an upload still on their way. */
  private readonly refused = new BoundedMap<string, string>(100);

  constructor(private readonly ctx: CoreContext) {
    this.repo = new NumberListsRepo(ctx.db);
    // A list left 'importing' by a process that died has no worker any more.
    for (const l of this.repo.list()) {
      if (l.state === 'importing') this.repo.setState(l.id, 'failed', 'The import was interrupted (the app stopped). Import the file again.', ctx.clock.now());
    }
  }

  private get dbPath(): string {
    return this.ctx.db.name;
  }

  find(idOrName: string): NumberListRow {
    const row = this.repo.find(idOrName);
    if (!row) throw new NotFoundLocalError('Number list', idOrName);
    return row;
  }

  private sourceOf(a: { path?: string | undefined; text?: string | undefined }): Exclude<TextSource, { kind: 'parts' }> {
    if (a.path !== undefined && a.text !== undefined) throw new UserInputError('Give either a file (path) or pasted text, not both.');
    if (a.path !== undefined) {
      if (!existsSync(a.path)) throw new UserInputError(`The file ${a.path} does not exist.`);
      return { kind: 'file', path: a.path };
    }
    if (a.text !== undefined && a.text.trim() !== '') return { kind: 'text', text: a.text };
    throw new UserInputError('Give a file to import (path) or paste some numbers (text).');
  }

  private checkCountry(c: string): void {
    if (!isCountry(c)) throw new UserInputError(`Unknown country '${c}'. Use a two-letter ISO code such as US, GB or DE.`);
  }

  preview(a: ParsedArgsOf<'numbers.preview'>): ImportPreview {
    this.checkCountry(a.country);
    const src = this.sourceOf(a);
    const { layout, records } = layoutOf(src, a.country, { ...(a.column ? { column: a.column } : {}), ...(a.hasHeader !== undefined ? { hasHeader: a.hasHeader } : {}) });
    const normalise = createNormalizer(a.country);
    const body = records.slice(layout.hasHeader ? 1 : 0, (layout.hasHeader ? 1 : 0) + 20);
    return {
      delimiter: layout.delimiter === '\t' ? 'tab' : layout.delimiter,
      columns: layout.columns,
      column: layout.column,
      hasHeader: layout.hasHeader,
      ...(layout.header ? { header: layout.header } : {}),
      scores: layout.scores,
      rows: records.slice(0, 20),
      sample: body.map((r) => {
        const raw = r[layout.column - 1] ?? '';
        const n = normalise(raw);
        return { raw, ...(n.e164 ? { e164: n.e164 } : { reason: n.reason }) };
      }),
    };
  }

  async import(a: ParsedArgsOf<'numbers.import'>): Promise<ImportHandle> {
    this.checkCountry(a.country);
    const src = this.sourceOf(a);
    const started = this.startImport(a, src, src.kind === 'file' ? src.path : (a.fileName ?? 'pasted text'));
    return this.handle(started, a.wait);
  }

  /** Starts a chunked text import: the worker waits for parts (importChunk) until importEnd. */
  importBegin(a: ParsedArgsOf<'numbers.importBegin'>): ImportHandle {
    this.checkCountry(a.country);
    const started = this.startImport(a, { kind: 'parts', ...(a.totalBytes !== undefined ? { totalBytes: a.totalBytes } : {}) }, a.fileName ?? 'pasted text');
    const upload: Upload = { ...started, next: 0, bytes: 0, timer: undefined };
    this.uploads.set(started.id, upload);
    this.armIdleTimer(upload);
    started.done.then(
      () => this.dropUpload(started.id),
      () => this.dropUpload(started.id),
    );
    return { listId: started.id, name: started.name };
  }

  async importChunk(a: ParsedArgsOf<'numbers.importChunk'>): Promise<{ index: number; bytes: number }> {
    const up = this.upload(a.list);
    if (a.index !== up.next) throw new UserInputError(`Part ${a.index} of the upload of '${up.name}' arrived out of order; part ${up.next} was expected next.`);
    up.next++;
    up.bytes += Buffer.byteLength(a.text);
    this.armIdleTimer(up);
    try {
      await up.task.sendPart(a.text);
    } catch (e) {
      throw new AppError('import_not_running', `The import of '${up.name}' is no longer running: ${(e as Error).message}`);
    }
    return { index: a.index, bytes: up.bytes };
  }

  async importEnd(a: ParsedArgsOf<'numbers.importEnd'>): Promise<ImportHandle> {
    const up = this.upload(a.list);
    clearTimeout(up.timer);
    up.task.endParts();
    this.dropUpload(up.id);
    return this.handle(up, a.wait);
  }

  private upload(list: string): Upload {
    const why = this.refused.get(list);
    if (why !== undefined) throw new AppError('import_failed', `The import was refused: ${why} Nothing was kept.`);
    const row = this.find(list);
    const up = this.uploads.get(row.id);
    if (!up) throw new UserInputError(`The list '${row.name}' is not waiting for uploaded text (its import ended, or it was not started with numbers.importBegin).`);
    return up;
  }

  private dropUpload(id: string): void {
    const up = this.uploads.get(id);
    if (!up) return;
    clearTimeout(up.timer);
    this.uploads.delete(id);
  }

  /** An upload whose sender went away must not leave the list 'importing' for ever. */
  private armIdleTimer(up: Upload): void {
    clearTimeout(up.timer);
    // How long a chunked import waits for its next part before it fails.
    const idleMs = this.ctx.settings.current<number>('numbers.uploadIdleMs');
    const secs = Math.max(1, Math.round(idleMs / 1000));
    const wait = idleMs >= 120_000 ? `${Math.round(idleMs / 60_000)} minutes` : count(secs, 'second');
    up.timer = setTimeout(() => {
      up.failure = `The upload stopped: no part of the text arrived for ${wait}. Import the file again.`;
      up.task.cancel();
    }, idleMs);
    up.timer.unref?.();
  }

  private startImport(
    a: { name: string; country: string; column?: number | undefined; hasHeader?: boolean | undefined },
    source: TextSource,
    sourceLabel: string,
  ): Started {
    const existing = this.repo.find(a.name);
    // A list whose import failed before any row was stored holds nothing but the reason: trying again under the
    // same name (the obvious next step) replaces it.
    if (existing && existing.state === 'failed' && existing.total_rows === 0 && !this.running.has(existing.id)) this.repo.deleteList(existing.id);
    else if (existing) throw new UserInputError(`A number list named '${a.name}' already exists. Choose another name or remove that list first.`);
    const id = randomUUID();
    this.repo.create(
      { id, name: a.name, default_country: a.country, source: sourceLabel, column_index: a.column ?? null, has_header: a.hasHeader ? 1 : 0 },
      this.ctx.clock.now(),
    );
    const emit = (state: NumberListView['state'], p: Partial<Progress> & { error?: string; removed?: boolean }) =>
      this.ctx.events.emit('numbers.importProgress', {
        listId: id,
        name: a.name,
        state,
        total: p.total_rows ?? 0,
        valid: p.valid_count ?? 0,
        invalid: p.invalid_count ?? 0,
        duplicate: p.duplicate_count ?? 0,
        ...(p.bytes !== undefined ? { bytes: p.bytes } : {}),
        ...(p.totalBytes !== undefined ? { totalBytes: p.totalBytes } : {}),
        ...(p.error ? { error: p.error } : {}),
        ...(p.removed ? { removed: true } : {}),
      });
    const req: WorkerRequest = {
      op: 'import',
      dbPath: this.dbPath,
      listId: id,
      source,
      country: a.country,
      ...(a.column !== undefined ? { column: a.column } : {}),
      ...(a.hasHeader !== undefined ? { hasHeader: a.hasHeader } : {}),
    };
    // The final event repeats the last byte counts, so a progress bar ends where the import ended.
    let bytes: Pick<Progress, 'bytes' | 'totalBytes'> = {};
    const { task, promise } = this.startTask(id, req, (p) => {
      bytes = { ...(p.bytes !== undefined ? { bytes: p.bytes } : {}), ...(p.totalBytes !== undefined ? { totalBytes: p.totalBytes } : {}) };
      emit('importing', p);
    });
    const done = promise.then(
      (r) => {
        // An upload the core stopped (nothing arrived for too long) is a failure, not a user's cancel.
        const failure = this.uploads.get(id)?.failure;
        if (failure && r.cancelled) this.repo.setState(id, 'failed', failure, this.ctx.clock.now());
        const row = this.find(id);
        emit(row.state, { ...bytes, ...(r.counts ?? {}), ...(row.error ? { error: row.error } : {}) });
        return row;
      },
      (e: unknown) => {
        const message = toErrorValue(e).message;
        // A refused import leaves no empty list behind: one that stored no row is removed, and the reason goes to the
        // caller (and the progress event); a list with rows keeps them, marked failed with the reason.
        const removed = this.repo.rowsRange(id, 0, 1).length === 0;
        if (removed) {
          this.repo.deleteList(id);
          this.refused.set(id, message);
        } else this.repo.setState(id, 'failed', message, this.ctx.clock.now());
        emit('failed', { error: message, ...(removed ? { removed: true } : {}) });
        throw new AppError('import_failed', `Importing '${a.name}' failed: ${message}${removed ? ' Nothing was kept.' : ''}`);
      },
    );
    return { id, name: a.name, task, done };
  }

  private async handle(s: Started, wait: boolean): Promise<ImportHandle> {
    if (wait) {
      const row = await s.done;
      return { listId: s.id, name: s.name, list: listView(row) };
    }
    s.done.catch(() => {
      // Reported through the 'numbers.importProgress' event and the list's state.
    });
    return { listId: s.id, name: s.name };
  }

  cancelImport(list: string): { cancelled: boolean } {
    const row = this.find(list);
    const task = this.running.get(row.id);
    task?.cancel();
    return { cancelled: task !== undefined };
  }

  lists(): NumberListView[] {
    return this.repo.list().map(listView);
  }

  get(list: string): NumberListView {
    return listView(this.find(list));
  }

  rows(a: ParsedArgsOf<'numbers.rows'>): NumberRowsPage {
    const row = this.find(a.list);
    if (a.verdict) {
      const total = a.verdict === 'valid' ? row.valid_count : a.verdict === 'invalid' ? row.invalid_count : row.duplicate_count;
      const rows = this.repo.rowsByVerdict(row.id, a.verdict, a.offset, a.limit);
      return { total, offset: a.offset, rows: rows.map((r) => rowView(r, r.vseq)) };
    }
    const rows = this.repo.rowsRange(row.id, a.offset, a.limit);
    return { total: row.total_rows, offset: a.offset, rows: rows.map((r) => rowView(r, r.seq)) };
  }

  async export(a: ParsedArgsOf<'numbers.export'>): Promise<{ path: string; rows: number }> {
    const row = this.find(a.list);
    const r = await this.runTask(row.id, { op: 'export', dbPath: this.dbPath, listId: row.id, path: a.path, only: a.only }, () => {}, false);
    return { path: a.path, rows: r.rows ?? 0 };
  }

  /** One page of the export CSV (bounded by `limit`, read through indexed ranges: fast at any offset). */
  exportText(a: ParsedArgsOf<'numbers.exportText'>): { csv: string; rows: number; total: number; nextOffset?: number } {
    const row = this.find(a.list);
    const invalidOnly = a.only === 'invalid';
    const total = invalidOnly ? row.invalid_count : row.total_rows;
    const rows = invalidOnly ? this.repo.rowsByVerdict(row.id, 'invalid', a.offset, a.limit) : this.repo.rowsRange(row.id, a.offset, a.limit);
    let csv = a.offset === 0 ? EXPORT_HEADER : '';
    for (const r of rows) csv += exportLine(r);
    const next = a.offset + rows.length;
    return { csv, rows: rows.length, total, ...(rows.length === a.limit && next < total ? { nextOffset: next } : {}) };
  }

  async remove(list: string): Promise<{ removed: string }> {
    const row = this.find(list);
    this.running.get(row.id)?.cancel();
    await this.runTask(row.id, { op: 'delete', dbPath: this.dbPath, listId: row.id }, () => {}, false);
    this.ctx.events.emit('numbers.listsChanged', { listIds: [row.id] });
    return { removed: row.name };
  }

  async editRows(a: ParsedArgsOf<'numbers.editRows'>): Promise<NumberListView> {
    const row = this.find(a.list);
    if (row.state === 'importing') throw new UserInputError(`The list '${row.name}' is still importing; wait for it to finish or cancel it.`);
    const country = a.country ?? row.default_country;
    this.checkCountry(country);
    if (a.add.length === 0 && a.removeLines.length === 0 && country === row.default_country) return listView(row);
    this.repo.setMeta(row.id, { default_country: country, column_index: row.column_index, has_header: row.has_header }, this.ctx.clock.now());
    this.repo.setState(row.id, 'importing', null, this.ctx.clock.now());
    try {
      await this.runTask(row.id, { op: 'rebuild', dbPath: this.dbPath, listId: row.id, country, removeLines: a.removeLines, add: a.add }, () => {});
    } catch (e) {
      this.repo.setState(row.id, 'failed', `Editing failed: ${(e as Error).message}`, this.ctx.clock.now());
      throw e;
    }
    return listView(this.find(row.id));
  }

  /** Runs a worker task for a list; only one at a time per list. */
  private runTask(listId: string, req: WorkerRequest, onProgress: (p: Progress) => void, exclusive = true): Promise<WorkerResult> {
    return this.startTask(listId, req, onProgress, exclusive).promise;
  }

  private startTask(listId: string, req: WorkerRequest, onProgress: (p: Progress) => void, exclusive = true): { task: RunningTask; promise: Promise<WorkerResult> } {
    if (exclusive && this.running.has(listId)) throw new UserInputError('This list is busy with another operation; try again when it has finished.');
    const task = runNumbersTask(req, onProgress);
    if (exclusive) this.running.set(listId, task);
    const promise = task.promise.finally(() => {
      if (this.running.get(listId) === task) this.running.delete(listId);
    });
    return { task, promise };
  }

  /** Waits for running tasks (used on close). */
  async stop(): Promise<void> {
    const all = [...this.running.values()];
    for (const up of this.uploads.values()) clearTimeout(up.timer);
    for (const t of all) t.cancel();
    await Promise.allSettled(all.map((t) => t.promise));
  }
}

// Use cases for number lists: preview/import (in a worker), paging, edits, export, delete.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { CoreContext } from '../context.ts';
import type { ParsedArgsOf } from '../../shared/contract.ts';
import type { ImportHandle, ImportPreview, NumberListView, NumberRowsPage, NumberRowView } from '../../shared/contract/numbers.ts';
import { NumberListsRepo, type NumberListRow, type ListRowRecord } from '../db/repos/number-lists-repo.ts';
import { AppError, NotFoundLocalError, UserInputError } from '../errors.ts';
import { layoutOf, type Progress, type TextSource } from '../numbers/pipeline.ts';
import { createNormalizer, isCountry } from '../numbers/normalize.ts';
import { runNumbersTask, type RunningTask } from '../numbers/worker-host.ts';
import type { WorkerRequest, WorkerResult } from '../numbers/worker.ts';

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

export class NumbersService {
  readonly repo: NumberListsRepo;
  private readonly running = new Map<string, RunningTask>();

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

  private sourceOf(a: { path?: string | undefined; text?: string | undefined }): TextSource {
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
    if (this.repo.find(a.name)) throw new UserInputError(`A number list named '${a.name}' already exists. Choose another name or remove that list first.`);
    const id = randomUUID();
    this.repo.create(
      { id, name: a.name, default_country: a.country, source: src.kind === 'file' ? src.path : 'pasted text', column_index: a.column ?? null, has_header: a.hasHeader ? 1 : 0 },
      this.ctx.clock.now(),
    );
    const emit = (state: NumberListView['state'], p: Partial<Progress> & { error?: string }) =>
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
      });
    const req: WorkerRequest = {
      op: 'import',
      dbPath: this.dbPath,
      listId: id,
      source: src,
      country: a.country,
      ...(a.column !== undefined ? { column: a.column } : {}),
      ...(a.hasHeader !== undefined ? { hasHeader: a.hasHeader } : {}),
    };
    const done = this.runTask(id, req, (p) => emit('importing', p)).then(
      (r) => {
        const row = this.find(id);
        emit(row.state, { ...(r.counts ?? {}) });
        return row;
      },
      (e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        this.repo.setState(id, 'failed', message, this.ctx.clock.now());
        emit('failed', { error: message });
        throw new AppError('import_failed', `Importing '${a.name}' failed: ${message}`);
      },
    );
    if (a.wait) {
      const row = await done;
      return { listId: id, name: a.name, list: listView(row) };
    }
    done.catch(() => {
      // Reported through the 'numbers.importProgress' event and the list's state.
    });
    return { listId: id, name: a.name };
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

  async remove(list: string): Promise<{ removed: string }> {
    const row = this.find(list);
    this.running.get(row.id)?.cancel();
    await this.runTask(row.id, { op: 'delete', dbPath: this.dbPath, listId: row.id }, () => {}, false);
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
    if (exclusive && this.running.has(listId)) throw new UserInputError('This list is busy with another operation; try again when it has finished.');
    const task = runNumbersTask(req, onProgress);
    if (exclusive) this.running.set(listId, task);
    return task.promise.finally(() => {
      if (this.running.get(listId) === task) this.running.delete(listId);
    });
  }

  /** Waits for running tasks (used on close). */
  async stop(): Promise<void> {
    const all = [...this.running.values()];
    for (const t of all) t.cancel();
    await Promise.allSettled(all.map((t) => t.promise));
  }
}

// Owns number_lists and number_list_rows: list metadata, batched row writes, paging by dense positions.
import type { Db } from '../open.ts';
import { StatementCache } from './statement-cache.ts';

export type Verdict = 'valid' | 'invalid' | 'duplicate';
export type ListState = 'importing' | 'ready' | 'failed' | 'cancelled';

export interface NumberListRow {
  id: string;
  name: string;
  default_country: string;
  source: string;
  column_index: number | null;
  has_header: 0 | 1;
  state: ListState;
  error: string | null;
  total_rows: number;
  valid_count: number;
  invalid_count: number;
  duplicate_count: number;
  created_at: number;
  updated_at: number;
}

export interface ListRowRecord {
  seq: number;
  line: number;
  raw: string;
  e164: string | null;
  verdict: Verdict;
  vseq: number;
  reason: string | null;
  duplicate_of_line: number | null;
}

export interface ListCounts {
  total_rows: number;
  valid_count: number;
  invalid_count: number;
  duplicate_count: number;
}

/** The columns of a ListRowRecord, in its order. */
const ROW_COLUMNS = 'seq, line, raw, e164, verdict, vseq, reason, duplicate_of_line';
type RowTuple = [number, number, string, string | null, Verdict, number, string | null, number | null];

// Pages of rows are read as arrays and made records here: better-sqlite3 builds a keyed object per row about twice
// as slowly as this, and the list view reads a page every few frames while it scrolls.
function rowRecord(r: RowTuple): ListRowRecord {
  return { seq: r[0], line: r[1], raw: r[2], e164: r[3], verdict: r[4], vseq: r[5], reason: r[6], duplicate_of_line: r[7] };
}

export class NumberListsRepo {
  // The page reads, prepared once per repo (each is asked for every few frames while a list scrolls).
  private readonly st: StatementCache;

  constructor(private readonly db: Db) {
    this.st = new StatementCache(db);
  }

  create(row: Pick<NumberListRow, 'id' | 'name' | 'default_country' | 'source' | 'column_index' | 'has_header'>, now: number): void {
    this.db
      .prepare(
        `INSERT INTO number_lists (id, name, default_country, source, column_index, has_header, state, created_at, updated_at)
         VALUES (@id, @name, @default_country, @source, @column_index, @has_header, 'importing', @now, @now)`,
      )
      .run({ ...row, now });
  }

  find(idOrName: string): NumberListRow | undefined {
    return this.db
      .prepare<[string, string], NumberListRow>('SELECT * FROM number_lists WHERE id = ? OR name = ? COLLATE NOCASE LIMIT 1')
      .get(idOrName, idOrName);
  }

  list(): NumberListRow[] {
    return this.db.prepare<[], NumberListRow>('SELECT * FROM number_lists ORDER BY created_at DESC, name').all();
  }

  setState(id: string, state: ListState, error: string | null, now: number): void {
    this.db.prepare('UPDATE number_lists SET state = ?, error = ?, updated_at = ? WHERE id = ?').run(state, error, now, id);
  }

  setMeta(id: string, meta: { default_country: string; column_index: number | null; has_header: 0 | 1 }, now: number): void {
    this.db
      .prepare('UPDATE number_lists SET default_country = @default_country, column_index = @column_index, has_header = @has_header, updated_at = @now WHERE id = @id')
      .run({ ...meta, id, now });
  }

  setCounts(id: string, c: ListCounts, now: number): void {
    this.db
      .prepare(
        `UPDATE number_lists SET total_rows = @total_rows, valid_count = @valid_count, invalid_count = @invalid_count,
           duplicate_count = @duplicate_count, updated_at = @now WHERE id = @id`,
      )
      .run({ ...c, id, now });
  }

  /** Removes up to `limit` rows of a list; returns how many went (callers loop, yielding in between). */
  deleteRowsSlice(listId: string, limit: number): number {
    return this.db
      .prepare('DELETE FROM number_list_rows WHERE list_id = ? AND seq IN (SELECT seq FROM number_list_rows WHERE list_id = ? ORDER BY seq LIMIT ?)')
      .run(listId, listId, limit).changes;
  }

  deleteList(id: string): void {
    this.db.prepare('DELETE FROM number_lists WHERE id = ?').run(id);
  }

  /** Rows at dense positions [from, from+limit), all verdicts: an index range, fast at any offset. */
  rowsRange(listId: string, from: number, limit: number): ListRowRecord[] {
    return this.st
      .get<[string, number, number], RowTuple>(`SELECT ${ROW_COLUMNS} FROM number_list_rows WHERE list_id = ? AND seq >= ? ORDER BY seq LIMIT ?`)
      .raw()
      .all(listId, from, limit)
      .map(rowRecord);
  }

  /** Rows of one verdict at positions [from, from+limit) among that verdict. */
  rowsByVerdict(listId: string, verdict: Verdict, from: number, limit: number): ListRowRecord[] {
    return this.st
      .get<[string, Verdict, number, number], RowTuple>(`SELECT ${ROW_COLUMNS} FROM number_list_rows WHERE list_id = ? AND verdict = ? AND vseq >= ? ORDER BY vseq LIMIT ?`)
      .raw()
      .all(listId, verdict, from, limit)
      .map(rowRecord);
  }

  /** Every row in line order (streaming; callers must not write to the list while iterating). */
  iterateRows(listId: string, verdict?: Verdict): IterableIterator<ListRowRecord> {
    if (verdict) {
      return this.db
        .prepare<[string, Verdict], ListRowRecord>(
          'SELECT seq, line, raw, e164, verdict, vseq, reason, duplicate_of_line FROM number_list_rows WHERE list_id = ? AND verdict = ? ORDER BY vseq',
        )
        .iterate(listId, verdict);
    }
    return this.db
      .prepare<[string], ListRowRecord>(
        'SELECT seq, line, raw, e164, verdict, vseq, reason, duplicate_of_line FROM number_list_rows WHERE list_id = ? ORDER BY seq',
      )
      .iterate(listId);
  }

  /** A slice of the valid E.164 numbers, in list order. */
  validNumbers(listId: string, fromVseq: number, limit: number): { vseq: number; e164: string }[] {
    return this.db
      .prepare<[string, number, number], { vseq: number; e164: string }>(
        "SELECT vseq, e164 FROM number_list_rows WHERE list_id = ? AND verdict = 'valid' AND vseq >= ? ORDER BY vseq LIMIT ?",
      )
      .all(listId, fromVseq, limit);
  }

  /**
   * A writer that appends rows in batches, one transaction per batch (used by the import worker). Rows go in
   * through a multi-row INSERT (half the cost of one statement per row) straight from the batch's columns (no
   * object per row); the list id is part of the statement, so each row binds 8 values. The list's counts are
   * updated in the same transaction, so numbers.rows/get report exactly the rows written so far while an import runs.
   */
  writer(listId: string): RowWriter {
    // The id is generated by the core (a UUID); quoted as an SQL string literal all the same.
    const cols = `('${listId.replaceAll("'", "''")}', ?, ?, ?, ?, ?, ?, ?, ?)`;
    const head = 'INSERT INTO number_list_rows (list_id, seq, line, raw, e164, verdict, vseq, reason, duplicate_of_line) VALUES ';
    const many = this.db.prepare(head + new Array<string>(ROWS_PER_INSERT).fill(cols).join(', '));
    const one = this.db.prepare(head + cols);
    const args: unknown[] = new Array<unknown>(ROWS_PER_INSERT * 8);
    const single: unknown[] = new Array<unknown>(8);
    const put = (a: unknown[], o: number, b: RowBatch, i: number) => {
      a[o] = b.seq[i];
      a[o + 1] = b.line[i];
      a[o + 2] = b.raw[i];
      a[o + 3] = b.e164[i];
      a[o + 4] = b.verdict[i];
      a[o + 5] = b.vseq[i];
      a[o + 6] = b.reason[i];
      a[o + 7] = b.duplicateOf[i];
    };
    const writeBatch = this.db.transaction((b: RowBatch, c: ListCounts | undefined, now: number) => {
      const n = b.seq.length;
      let i = 0;
      for (; i + ROWS_PER_INSERT <= n; i += ROWS_PER_INSERT) {
        for (let j = 0; j < ROWS_PER_INSERT; j++) put(args, j * 8, b, i + j);
        many.run(args);
      }
      for (; i < n; i++) {
        put(single, 0, b, i);
        one.run(single);
      }
      if (c) this.setCounts(listId, c, now);
    });
    return { write: (b, c) => writeBatch(b, c, Date.now()) };
  }
}

/** Rows per multi-row INSERT: 800 parameters, far below SQLite's limit of 32,766. */
const ROWS_PER_INSERT = 100;

/** Rows to append, as columns (index i of every array is row i): no object per row for the collector. */
export interface RowBatch {
  seq: number[];
  line: number[];
  raw: string[];
  e164: (string | null)[];
  verdict: Verdict[];
  vseq: number[];
  reason: (string | null)[];
  duplicateOf: (number | null)[];
}

export interface RowWriter {
  /** Appends rows; with `counts`, also stores the list's counts (after these rows) in the same transaction. */
  write(rows: RowBatch, counts?: ListCounts): void;
}

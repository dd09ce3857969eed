// Contract area: number lists (drafts of numbers to import): import, preview, paging, edits, export.
import { z } from 'zod';
import { method } from './define.ts';

export type Verdict = 'valid' | 'invalid' | 'duplicate';
export type ListState = 'importing' | 'ready' | 'failed' | 'cancelled';

export interface NumberListView {
  id: string;
  name: string;
  defaultCountry: string;
  /** File path, the name of a file sent by the UI (fileName), or 'pasted text'. */
  source: string;
  /** 1-based column the numbers were taken from (absent for one-column sources). */
  column?: number;
  hasHeader: boolean;
  state: ListState;
  error?: string;
  total: number;
  valid: number;
  invalid: number;
  duplicate: number;
  createdAt: number;
  updatedAt: number;
}

export interface NumberRowView {
  /** Position in the list (0-based), in line order. */
  pos: number;
  /** Source line number (1-based). */
  line: number;
  raw: string;
  e164?: string;
  verdict: Verdict;
  reason?: string;
  duplicateOfLine?: number;
}

export interface NumberRowsPage {
  /** Rows (of that verdict) in the list; while it imports, the rows written so far. */
  total: number;
  offset: number;
  rows: NumberRowView[];
}

export interface ImportPreview {
  delimiter: string;
  columns: number;
  /** 1-based detected (or chosen) column. */
  column: number;
  hasHeader: boolean;
  header?: string[];
  /** Per column, how many of the first rows parse as valid numbers. */
  scores: number[];
  /** The first rows as split (for the column picker). */
  rows: string[][];
  /** Verdicts of the first rows for the chosen column. */
  sample: { raw: string; e164?: string; reason?: string }[];
}

export interface ImportHandle {
  listId: string;
  name: string;
  /** Present when the call waited for the end of the import. */
  list?: NumberListView;
}

const country = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{2}$/, 'Use a two-letter country code such as US, GB or DE.')
  .transform((c) => c.toUpperCase());
const listRef = z.string().min(1, 'Name the number list.');
const source = {
  path: z.string().min(1).optional(),
  text: z.string().optional(),
};
const layout = {
  column: z.number().int().min(1, 'Columns are numbered from 1.').optional(),
  /** true/false: the user says whether the first row is a header; absent: detected. */
  hasHeader: z.boolean().optional(),
};
const listName = z.string().trim().min(1, 'Give the list a name.').max(100);
/** Name of the file the text came from (shown as the list's source instead of 'pasted text'). */
const fileName = z.string().trim().min(1).max(255).optional();
/** Most text one numbers.importChunk call may carry (the UI sends 4 MB slices of a file). */
export const IMPORT_CHUNK_MAX_CHARS = 16 * 1024 * 1024;

export const numberMethods = {
  /** Reads the first rows of a file or text and detects delimiter, header and number column. */
  'numbers.preview': method<ImportPreview>({ files: ['path'] })(z.object({ ...source, country: country.default('US'), ...layout }).strict()),
  /**
   * Imports a file (path, on the core's side) or pasted text as a new list (in a worker); progress as
   * 'numbers.importProgress'. Large text from the browser goes through importBegin/importChunk/importEnd.
   */
  'numbers.import': method<ImportHandle>({ files: ['path'] })(
    z
      .object({
        name: listName,
        ...source,
        fileName,
        country: country.default('US'),
        ...layout,
        /** Resolve only when the import has finished (the CLI does); the UI follows the events instead. */
        wait: z.boolean().default(false),
      })
      .strict(),
  ),
  /**
   * Starts a chunked text import (a file picked or dropped in the UI): the list exists at once (state
   * 'importing'); send the text with importChunk in order, then importEnd. Memory stays bounded whatever the
   * size. `totalBytes` (the file's size) makes byte progress exact. An upload that sends nothing for the setting
   * numbers.uploadIdleMs (5 minutes by default) fails.
   */
  'numbers.importBegin': method<ImportHandle>()(
    z
      .object({
        name: listName,
        fileName,
        country: country.default('US'),
        ...layout,
        totalBytes: z.number().int().min(0).optional(),
      })
      .strict(),
  ),
  /**
   * One part of the text, in order (index 0, 1, 2, …). Parts may cut lines (and CRLF pairs) anywhere, but not
   * characters. Resolves when the worker has room for the next part: await each call before sending the next.
   */
  'numbers.importChunk': method<{ index: number; bytes: number }>()(
    z
      .object({
        list: listRef,
        index: z.number().int().min(0),
        text: z.string().max(IMPORT_CHUNK_MAX_CHARS, 'A part may carry at most 16 MB of text; send smaller slices.'),
      })
      .strict(),
  ),
  /** No more parts. With `wait`, resolves when the import has finished (with the list). */
  'numbers.importEnd': method<ImportHandle>()(z.object({ list: listRef, wait: z.boolean().default(false) }).strict()),
  'numbers.cancelImport': method<{ cancelled: boolean }>()(z.object({ list: listRef }).strict()),
  'numbers.lists': method<NumberListView[]>()(z.object({}).strict()),
  'numbers.get': method<NumberListView>()(z.object({ list: listRef }).strict()),
  /** One page of rows by position (fast at any offset); with `verdict`, positions count within that verdict. */
  'numbers.rows': method<NumberRowsPage>()(
    z
      .object({
        list: listRef,
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5000).default(100),
        verdict: z.enum(['valid', 'invalid', 'duplicate']).optional(),
      })
      .strict(),
  ),
  /** Writes the list (all rows, or only the invalid ones) as CSV to `path`. */
  'numbers.export': method<{ path: string; rows: number }>({ files: ['path'] })(
    z.object({ list: listRef, path: z.string().min(1, 'Give the file to write.'), only: z.enum(['all', 'invalid']).default('all') }).strict(),
  ),
  /**
   * The same CSV as numbers.export, returned as text one page at a time (for a browser download): the first
   * page (offset 0) starts with the header line; call again with `nextOffset` until it is absent. Positions
   * count all rows, or only the invalid ones with only: 'invalid'.
   */
  'numbers.exportText': method<{ csv: string; rows: number; total: number; nextOffset?: number }>()(
    z
      .object({
        list: listRef,
        only: z.enum(['all', 'invalid']).default('all'),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(50_000).default(20_000),
      })
      .strict(),
  ),
  'numbers.remove': method<{ removed: string }>()(z.object({ list: listRef }).strict()),
  /** Adds raw values, removes rows by source line, or changes the default country; verdicts are recomputed. */
  'numbers.editRows': method<NumberListView>()(
    z
      .object({
        list: listRef,
        add: z.array(z.string()).max(100_000).default([]),
        removeLines: z.array(z.number().int().min(1)).max(100_000).default([]),
        country: country.optional(),
      })
      .strict(),
  ),
};

export interface NumberEvents {
  /** Lists were added, changed or removed by another process on the data folder (or removed here). */
  'numbers.listsChanged': { listIds: string[] };
  'numbers.importProgress': {
    listId: string;
    name: string;
    /** 'importing' while running; the final event carries the end state. */
    state: ListState;
    total: number;
    valid: number;
    invalid: number;
    duplicate: number;
    bytes?: number;
    totalBytes?: number;
    error?: string;
    /** The import was refused before any row was stored: the list is gone (`error` says why). */
    removed?: boolean;
  };
}

// Contract area: number lists (drafts of numbers to import): import, preview, paging, edits, export.
import { z } from 'zod';
import { method } from './define.ts';

export type Verdict = 'valid' | 'invalid' | 'duplicate';
export type ListState = 'importing' | 'ready' | 'failed' | 'cancelled';

export interface NumberListView {
  id: string;
  name: string;
  defaultCountry: string;
  /** File path, or 'pasted text'. */
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
  hasHeader: z.boolean().optional(),
};

export const numberMethods = {
  /** Reads the first rows of a file or text and detects delimiter, header and number column. */
  'numbers.preview': method<ImportPreview>()(z.object({ ...source, country: country.default('US'), ...layout }).strict()),
  /** Imports a file or pasted text as a new list (in a worker); progress as 'numbers.importProgress'. */
  'numbers.import': method<ImportHandle>()(
    z
      .object({
        name: z.string().trim().min(1, 'Give the list a name.').max(100),
        ...source,
        country: country.default('US'),
        ...layout,
        /** Resolve only when the import has finished (the CLI does); the UI follows the events instead. */
        wait: z.boolean().default(false),
      })
      .strict(),
  ),
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
  'numbers.export': method<{ path: string; rows: number }>()(
    z.object({ list: listRef, path: z.string().min(1, 'Give the file to write.'), only: z.enum(['all', 'invalid']).default('all') }).strict(),
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
  };
}

// Paginated listings (spec §4): crossbar_view (5.0 everywhere, 4.3 jobs) and 4.3's legacy load_view
// engine with its page_size quirk, start keys, direction, paginate=false, and crossbar_filter filters.
import { compareKeys, decodeStartKey, encodeStartKey, type Term } from './start-key.ts';
import { fail, type Ctx, type Reply } from './context.ts';
import type { JsonObject } from './types.ts';

export interface Row {
  key: Term;
  id: string;
  value: unknown;
  doc: JsonObject;
}

export interface ListOpts {
  engine: 'view' | 'legacy';
  descending: boolean; // default direction of the module
  reversePage?: boolean; // 4.3 resources: each page emitted in reverse
  startKey?: Term; // key the query starts at when the client gave none (shown in the envelope)
  envelopeKey?: (k: Term) => Term; // 4.3 children/descendants: keys reduced to their name part
  defaultPageSize: number;
}

export type ListResult = { items: unknown[]; envelope: Record<string, unknown> } | { error: Reply };

function getPath(doc: unknown, path: string): { found: boolean; value?: unknown } {
  let cur: unknown = doc;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return { found: false };
    if (!Object.prototype.hasOwnProperty.call(cur, seg)) return { found: false };
    cur = (cur as Record<string, unknown>)[seg];
  }
  return { found: true, value: cur };
}

const isEmpty = (v: unknown): boolean =>
  v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && Object.keys(v).length === 0);

const asText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** True when the query string has a filter that makes Crossbar include docs (not the time ranges). */
export function hasDocFilter(q: URLSearchParams): boolean {
  for (const k of q.keys()) {
    if (k.startsWith('filter_') || ['has_key', 'key_missing', 'has_value', 'value_missing'].includes(k)) return true;
  }
  return false;
}

/** crossbar_filter: every filter in the query must hold on the full doc. */
export function matchesFilters(q: URLSearchParams, doc: JsonObject): boolean {
  for (const [k, v] of q) {
    if (k.startsWith('filter_not_')) {
      const g = getPath(doc, k.slice(11));
      if (g.found && asText(g.value) === v) return false;
    } else if (k.startsWith('filter_')) {
      const g = getPath(doc, k.slice(7));
      if (!g.found || asText(g.value) !== v) return false;
    } else if (k === 'has_key') {
      if (!getPath(doc, v).found) return false;
    } else if (k === 'key_missing') {
      if (getPath(doc, v).found) return false;
    } else if (k === 'has_value') {
      const g = getPath(doc, v);
      if (!g.found || isEmpty(g.value)) return false;
    } else if (k === 'value_missing') {
      const g = getPath(doc, v);
      if (g.found && !isEmpty(g.value)) return false;
    } else if (k === 'created_from' || k === 'created_to' || k === 'modified_from' || k === 'modified_to') {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) continue;
      const field = k.startsWith('created') ? doc['pvt_created'] : doc['pvt_modified'];
      if (typeof field !== 'number') continue;
      if (k.endsWith('_from') && field < n) return false;
      if (k.endsWith('_to') && field > n) return false;
    }
  }
  return true;
}

/** page_size from the query; undefined means "use the default". */
function pageSize(ctx: Ctx, opts: ListOpts): number | Reply {
  const raw = ctx.query.get('page_size');
  if (raw === null) return opts.defaultPageSize;
  const n = /^-?\d+$/.test(raw.trim()) ? parseInt(raw, 10) : NaN;
  if (opts.engine === 'legacy') return Number.isFinite(n) && n > 0 ? n : opts.defaultPageSize;
  if (!Number.isFinite(n)) return fail(404, 'faulty_request', { message: 'invalid page size' });
  if (n < 1) return fail(404, 'faulty_request', { message: 'page size must be at least 1' });
  return n;
}

export function direction(ctx: Ctx, opts: ListOpts): 'asc' | 'desc' {
  if (ctx.query.get('ascending') === 'true') return 'asc';
  if (ctx.query.get('descending') === 'true') return 'desc';
  return opts.descending ? 'desc' : 'asc';
}

export function list(ctx: Ctx, rows: Row[], opts: ListOpts): ListResult {
  const dir = direction(ctx, opts);
  const sign = dir === 'asc' ? 1 : -1;
  const sorted = [...rows].sort((a, b) => sign * (compareKeys(a.key, b.key) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  const filtered = sorted.filter((r) => matchesFilters(ctx.query, r.doc));
  if (ctx.query.get('paginate') === 'false') return { items: filtered.map((r) => r.value), envelope: {} };

  const size = pageSize(ctx, opts);
  if (typeof size !== 'number') return { error: size };
  const rawStart = ctx.query.get('start_key');
  const start: Term | undefined = rawStart !== null ? decodeStartKey(rawStart) : opts.startKey;
  const from = start === undefined ? filtered : filtered.filter((r) => sign * compareKeys(r.key, start) >= 0);
  const page = from.slice(0, size + 1);
  const hasNext = page.length > size;
  const items = page.slice(0, size);
  const out = opts.reversePage ? [...items].reverse() : items;
  const keyOut = opts.envelopeKey ?? ((k: Term) => k);
  const envelope: Record<string, unknown> = {
    page_size: opts.engine === 'legacy' && hasNext ? size + 1 : items.length,
  };
  if (rawStart !== null) envelope['start_key'] = rawStart;
  else if (opts.startKey !== undefined) envelope['start_key'] = encodeStartKey(keyOut(opts.startKey));
  if (hasNext) envelope['next_start_key'] = encodeStartKey(keyOut(page[size]!.key));
  return { items: out.map((r) => r.value), envelope };
}

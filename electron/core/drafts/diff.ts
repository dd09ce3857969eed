// Field-level diff of two documents (down into gateways, classifiers and every nested value), and the three-way merge.
import { deepEqual, isObject, type JsonObject } from './canonical.ts';
import { joinPath } from './doc-path.ts';

export interface FieldChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

/** What changes when `before` becomes `after`. Lists are compared position by position; a longer list shows added items. */
export function diffDocs(before: unknown, after: unknown, path = '', out: FieldChange[] = []): FieldChange[] {
  if (before === after) return out;
  if (before === undefined) {
    out.push({ path, kind: 'added', after });
    return out;
  }
  if (after === undefined) {
    out.push({ path, kind: 'removed', before });
    return out;
  }
  // Objects and lists are walked directly (one pass), never compared whole first.
  if (isObject(before) && isObject(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    for (const k of [...keys].sort()) diffDocs(before[k], after[k], joinPath(path, k), out);
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after) && path !== '') {
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) diffDocs(before[i], after[i], joinPath(path, i), out);
    return out;
  }
  if (!deepEqual(before, after)) out.push({ path, kind: 'changed', before, after });
  return out;
}

export interface MergeConflict {
  path: string;
  base?: unknown;
  mine?: unknown;
  theirs?: unknown;
}

export interface MergeResult {
  merged: JsonObject;
  /** Paths where the remote's change was taken (the draft did not touch them). */
  fromTheirs: string[];
  /** Paths where the draft's change was kept (the remote did not touch them). */
  fromMine: string[];
  /** Same field changed differently on both sides; `merged` holds mine there until resolved. */
  conflicts: MergeConflict[];
}

/** Three-way merge of documents: base = common ancestor, mine = the draft, theirs = the fresh remote. */
export function threeWayMerge(base: JsonObject, mine: JsonObject, theirs: JsonObject): MergeResult {
  const r: Omit<MergeResult, 'merged'> = { fromTheirs: [], fromMine: [], conflicts: [] };
  const merged = mergeValue(base, mine, theirs, [], r);
  return { merged: (isObject(merged) ? merged : {}) as JsonObject, ...r };
}

/** Paths are kept as segment stacks and only joined when something is recorded (the plan's hot loop). */
function pathOf(segs: (string | number)[]): string {
  let p = '';
  for (const s of segs) p = joinPath(p, s);
  return p;
}

function mergeValue(b: unknown, m: unknown, t: unknown, segs: (string | number)[], r: Omit<MergeResult, 'merged'>): unknown {
  if (m === t) return m;
  // Objects are walked key by key in one pass (both sides added an object: merged against an empty base).
  if (isObject(m) && isObject(t) && (b === undefined || isObject(b))) {
    const base = (b ?? {}) as JsonObject;
    const out: JsonObject = {};
    const visit = (k: string) => {
      segs.push(k);
      const v = mergeValue(base[k], m[k], t[k], segs, r);
      segs.pop();
      if (v !== undefined) out[k] = v;
    };
    for (const k in m) visit(k);
    for (const k in t) if (!(k in m)) visit(k);
    for (const k in base) if (!(k in m) && !(k in t)) visit(k);
    return out;
  }
  if (deepEqual(m, t)) return m;
  if (deepEqual(b, m)) {
    r.fromTheirs.push(pathOf(segs));
    return t;
  }
  if (deepEqual(b, t)) {
    r.fromMine.push(pathOf(segs));
    return m;
  }
  if (Array.isArray(m) && Array.isArray(t) && Array.isArray(b) && m.length === t.length && t.length === b.length) {
    return m.map((mv, i) => {
      segs.push(i);
      const v = mergeValue(b[i], mv, t[i], segs, r);
      segs.pop();
      return v;
    });
  }
  const path = pathOf(segs);
  r.conflicts.push({ path, ...(b === undefined ? {} : { base: b }), ...(m === undefined ? {} : { mine: m }), ...(t === undefined ? {} : { theirs: t }) });
  return m;
}

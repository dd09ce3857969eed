// Field-level diff of two documents (down into gateways, classifiers and every nested value), and the three-way merge.
// Lists of objects (gateways, formatter lists) are compared element by element by identity (array-align.ts): a
// reordered gateway is a move, an added or removed one is one entry, its edits are listed under its identity.
import { deepEqual, isObject, sortStrings, type JsonObject } from './canonical.ts';
import { joinPath } from './doc-path.ts';
import { align, isObjectList, labelOf, moved, samePositions, type Pair } from './array-align.ts';

export interface FieldChange {
  path: string;
  kind: 'added' | 'removed' | 'changed' | 'moved';
  before?: unknown;
  after?: unknown;
  /** For 'moved': where the element was (its path before). */
  from?: string;
  /** The list element the change is about, in words ("gateway sip.example:5060"), when it has an identity. */
  identity?: string;
}

/**
 * What changes when `before` becomes `after`. Lists of scalars are compared position by position; lists of objects
 * by identity: paths of kept and added elements use their new position, those of removed ones their old position.
 */
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
    // Only the keys whose values differ get a path (most of a document is unchanged; deepEqual allocates nothing).
    const keys: string[] = [];
    for (const k in before) if (!deepEqual(before[k], after[k])) keys.push(k);
    for (const k in after) if (!(k in before) && after[k] !== undefined) keys.push(k);
    for (const k of sortStrings(keys)) diffDocs(before[k], after[k], joinPath(path, k), out);
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after) && path !== '') {
    if ((isObjectList(before) || isObjectList(after)) && !samePositions(before, after)) return diffList(before, after, path, out);
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) {
      const start = out.length;
      diffDocs(before[i], after[i], joinPath(path, i), out);
      if (out.length > start) tag(out, start, labelOf(after[i] ?? before[i]));
    }
    return out;
  }
  if (!deepEqual(before, after)) out.push({ path, kind: 'changed', before, after });
  return out;
}

/** Marks the changes added since `start` with the element's identity. */
function tag(out: FieldChange[], start: number, identity: string | null): void {
  if (identity) for (let k = start; k < out.length; k++) out[k]!.identity ??= identity;
}

function diffList(before: unknown[], after: unknown[], path: string, out: FieldChange[]): FieldChange[] {
  const pairs = align(before, after);
  const move = moved(pairs);
  for (const p of pairs) {
    const el = p.a !== null ? after[p.a] : before[p.b!];
    const identity = labelOf(el);
    const at = joinPath(path, p.a ?? p.b!);
    if (p.a !== null && p.b !== null) {
      if (move.has(p.a)) out.push({ path: at, kind: 'moved', from: joinPath(path, p.b), ...(identity ? { identity } : {}) });
      const start = out.length;
      diffDocs(before[p.b], after[p.a], at, out);
      tag(out, start, identity);
    } else if (p.a !== null) out.push({ path: at, kind: 'added', after: el, ...(identity ? { identity } : {}) });
    else out.push({ path: at, kind: 'removed', before: el, ...(identity ? { identity } : {}) });
  }
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
  if (Array.isArray(m) && Array.isArray(t) && Array.isArray(b) && (isObjectList(b) || isObjectList(m) || isObjectList(t))) {
    const merged = mergeList(b, m, t, segs, r);
    if (merged) return merged;
  } else if (Array.isArray(m) && Array.isArray(t) && Array.isArray(b) && m.length === t.length && t.length === b.length) {
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

/** One element of a merged list: its index in base, mine and theirs (null where it is not in that list). */
interface Slot {
  b: number | null;
  m: number | null;
  t: number | null;
}

/** The base-list indexes of `pairs` in the order of their other list, for the elements both lists hold. */
function keptOrder(pairs: readonly Pair[]): number[] {
  return pairs.filter((p) => p.b !== null && p.a !== null).map((p) => p.b!);
}

/**
 * Three-way merge of lists of objects element by element, elements matched by identity (a gateway moved on one side
 * and edited on the other merges: the move and the edit are both kept). The order is the side that reordered the
 * elements (mine when neither or both did the same); both sides reordering differently is a conflict on the list
 * (null: the caller records it). An element edited on one side and removed on the other is a conflict on it.
 */
function mergeList(b: unknown[], m: unknown[], t: unknown[], segs: (string | number)[], r: Omit<MergeResult, 'merged'>): unknown[] | null {
  const pm = align(b, m);
  const pt = align(b, t);
  const mineOrder = keptOrder(pm);
  const theirOrder = keptOrder(pt);
  const common = (order: number[], other: number[]) => order.filter((i) => other.includes(i));
  const mineMoved = moved(pm).size > 0;
  const theirsMoved = moved(pt).size > 0;
  if (mineMoved && theirsMoved && !deepEqual(common(mineOrder, theirOrder), common(theirOrder, mineOrder))) return null;
  const tOf = new Map(pt.filter((p) => p.b !== null && p.a !== null).map((p) => [p.b!, p.a!]));
  const mOf = new Map(pm.filter((p) => p.b !== null && p.a !== null).map((p) => [p.b!, p.a!]));
  // The skeleton: the side whose order wins, every element of it in its order.
  const theirsLead = theirsMoved && !mineMoved;
  const lead = theirsLead ? t : m;
  const leadPairs = theirsLead ? pt : pm;
  const otherOf = theirsLead ? mOf : tOf;
  const slots: Slot[] = leadPairs
    .filter((p) => p.a !== null)
    .sort((p, q) => p.a! - q.a!)
    .map((p) => {
      const o = p.b === null ? null : (otherOf.get(p.b) ?? null);
      return theirsLead ? { b: p.b, m: o, t: p.a } : { b: p.b, m: p.a, t: o };
    });
  // Elements added on both sides with the same identity or content are one element.
  const otherPairs = theirsLead ? pm : pt;
  const otherList = theirsLead ? m : t;
  const leadAdded = slots.filter((s) => s.b === null);
  const otherAdded = otherPairs.filter((p) => p.b === null && p.a !== null).map((p) => p.a!);
  const both = align(leadAdded.map((s) => lead[(theirsLead ? s.t : s.m)!]), otherAdded.map((i) => otherList[i]), false);
  const joined = new Set<number>();
  for (const p of both) {
    if (p.a === null || p.b === null) continue;
    const s = leadAdded[p.b]!;
    if (theirsLead) s.m = otherAdded[p.a]!;
    else s.t = otherAdded[p.a]!;
    joined.add(otherAdded[p.a]!);
  }
  // The other side's additions go after the element they follow there; the lead side's removals stay as slots so the
  // merge decides (removed if the other side left it alone, a conflict if it edited it).
  const slotOfOther = (i: number) => slots.findIndex((s) => (theirsLead ? s.m : s.t) === i);
  for (let i = 0; i < otherList.length; i++) {
    if (slotOfOther(i) >= 0 || joined.has(i)) continue;
    const baseIdx = otherPairs.find((p) => p.a === i)?.b ?? null;
    const slot: Slot = theirsLead ? { b: baseIdx, m: i, t: null } : { b: baseIdx, m: null, t: i };
    let after = -1;
    for (let k = i - 1; k >= 0 && after < 0; k--) after = slotOfOther(k);
    slots.splice(after + 1, 0, slot);
  }
  // Base elements neither side kept: gone on both sides, nothing to merge.
  const out: unknown[] = [];
  for (const s of slots) {
    segs.push(out.length);
    const v = mergeValue(s.b === null ? undefined : b[s.b], s.m === null ? undefined : m[s.m], s.t === null ? undefined : t[s.t], segs, r);
    segs.pop();
    if (v !== undefined) out.push(v);
  }
  return out;
}

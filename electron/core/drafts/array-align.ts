// Which element of one list of objects is which element of another (gateways, formatter lists): by identity, not by
// position, so that moving gateway 3 to the top reads as a move, not as every field of gateway 0 "removed". A gateway
// is known by its server and port (port 5060 when absent, its schema default: crossbar-spec §2.2); other objects by
// their content; what is left (an element edited where it stands) by its position.
import { deepEqual, isObject } from './canonical.ts';

export interface Pair {
  /** Index in the first list (null: only in the second, added). */
  b: number | null;
  /** Index in the second list (null: only in the first, removed). */
  a: number | null;
}

/** True for a non-empty list whose every element is an object (the lists aligned by identity). */
export function isObjectList(v: unknown): v is Record<string, unknown>[] {
  return Array.isArray(v) && v.length > 0 && v.every(isObject);
}

/** A gateway's identity (server and port); null for an element without one. */
export function identityOf(el: unknown): string | null {
  if (!isObject(el) || typeof el.server !== 'string') return null;
  const port = el.port === undefined || el.port === null || el.port === '' ? 5060 : el.port;
  return `${el.server}:${String(port)}`;
}

/** Words for an element in a diff: "gateway sip.example:5060", else null. */
export function labelOf(el: unknown): string | null {
  const id = identityOf(el);
  return id ? `gateway ${id}` : null;
}

/** True when both lists hold the same identities at the same positions (the common case: compare in place). */
export function samePositions(x: readonly unknown[], y: readonly unknown[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const ix = identityOf(x[i]);
    if (ix === null || ix !== identityOf(y[i])) return false;
  }
  return true;
}

/**
 * Pairs the elements of `x` and `y`: same identity first, then equal content, then (with `byPosition`) what is left
 * at the same index.
 * Returns every element of `y` in order (paired or added), then the elements of `x` left unpaired (removed).
 */
export function align(x: readonly unknown[], y: readonly unknown[], byPosition = true): Pair[] {
  // Plain loops and no per-element arrays: the plan diffs a list of gateways for most targets it updates.
  const ofY = new Array<number | null>(y.length).fill(null);
  const usedX = new Array<boolean>(x.length).fill(false);
  // 1. identity (first unused match, so duplicates pair in order)
  const byId = new Map<string, number[]>();
  for (let i = 0; i < x.length; i++) {
    const id = identityOf(x[i]);
    if (id === null) continue;
    const queue = byId.get(id);
    if (queue) queue.push(i);
    else byId.set(id, [i]);
  }
  for (let j = 0; j < y.length; j++) {
    const id = identityOf(y[j]);
    const i = id === null ? undefined : byId.get(id)?.shift();
    if (i !== undefined) {
      ofY[j] = i;
      usedX[i] = true;
    }
  }
  // 2. equal content
  for (let j = 0; j < y.length; j++) {
    if (ofY[j] !== null) continue;
    for (let i = 0; i < x.length; i++) {
      if (usedX[i] || !deepEqual(x[i], y[j])) continue;
      ofY[j] = i;
      usedX[i] = true;
      break;
    }
  }
  // 3. what is left at the same position: an element edited where it stands (its server too)
  if (byPosition) {
    for (let j = 0; j < y.length && j < x.length; j++) {
      if (ofY[j] !== null || usedX[j]) continue;
      ofY[j] = j;
      usedX[j] = true;
    }
  }
  const pairs: Pair[] = [];
  for (let a = 0; a < y.length; a++) pairs.push({ b: ofY[a]!, a });
  for (let i = 0; i < x.length; i++) if (!usedX[i]) pairs.push({ b: i, a: null });
  return pairs;
}

/**
 * The paired elements that moved: those outside the longest run that kept its relative order (so removing one
 * element, which shifts the rest, moves nothing; taking gateway 3 to the top moves gateway 3 only). Returns the
 * indexes in `y` of the moved elements.
 */
export function moved(pairs: readonly Pair[]): Set<number> {
  const kept = pairs.filter((p): p is { b: number; a: number } => p.b !== null && p.a !== null);
  // align() lists them in second-list order already; the usual case (nothing reordered) needs no search at all.
  let inOrder = true;
  let rising = true;
  for (let k = 1; k < kept.length; k++) {
    inOrder &&= kept[k - 1]!.a < kept[k]!.a;
    rising &&= kept[k - 1]!.b < kept[k]!.b;
  }
  if (!inOrder) kept.sort((p, q) => p.a - q.a);
  else if (rising) return new Set();
  // Longest increasing subsequence of the first-list indexes, in second-list order (n is small: patience is plenty).
  const tails: number[] = [];
  const prev = new Array<number>(kept.length).fill(-1);
  kept.forEach((p, k) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[tails[mid]!]!.b < p.b) lo = mid + 1;
      else hi = mid;
    }
    prev[k] = lo > 0 ? tails[lo - 1]! : -1;
    tails[lo] = k;
  });
  const stay = new Set<number>();
  for (let k = tails.length ? tails[tails.length - 1]! : -1; k >= 0; k = prev[k]!) stay.add(k);
  const out = new Set<number>();
  kept.forEach((p, k) => {
    if (!stay.has(k)) out.add(p.a);
  });
  return out;
}

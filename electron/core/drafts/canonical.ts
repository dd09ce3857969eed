// Canonical JSON (sorted keys, no whitespace) and content hashes of documents: the identity used by plan and apply.
import { hash } from 'node:crypto';

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Keys that JSON.stringify would write unchanged inside quotes. */
const SAFE_KEY = /^[\w.@ -]*$/;
/** `"key":` by key: documents repeat the same few dozen keys (bounded: keys can come from outside). */
const keyTexts = new Map<string, string>();

function keyText(k: string): string {
  let q = keyTexts.get(k);
  if (q === undefined) {
    q = (SAFE_KEY.test(k) ? '"' + k + '"' : JSON.stringify(k)) + ':';
    if (keyTexts.size < 4096) keyTexts.set(k, q);
  }
  return q;
}

/** JSON text with object keys sorted at every depth; `undefined` members are dropped as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  // Scalars answered without a call per value (content hashes of every document a plan sends go through here).
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      break;
    default:
      return JSON.stringify(value) ?? 'null';
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let s = '[';
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      s += (i > 0 ? ',' : '') + (v === undefined ? 'null' : canonicalJson(v));
    }
    return s + ']';
  }
  let s = '';
  for (const k of sortStrings(Object.keys(value))) {
    const v = (value as JsonObject)[k];
    if (v === undefined) continue;
    s += (s === '' ? '{' : ',') + keyText(k) + canonicalJson(v);
  }
  return s === '' ? '{}' : s + '}';
}

/**
 * Sorts strings in place as Array.prototype.sort does (by UTF-16 code units), by insertion: the plan sorts the
 * few keys of thousands of small objects, and sort() allocates a work array per call (a fifth of all it allocated).
 */
export function sortStrings(keys: string[]): string[] {
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

/** sha256 (hex) of the canonical JSON. */
export function hashDoc(value: unknown): string {
  return hash('sha256', canonicalJson(value), 'hex');
}

/** Sorted-key deep copy, for deterministic files (2-space JSON of this is diff-friendly). */
export function sortKeysDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => sortKeysDeep(v)) as T;
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const k of Object.keys(value).sort()) {
    const v = value[k];
    if (v !== undefined) out[k] = sortKeysDeep(v);
  }
  return out as T;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as JsonObject;
  const bo = b as JsonObject;
  // Counted in place (no key arrays): this is the plan's hottest function.
  let n = 0;
  for (const k in ao) {
    const v = ao[k];
    if (v === undefined) continue;
    n++;
    if (!deepEqual(v, bo[k])) return false;
  }
  for (const k in bo) if (bo[k] !== undefined) n--;
  return n === 0;
}

export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Keys Crossbar adds or owns on a stored document; never part of what a draft says. */
export function isPrivateKey(k: string): boolean {
  return k === 'id' || k.startsWith('_') || k.startsWith('pvt_');
}

export function publicFields(doc: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(doc)) {
    if (isPrivateKey(k)) continue;
    out[k] = v;
  }
  return out;
}

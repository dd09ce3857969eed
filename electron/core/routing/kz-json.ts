// Kazoo's lenient JSON getters (kz_json / kz_term), so that stored documents are read the way stepswitch reads
// them: `"true"` is true, `"20"` is 20, an empty string counts as absent where Kazoo uses a get_ne_* getter.
import type { JsonObject, Ordered } from './types.ts';

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** kz_term:is_empty: undefined, null, "", [], {}, 0 and false count as empty. */
export function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || v === 0 || v === false || (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

/** kz_json:is_true(Key, JObj, Default): absent → Default; else only true and "true" are true. */
export function isTrue<D>(v: unknown, dflt: D): boolean | D {
  if (v === undefined) return dflt;
  return v === true || v === 'true';
}

/** Thrown when a value cannot be read the way Kazoo reads it (Kazoo would crash on it). */
export class KzTypeError extends Error {}

/** kz_term:to_integer (not strict): numbers are rounded, numeric strings parsed; anything else crashes Kazoo. */
export function toInteger(v: unknown): number {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v);
  if (typeof v === 'string' && /^\s*[-+]?\d+(\.\d+)?\s*$/.test(v)) return Math.round(Number(v));
  throw new KzTypeError(`${JSON.stringify(v)} is not an integer`);
}

/** kz_json:get_integer_value(Key, JObj, Default). */
export function getInteger<D>(v: unknown, dflt: D): number | D {
  return v === undefined || v === null ? dflt : toInteger(v);
}

/** kz_term:to_binary for the scalar values documents hold. */
export function toText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new KzTypeError(`${JSON.stringify(v)} is not text`);
}

/** kz_json:get_binary_value(Key, JObj, Default). */
export function getText<D>(v: unknown, dflt: D): string | D {
  return v === undefined || v === null ? dflt : toText(v);
}

/** kz_json:get_ne_binary_value / get_ne_value for text: empty counts as absent. */
export function getNeText<D>(v: unknown, dflt: D): string | D {
  if (isEmpty(v)) return dflt;
  return toText(v);
}

/** The entries of an ordered object, in order. */
export function entriesOf<V>(o: Ordered<V> | undefined): (readonly [string, V])[] {
  if (!o) return [];
  if (Array.isArray(o)) return [...(o as readonly (readonly [string, V])[])];
  return Object.entries(o as Record<string, V>);
}

/** A document's id as CouchDB holds it (`_id`), or as Crossbar shows it (`id`). */
export function docId(doc: JsonObject): string | undefined {
  const id = doc._id ?? doc.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

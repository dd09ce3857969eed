// The shapes Crossbar's replies must have before anything trusts them: a listing's data is a list of objects with
// ids, a document's data is an object. A reply of another shape (a string where a listing belongs, say) is refused
// with a BadReplyError rather than read as "empty", which would make a pull think every resource was removed.
import { asString, isObject } from './coerce.ts';
import { BadReplyError } from './errors.ts';
import type { JsonObject } from './types.ts';

/** Which call a reply answered, for messages. */
export interface Where {
  method: string;
  path: string;
  requestId: string;
  status?: number;
}

export function kindOf(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'true/false';
  return 'an object';
}

export function badShape(where: Where, expected: string, got: unknown, at = ''): BadReplyError {
  return new BadReplyError(
    `The cluster's reply to ${where.method} ${where.path} is not what Crossbar sends: ${expected} was expected${at ? ` at ${at}` : ''}, ${kindOf(got)} came. The reply was not used.`,
    { requestId: where.requestId, ...(where.status !== undefined ? { status: where.status } : {}) },
  );
}

export function expectObject(data: unknown, where: Where): JsonObject {
  if (!isObject(data)) throw badShape(where, 'an object', data, 'data');
  return data;
}

/** A listing page: a list of objects, each with an id (`id`, or CouchDB's `_id`). */
export function listItems(data: unknown, where: Where): JsonObject[] {
  if (!Array.isArray(data)) throw badShape(where, 'a list', data, 'data');
  data.forEach((item, i) => {
    if (!isObject(item)) throw badShape(where, 'an object', item, `data[${i}]`);
    const id = asString(item.id) ?? asString(item._id);
    if (!id) throw badShape(where, 'an id', item.id ?? item._id, `data[${i}].id`);
  });
  return data as JsonObject[];
}

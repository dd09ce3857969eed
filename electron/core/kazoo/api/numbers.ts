// Phone numbers of an account: the listing (a `numbers` map per page) and one number with its resource_id (§7).
import { asString, isObject } from '../coerce.ts';
import { p, type Caller } from '../caller.ts';
import { badShape } from '../shapes.ts';
import type { CallOptions, JsonObject, ListOptions } from '../types.ts';

export interface PhoneNumberSummary extends JsonObject {
  /** The E.164 key of the listing map. */
  number: string;
  state?: string;
  assigned_to?: string;
  used_by?: string;
}

export interface PhoneNumberInfo {
  number: string;
  /** Public field tying the number to the resource that imported it (absent from the listing). */
  resourceId?: string;
  state?: string;
  /** `_read_only.carrier_module`: 'local', 'other', ... */
  carrierModule?: string;
  /** The document as sent. */
  doc: JsonObject;
}

export interface NumbersApi {
  list(accountId: string, opts?: ListOptions): Promise<PhoneNumberSummary[]>;
  get(accountId: string, number: string, opts?: CallOptions): Promise<PhoneNumberInfo>;
}

/** `data.numbers` map → items; tolerates a bare map or an array of {id|number, ...}. */
export function numbersOfPage(data: unknown): PhoneNumberSummary[] {
  const map = isObject(data) && isObject(data.numbers) ? data.numbers : isObject(data) && !('numbers' in data) ? data : undefined;
  if (map) {
    return Object.entries(map)
      .filter(([k, v]) => k !== 'cascade_quantity' && isObject(v))
      .map(([k, v]) => ({ ...(v as JsonObject), number: k }));
  }
  const arr = isObject(data) && Array.isArray(data.numbers) ? data.numbers : Array.isArray(data) ? data : [];
  return arr.filter(isObject).map((v) => ({ ...v, number: asString(v.number) ?? asString(v.id) ?? '' }));
}

export function numbersApi(c: Caller): NumbersApi {
  return {
    async list(accountId, opts) {
      const items = await c.all<unknown, PhoneNumberSummary>(
        { method: 'GET', path: p`/v2/accounts/${accountId}/phone_numbers`, pageSize: opts?.pageSize, signal: opts?.signal },
        (data, where) => {
          if (!isObject(data) && !Array.isArray(data)) throw badShape(where, 'an object of numbers', data, 'data');
          return numbersOfPage(data);
        },
      );
      const byNumber = new Map<string, PhoneNumberSummary>();
      for (const n of items) byNumber.set(n.number, n);
      return [...byNumber.values()];
    },

    async get(accountId, number, opts) {
      const doc = await c.object({ method: 'GET', path: p`/v2/accounts/${accountId}/phone_numbers/${number}`, signal: opts?.signal });
      const ro = isObject(doc._read_only) ? doc._read_only : {};
      const info: PhoneNumberInfo = { number: asString(doc.id) ?? number, doc };
      const resourceId = asString(doc.resource_id);
      if (resourceId) info.resourceId = resourceId;
      const state = asString(doc.state) ?? asString(ro.state);
      if (state) info.state = state;
      const carrierModule = asString(ro.carrier_module) ?? asString(doc.carrier_module);
      if (carrierModule) info.carrierModule = carrierModule.replace(/^knm_/, '');
      return info;
    },
  };
}

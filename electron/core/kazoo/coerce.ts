// Tolerant coercion of the fields real clusters send as strings ("50", "true"); only for fields known to be typed.
import type { JsonObject } from './types.ts';

/** "50" → 50, 50 → 50; anything else → undefined (the caller keeps the value as sent). */
export function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

/** "true"/"false" (any case), true/false → boolean; anything else → undefined. */
export function asBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return undefined;
}

export function asString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface FieldTypes {
  numbers?: readonly string[];
  booleans?: readonly string[];
}

/**
 * Returns a shallow copy of `obj` where the named fields are coerced to their type when they can be;
 * a value that cannot be coerced, and every other field, is kept exactly as sent.
 */
export function coerceFields<T extends JsonObject>(obj: T, types: FieldTypes): T {
  const out: JsonObject = { ...obj };
  for (const k of types.numbers ?? []) {
    if (k in out) {
      const n = asNumber(out[k]);
      if (n !== undefined) out[k] = n;
    }
  }
  for (const k of types.booleans ?? []) {
    if (k in out) {
      const b = asBoolean(out[k]);
      if (b !== undefined) out[k] = b;
    }
  }
  return out as T;
}

/** Known typed fields of a resource document (schema `resources`, §2.2) and of its gateways. */
export const RESOURCE_TYPES: FieldTypes = {
  numbers: ['weight_cost', 'grace_period'],
  booleans: ['enabled', 'emergency', 'from_account_realm', 'format_from_uri', 'ignore_flags', 'require_flags'],
};
export const GATEWAY_TYPES: FieldTypes = {
  numbers: ['port', 'progress_timeout'],
  booleans: ['enabled', 'force_port', 'bypass_media', 'format_from_uri', 'skype_rr', 'register'],
};
export const CLASSIFIER_TYPES: FieldTypes = { numbers: ['weight_cost'], booleans: ['enabled', 'emergency'] };

/** Coerces a whole resource document: top level, each gateway, each classifier. Unknown fields untouched. */
export function coerceResource<T extends JsonObject>(doc: T): T {
  const out: JsonObject = coerceFields(doc, RESOURCE_TYPES);
  if (Array.isArray(out.gateways)) out.gateways = out.gateways.map((g) => (isObject(g) ? coerceFields(g, GATEWAY_TYPES) : g));
  if (isObject(out.classifiers)) {
    const cls: JsonObject = {};
    for (const [k, v] of Object.entries(out.classifiers)) cls[k] = isObject(v) ? coerceFields(v, CLASSIFIER_TYPES) : v;
    out.classifiers = cls;
  }
  return out as T;
}

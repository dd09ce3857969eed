// Docs-quirks mode: reshape replies like the public docs' examples (numbers as strings, `successes`,
// a jobs listing with counts) so clients are tested against both shapes.
import type { JsonObject } from './types.ts';

/** Every number inside `v` becomes its string form ("weight_cost": "50"). */
export function stringifyNumbers(v: unknown): unknown {
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(stringifyNumbers);
  if (v && typeof v === 'object') {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) out[k] = stringifyNumbers(x);
    return out;
  }
  return v;
}

/** A job as the docs show it: `successes` instead of `success`. */
export function docsJob(job: JsonObject): JsonObject {
  const { success, ...rest } = job;
  return success === undefined ? job : { ...rest, successes: success };
}

// Kazoo's JSON schemas as the cluster has them: list, get, and server-side validation (§6.5).
import { asString, isObject } from '../coerce.ts';
import { p, type Caller } from '../caller.ts';
import type { CallOptions, JsonObject } from '../types.ts';

export interface SchemasApi {
  list(opts?: CallOptions): Promise<string[]>;
  get(name: string, opts?: CallOptions): Promise<JsonObject>;
  /** The document with the cluster's defaults filled in; throws ValidationError with the per-field map. */
  validate(name: string, doc: JsonObject, opts?: CallOptions): Promise<JsonObject>;
}

export function schemasApi(c: Caller): SchemasApi {
  return {
    async list(opts) {
      const arr = await c.data<unknown[]>({ method: 'GET', path: '/v2/schemas', shape: 'array', signal: opts?.signal });
      return arr.map((x) => (isObject(x) ? asString(x.id) : asString(x))).filter((x): x is string => !!x);
    },
    async get(name, opts) {
      return c.object({ method: 'GET', path: p`/v2/schemas/${name}`, signal: opts?.signal });
    },
    async validate(name, doc, opts) {
      // Validation stores nothing, so repeating it is harmless.
      return c.object({ method: 'PUT', path: p`/v2/schemas/${name}` + '/validation', data: doc, idempotent: true, signal: opts?.signal });
    },
  };
}

// Carrier resources, global and per account: list (all pages), get, idempotent create, update/patch/delete
// with If-Match, and the collection calls (§1.5–§1.12).
import { randomBytes } from 'node:crypto';
import { asBoolean, asNumber, asString, coerceFields, coerceResource, isObject } from '../coerce.ts';
import { envelopeOf, p, type Caller } from '../caller.ts';
import type { KazooReply } from '../envelope.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import { arrayOf } from '../pagination.ts';
import { badShape, expectObject, listItems } from '../shapes.ts';
import type { CallOptions, JsonObject, ListOptions, Scope } from '../types.ts';
import type { ResourcePaths } from './resource-paths.ts';

/** One item of a resource listing (the view value, §1.10): no gateways or rules. */
export interface ResourceSummary extends JsonObject {
  id: string;
  name?: string;
  enabled?: boolean;
  weight_cost?: number;
  template_name?: string;
  classifiers?: JsonObject;
}

/** A resource document as the cluster sent it (known typed fields coerced, unknown fields kept). */
export interface ResourceDoc extends JsonObject {
  id?: string;
  name?: string;
  gateways?: JsonObject[];
}

export interface Versioned<T> {
  doc: T;
  /** CouchDB _rev (ETag or envelope `revision`): pass it back as `ifMatch`. */
  revision: string | undefined;
  requestId: string;
}

export interface CreatedResource extends Versioned<ResourceDoc & { id: string }> {
  /** True when a retried create found its own earlier attempt already stored (same content). */
  alreadyExisted: boolean;
}

export interface CollectionResult {
  /** False when the cluster refused the batch (all or nothing: nothing was saved). */
  ok: boolean;
  /** Per-id errors (validation objects or strings) when refused. */
  errors: Record<string, unknown>;
  /** On success Crossbar answers with the first page of the listing (the docs' `successes` map is kept too). */
  listing: ResourceSummary[];
  successes?: Record<string, unknown>;
  requestId: string;
}

export interface ResourcesApi {
  list(scope: Scope, opts?: ListOptions): Promise<ResourceSummary[]>;
  get(scope: Scope, id: string, opts?: CallOptions): Promise<Versioned<ResourceDoc & { id: string }>>;
  create(scope: Scope, doc: ResourceDoc, opts?: CallOptions): Promise<CreatedResource>;
  update(scope: Scope, id: string, doc: ResourceDoc, opts: CallOptions & { ifMatch: string }): Promise<Versioned<ResourceDoc & { id: string }>>;
  patch(scope: Scope, id: string, partial: JsonObject, opts?: CallOptions & { ifMatch?: string }): Promise<Versioned<ResourceDoc & { id: string }>>;
  delete(scope: Scope, id: string, opts?: CallOptions & { ifMatch?: string }): Promise<Versioned<ResourceDoc & { id: string }>>;
  collectionPut(scope: Scope, docs: ResourceDoc[], opts?: CallOptions): Promise<CollectionResult>;
  collectionPost(scope: Scope, docs: (ResourceDoc & { id: string })[], opts?: CallOptions): Promise<CollectionResult>;
}

/** 32 lowercase hex chars, the shape Crossbar itself gives ids (§1.5). */
export const newResourceId = (): string => randomBytes(16).toString('hex');

const SUMMARY_TYPES = { numbers: ['weight_cost'], booleans: ['enabled'] } as const;

export function toSummary(item: JsonObject): ResourceSummary {
  const out = coerceFields(item, SUMMARY_TYPES);
  return { ...out, id: asString(out.id) ?? asString(out._id) ?? '' };
}

function versioned(reply: KazooReply<unknown>, fallbackId: string, method: string, path: string): Versioned<ResourceDoc & { id: string }> {
  const env = envelopeOf(reply);
  // A document of another shape must never read as an empty resource (a plan would then rewrite every field).
  const doc = coerceResource(expectObject(env.data, { method, path, requestId: reply.requestId, status: reply.httpStatus }));
  return { doc: { ...doc, id: asString(doc.id) ?? fallbackId }, revision: reply.revision, requestId: reply.requestId };
}

/** Scalars equal allowing the string forms clusters use ("50" vs 50, "true" vs true). */
function sameScalar(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') return asNumber(a) !== undefined && asNumber(a) === asNumber(b);
  if (typeof a === 'boolean' || typeof b === 'boolean') return asBoolean(a) !== undefined && asBoolean(a) === asBoolean(b);
  return false;
}

/** True when everything we sent is in what is stored (the cluster adds defaults, so extra keys are fine). */
export function containsSent(stored: unknown, sent: unknown): boolean {
  if (Array.isArray(sent)) return Array.isArray(stored) && stored.length === sent.length && sent.every((s, i) => containsSent(stored[i], s));
  if (isObject(sent)) {
    if (!isObject(stored)) return false;
    // Private keys are stripped by Crossbar before saving (§1.5 step 2), so they cannot be compared.
    return Object.entries(sent).every(([k, v]) => k.startsWith('_') || k.startsWith('pvt_') || v === null || containsSent(stored[k], v));
  }
  return sameScalar(stored, sent);
}

function collectionResult(reply: KazooReply<unknown>, method: string, path: string): CollectionResult {
  const data = envelopeOf(reply).data;
  if (!Array.isArray(data) && !isObject(data)) throw badShape({ method, path, requestId: reply.requestId, status: reply.httpStatus }, 'a list or an object', data, 'data');
  if (Array.isArray(data)) return { ok: true, errors: {}, listing: arrayOf<JsonObject>(data).map(toSummary), requestId: reply.requestId };
  const obj = isObject(data) ? data : {};
  const errors = isObject(obj.errors) ? obj.errors : {};
  const result: CollectionResult = { ok: Object.keys(errors).length === 0, errors, listing: [], requestId: reply.requestId };
  if (isObject(obj.successes)) result.successes = obj.successes;
  return result;
}

export function resourcesApi(c: Caller, paths: ResourcePaths): ResourcesApi {
  const get: ResourcesApi['get'] = (scope, id, opts) =>
    paths.run(scope, async (base) => versioned(await c.call({ method: 'GET', path: base + p`/${id}`, signal: opts?.signal }), id, 'GET', base + p`/${id}`));

  return {
    list: (scope, opts) =>
      paths.run(scope, async (base) => {
        const items = await c.all<unknown, JsonObject>({ method: 'GET', path: base, pageSize: opts?.pageSize, signal: opts?.signal }, listItems);
        const byId = new Map<string, ResourceSummary>();
        for (const s of items.map(toSummary)) byId.set(s.id, s);
        return [...byId.values()];
      }),

    get,

    async create(scope, doc, opts) {
      const id = asString(doc.id) ?? newResourceId();
      const sent: ResourceDoc & { id: string } = { ...doc, id };
      try {
        // The client-chosen id makes the PUT safe to retry: a second copy cannot be made (§1.5, 409 on reuse).
        return await paths.run(scope, async (base) => ({
          ...versioned(await c.call({ method: 'PUT', path: base, data: sent, idempotent: true, signal: opts?.signal }), id, 'PUT', base),
          alreadyExisted: false,
        }));
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
        // Our earlier attempt may have been stored while its reply was lost: accept it only if it holds what we sent.
        let existing: Versioned<ResourceDoc & { id: string }>;
        try {
          existing = await get(scope, id, opts);
        } catch (g) {
          if (g instanceof NotFoundError) {
            throw new ConflictError(`The id ${id} is already taken on the cluster (a deleted resource keeps its id). Create it with another id.`, {
              status: 409,
              requestId: e.requestId,
            });
          }
          throw g;
        }
        if (containsSent(existing.doc, sent)) return { ...existing, alreadyExisted: true };
        throw new ConflictError(`Another resource with id ${id} already exists on the cluster with different content. Create it with another id.`, {
          status: 409,
          requestId: e.requestId,
        });
      }
    },

    update: (scope, id, doc, opts) =>
      paths.run(scope, async (base) =>
        versioned(await c.call({ method: 'POST', path: base + p`/${id}`, data: { ...doc, id }, headers: { 'if-match': opts.ifMatch }, signal: opts.signal }), id, 'POST', base + p`/${id}`),
      ),

    patch: (scope, id, partial, opts) =>
      paths.run(scope, async (base) =>
        versioned(
          await c.call({ method: 'PATCH', path: base + p`/${id}`, data: partial, headers: opts?.ifMatch ? { 'if-match': opts.ifMatch } : undefined, signal: opts?.signal }),
          id,
          'PATCH',
          base + p`/${id}`,
        ),
      ),

    delete: (scope, id, opts) =>
      paths.run(scope, async (base) =>
        versioned(await c.call({ method: 'DELETE', path: base + p`/${id}`, headers: opts?.ifMatch ? { 'if-match': opts.ifMatch } : undefined, signal: opts?.signal }), id, 'DELETE', base + p`/${id}`),
      ),

    collectionPut(scope, docs, opts) {
      // Ids chosen here make a retried batch unable to create copies.
      const withIds = docs.map((d) => ({ ...d, id: asString(d.id) ?? newResourceId() }));
      return paths.run(scope, async (base) =>
        collectionResult(await c.call({ method: 'PUT', path: `${base}/collection`, data: withIds, idempotent: true, signal: opts?.signal }), 'PUT', `${base}/collection`),
      );
    },

    collectionPost: (scope, docs, opts) =>
      // A deep merge without If-Match: never repeated blindly.
      paths.run(scope, async (base) => collectionResult(await c.call({ method: 'POST', path: `${base}/collection`, data: docs, signal: opts?.signal }), 'POST', `${base}/collection`)),
  };
}

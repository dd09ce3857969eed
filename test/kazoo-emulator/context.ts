// The request context and reply shapes shared by every endpoint module, plus the reply helpers.
import type { IncomingHttpHeaders } from 'node:http';
import type { Store } from './store.ts';
import type { SchemaSet, ValidationErrors } from './validation.ts';
import type { Faults, Flavor, JsonObject } from './types.ts';
import type { Executor } from './executor.ts';

/** The emulator's internals as endpoint modules see them. */
export interface Emu {
  flavor: Flavor;
  store: Store;
  schemas: SchemaSet;
  faults: Faults;
  executor: Executor;
  now(): number; // ms epoch (injected clock + admin offset)
  nowG(): number; // gregorian seconds
  randomHex(bytes: number): string;
  version: string;
  node: string;
}

export interface AuthInfo {
  accountId: string;
  ownerId?: string;
  method: string;
  superduper: boolean;
  token: string;
  claims: JsonObject;
}

export interface Noun {
  name: string;
  args: string[];
}

export interface Ctx {
  em: Emu;
  method: string; // effective verb (after `verb` tunnelling)
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  requestId: string;
  envelope: JsonObject; // the parsed request body
  data: unknown; // envelope.data
  nouns: Noun[];
  authToken?: string;
  auth?: AuthInfo;
}

export interface Reply {
  status: number;
  data?: unknown;
  message?: string; // errors only
  revision?: string;
  headers?: Record<string, string>;
  envelope?: JsonObject; // page_size, start_key, next_start_key...
  empty?: boolean; // no body at all (412, 304, cowboy's bare 404)
  etag?: boolean; // send ETag from revision (successful GET)
  ordered?: boolean; // data holds Ordered objects: render with orderedJson so their key order survives
}

export const ok = (data: unknown, extra: Partial<Reply> = {}): Reply => ({ status: 200, data, ...extra });
export const created = (ctx: Ctx, data: unknown, id: string, revision?: string): Reply => ({
  status: 201,
  data,
  ...(revision ? { revision } : {}),
  headers: { location: `${ctx.path.replace(/\/+$/, '')}/${encodeURIComponent(id)}` },
});
export const fail = (status: number, message: string, data: unknown = {}): Reply => ({ status, message, data });

export const validationError = (errors: ValidationErrors): Reply => fail(400, 'validation error', errors);
export const badIdentifier = (id: string): Reply => fail(404, 'bad_identifier', { cause: id, message: 'bad identifier' });
export const forbidden = (): Reply => fail(403, 'forbidden', { message: 'forbidden' });
export const conflict = (): Reply => fail(409, 'datastore_conflict', { message: 'conflicting documents' });
export const notFound = (): Reply => fail(404, 'not_found', { message: 'not found' });
export const invalidMethod = (): Reply => fail(405, 'invalid_method', { message: 'method not allowed' });
export const initFailed = (): Reply => fail(500, 'init failed', {});

/** An endpoint: verbs allowed (checked before auth), whether a token is needed, authorization, handler. */
export interface Endpoint {
  allowed: string[];
  auth: 'none' | 'token' | 'get-none';
  authorize?(ctx: Ctx): Reply | undefined;
  handle(ctx: Ctx): Reply | Promise<Reply>;
}

/** The data object of the envelope, or {} when it is not an object. */
export function dataObject(ctx: Ctx): JsonObject {
  const d = ctx.data;
  return d && typeof d === 'object' && !Array.isArray(d) ? (d as JsonObject) : {};
}

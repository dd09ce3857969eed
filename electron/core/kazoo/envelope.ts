// The one choke point that turns an HTTP reply from Crossbar into an envelope or a typed error (§1.13, §2.6).
import { asNumber, asString, isObject } from './coerce.ts';
import {
  AccountDisabledError,
  AuthError,
  BadReplyError,
  ConflictError,
  type FieldErrors,
  ForbiddenError,
  KazooError,
  NotCrossbarError,
  NotFoundError,
  PreconditionFailedError,
  RateLimitedError,
  ServerError,
  ValidationError,
} from './errors.ts';
import type { JsonObject } from './types.ts';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../shared/json-limits.ts';

export interface Envelope<T = unknown> {
  /** 'success' | 'error' | 'fatal' as sent. */
  status: string;
  data: T;
  revision?: string;
  requestId?: string;
  version?: string;
  authToken?: string;
  pageSize?: number;
  /** Opaque; send back verbatim as `start_key`. */
  nextStartKey?: string;
  startKey?: string;
  error?: string;
  message?: string;
  /** The envelope exactly as sent (unknown keys included). */
  raw: JsonObject;
}

/** What the transport hands over: status, lower-cased headers, body text. */
export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface KazooReply<T = unknown> {
  httpStatus: number;
  /** Undefined for bodiless replies (304). */
  envelope: Envelope<T> | undefined;
  /** Our x-request-id (or the one the cluster echoed). */
  requestId: string;
  /** ETag header without quotes, else the envelope revision. */
  revision: string | undefined;
  location: string | undefined;
  notModified: boolean;
  /** The body as received (successful replies), for readers that need the key order JSON.parse loses. */
  text?: string;
  /** Size of the body as received, in bytes (listings count it against their limit across pages). */
  bytes?: number;
}

export interface ReplyContext {
  method: string;
  /** Path for messages (ids ok, never a query holding secrets). */
  path: string;
  requestId: string;
}

export function header(h: RawReply['headers'], name: string): string | undefined {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** A start key may come as a string (Crossbar's base64url term) or, from old clusters, as raw JSON. */
function startKeyOf(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Parses a JSON text into an Envelope; undefined when the text is not JSON or lacks the envelope keys. */
export function parseEnvelope<T = unknown>(text: string): Envelope<T> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(json) || (!('data' in json) && !('status' in json))) return undefined;
  const env: Envelope<T> = { status: asString(json.status) ?? (json.error ? 'error' : 'success'), data: json.data as T, raw: json };
  const revision = asString(json.revision);
  if (revision) env.revision = revision;
  const requestId = asString(json.request_id);
  if (requestId) env.requestId = requestId;
  const version = asString(json.version);
  if (version) env.version = version;
  // 4.3 renders a missing token as the string "undefined" in error envelopes.
  const token = asString(json.auth_token);
  if (token && token !== 'undefined') env.authToken = token;
  const pageSize = asNumber(json.page_size);
  if (pageSize !== undefined) env.pageSize = pageSize;
  const next = startKeyOf(json.next_start_key);
  if (next !== undefined) env.nextStartKey = next;
  const start = startKeyOf(json.start_key);
  if (start !== undefined) env.startKey = start;
  const error = asString(json.error);
  if (error) env.error = error;
  const message = asString(json.message);
  if (message) env.message = message;
  return env;
}

/** Retry-After in seconds or as an HTTP date → milliseconds (never negative). */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const s = asNumber(value);
  if (s !== undefined) return Math.max(0, Math.round(s * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function looksLikeHtml(body: string, contentType: string | undefined): boolean {
  return /html/i.test(contentType ?? '') || /^\s*</.test(body);
}

/** Kazoo 400 data → per-field map; anything not shaped like {path: {rule: {...}}} is kept under its key. */
export function fieldErrorsOf(data: unknown): FieldErrors {
  const out: FieldErrors = {};
  if (!isObject(data)) return out;
  for (const [path, rules] of Object.entries(data)) {
    if (!isObject(rules)) {
      out[path] = { invalid: { message: asString(rules) ?? 'invalid' } };
      continue;
    }
    const byRule: FieldErrors[string] = {};
    for (const [rule, detail] of Object.entries(rules)) {
      if (isObject(detail)) byRule[rule] = { ...detail, message: asString(detail.message) ?? rule };
      else byRule[rule] = { message: asString(detail) ?? rule };
    }
    out[path] = byRule;
  }
  return out;
}

function summariseFields(fields: FieldErrors): string {
  const parts: string[] = [];
  for (const [path, rules] of Object.entries(fields)) {
    for (const [rule, d] of Object.entries(rules)) parts.push(`${path.replace(/%2E/g, '.')}: ${d.message} (${rule})`);
  }
  if (parts.length === 0) return '';
  return parts.length > 5 ? `${parts.slice(0, 5).join('; ')}; and ${parts.length - 5} more` : parts.join('; ');
}

/**
 * Interprets one reply: returns it for 2xx and 304, throws the matching typed error otherwise.
 * `nowMs` is only used to read a Retry-After date.
 */
export function interpretReply<T = unknown>(reply: RawReply, ctx: ReplyContext, nowMs: number): KazooReply<T> {
  const { status, body } = reply;
  const requestId = ctx.requestId;
  const where = `${ctx.method} ${ctx.path}`;
  const etag = header(reply.headers, 'etag')?.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  const location = header(reply.headers, 'location');

  if (status === 304) return { httpStatus: status, envelope: undefined, requestId, revision: etag, location, notModified: true };

  const trimmed = body.trim();
  // Deeper than any Crossbar reply: refused before parsing, since every later walk of it would overflow the stack.
  if (nestsDeeperThan(trimmed, MAX_JSON_DEPTH)) {
    throw new BadReplyError(`The cluster's reply to ${where} is nested deeper than ${MAX_JSON_DEPTH} levels, which no Crossbar reply is; it was not used.`, { status, requestId });
  }
  const env = trimmed === '' ? undefined : parseEnvelope<T>(trimmed);
  const init = { status, requestId, kazooMessage: env?.message, data: env?.data };

  if (status >= 200 && status < 300) {
    if (!env) {
      const what = looksLikeHtml(body, header(reply.headers, 'content-type')) ? 'an HTML page' : trimmed === '' ? 'an empty reply' : 'JSON without the Crossbar envelope';
      throw new NotCrossbarError(
        `The server answered ${where} with ${what}, not a Crossbar reply. Check the URL points at the Crossbar API (usually port 8000 or 8443).`,
        { status, requestId },
      );
    }
    return { httpStatus: status, envelope: env, requestId, revision: etag ?? env.revision, location, notModified: false, text: trimmed };
  }

  // 412 comes from cowboy with an empty body; an empty 404 is cowboy's answer to a super-duper admin on an unknown endpoint.
  if (status === 412) throw new PreconditionFailedError(`The object changed on the cluster since it was read (${where} refused If-Match). Reload it and try again.`, init);
  if (status === 404 && !env && trimmed === '') throw new NotFoundError(`Not found on the cluster: ${where}.`, { status, requestId });
  if (!env) {
    if (status >= 500) throw new ServerError(`The cluster answered ${where} with HTTP ${status} and no Crossbar reply (a proxy in front of it may have failed).`, { status, requestId });
    if (status === 429) throw new RateLimitedError(`The cluster is rate limiting requests (${where}).`, parseRetryAfter(header(reply.headers, 'retry-after'), nowMs), { status, requestId });
    const what = looksLikeHtml(body, header(reply.headers, 'content-type')) ? 'an HTML page' : 'a reply that is not a Crossbar envelope';
    throw new NotCrossbarError(
      `The server answered ${where} with HTTP ${status} and ${what}. Check the URL points at the Crossbar API (usually port 8000 or 8443).`,
      { status, requestId },
    );
  }

  const km = env.message ?? '';
  const data = env.data;
  switch (true) {
    case status === 400: {
      const fields = fieldErrorsOf(data);
      const account = fields.account;
      if (account && ('disabled' in account || 'expired' in account)) {
        const why = 'expired' in account ? 'expired' : 'disabled';
        throw new AccountDisabledError(`The account is ${why} on the cluster; ask the cluster administrator to enable it.`, init);
      }
      const summary = summariseFields(fields);
      throw new ValidationError(`The cluster rejected ${where}: ${summary || km || 'validation error'}.`, fields, init);
    }
    case status === 401:
      throw new AuthError(`The cluster refused the credentials (${where}: ${km || 'invalid credentials'}).`, init);
    case status === 403:
      throw new ForbiddenError(`This login is not allowed to do ${where}${km && km !== 'forbidden' ? ` (${km})` : ''}.`, init);
    case status === 404:
      throw new NotFoundError(`Not found on the cluster: ${where}${km ? ` (${km.replace(/_/g, ' ')})` : ''}.`, init);
    case status === 409:
      throw new ConflictError(`The cluster reported a conflict for ${where}${km ? ` (${km.replace(/_/g, ' ')})` : ''}: the id is already in use or the object changed at the same time.`, init);
    case status === 429:
      throw new RateLimitedError(`The cluster is rate limiting requests (${where}).`, parseRetryAfter(header(reply.headers, 'retry-after'), nowMs), init);
    case status >= 500:
      throw new ServerError(`The cluster failed on ${where}: HTTP ${status}${km ? ` ${km}` : ''}.`, init);
    default:
      throw new KazooError('http_error', `The cluster answered ${where} with HTTP ${status}${km ? ` (${km})` : ''}.`, init);
  }
}

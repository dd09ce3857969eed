// Renders replies as Crossbar envelopes per flavor (spec §1.13): success/error keys, 4.3's
// auth_token "undefined", 5.0's `tokens`, version only when authenticated on 5.0, headers, ETag.
import { md5 } from './store.ts';
import { orderedJson } from './routing-config.ts';
import type { Ctx, Reply } from './context.ts';
import type { JsonObject } from './types.ts';

/** Rate-limit bucket figures reported in 5.0's `tokens` (never empties by itself; faults do the 429s). */
export class Buckets {
  private readonly used = new Map<string, { consumed: number; at: number }>();
  constructor(private readonly capacity = 100, private readonly refillPerS = 10) {}
  take(key: string, nowMs: number): { consumed: number; remaining: number } {
    const b = this.used.get(key) ?? { consumed: 0, at: nowMs };
    const refill = Math.floor(((nowMs - b.at) / 1000) * this.refillPerS);
    if (refill > 0) {
      b.consumed = Math.max(0, b.consumed - refill);
      b.at = nowMs;
    }
    b.consumed = Math.min(this.capacity, b.consumed + 1);
    this.used.set(key, b);
    return { consumed: b.consumed, remaining: this.capacity - b.consumed };
  }
}

export function isoTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function sortKeys(o: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k];
  return out;
}

export interface Rendered {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function render(ctx: Ctx, reply: Reply, buckets: Buckets): Rendered {
  const em = ctx.em;
  const headers: Record<string, string> = { 'x-request-id': ctx.requestId, ...(reply.headers ?? {}) };
  if (ctx.headers.origin) {
    headers['access-control-allow-origin'] = '*';
    headers['access-control-allow-methods'] = 'GET, POST, PUT, DELETE, OPTIONS, HEAD, PATCH';
    headers['access-control-allow-headers'] =
      'Content-Type, Depth, User-Agent, X-Http-Method-Override, X-File-Size, X-Requested-With, If-Modified-Since, X-File-Name, Cache-Control, X-Auth-Token, X-Request-ID, If-Match';
    headers['access-control-expose-headers'] = 'Content-Type, X-Auth-Token, X-Request-ID, X-Kazoo-Cluster-ID, Location, Etag, ETag';
    headers['access-control-max-age'] = '86400';
  }
  if (reply.empty) return { status: reply.status, headers: { ...headers, 'content-length': '0' }, body: '' };

  const env: JsonObject = { ...(reply.envelope ?? {}) };
  const isError = reply.status >= 400;
  env['data'] = reply.data ?? {};
  env['node'] = em.node;
  env['request_id'] = ctx.requestId;
  env['timestamp'] = isoTimestamp(em.now());
  env['status'] = isError ? 'error' : 'success';
  if (isError) {
    env['error'] = String(reply.status);
    env['message'] = reply.message ?? 'error';
  }
  if (em.flavor === '4.3') {
    env['version'] = em.version;
    if (ctx.authToken) env['auth_token'] = ctx.authToken;
    else if (isError) env['auth_token'] = 'undefined';
  } else {
    if (ctx.auth) env['version'] = em.version;
    if (ctx.authToken) env['auth_token'] = ctx.authToken;
    env['tokens'] = buckets.take(ctx.auth?.accountId ?? 'anonymous', em.now());
  }
  // Lists get an automatic revision: the MD5 of the rendered data (api_resource:generate_etag/2).
  let revision = reply.revision;
  if (!isError && revision === undefined && Array.isArray(reply.data)) revision = md5(JSON.stringify(reply.data));
  if (!isError && revision !== undefined) env['revision'] = revision;
  if (!isError && reply.etag && revision !== undefined) headers['etag'] = `"${revision}"`;

  const pretty = ctx.headers['x-pretty-print'] === 'true' || ctx.query.get('pretty_print') === 'true';
  // Ordered data (classifier tables: digit-only keys included) is spliced in as text; pretty printing leaves it flat.
  const marker = `\u0000ordered-data-${ctx.requestId}`;
  let body = JSON.stringify(sortKeys(reply.ordered ? { ...env, data: marker } : env), null, pretty ? 2 : undefined);
  if (reply.ordered) body = body.replace(JSON.stringify(marker), () => orderedJson(reply.data));
  headers['content-type'] = 'application/json';
  const jsonp = ctx.query.get('jsonp');
  if (jsonp && /^[\w.$]+$/.test(jsonp)) {
    body = `${jsonp}(${body});`;
    headers['content-type'] = 'application/javascript';
  }
  return { status: reply.status, headers, body };
}

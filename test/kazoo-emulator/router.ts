// The Crossbar request pipeline: URL → nouns, body/envelope parsing, verb tunnelling, and the order of
// checks of spec §13 (body 400 → 405 → 401 → 403 → unknown endpoint 404 → handler), faults, request log.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, findToken, verifyToken, apiAuthEndpoint, tokenAuthEndpoint, userAuthEndpoint } from './auth.ts';
import { accountsEndpoint } from './accounts.ts';
import { fail, invalidMethod, notFound, validationError, type Ctx, type Emu, type Endpoint, type Noun, type Reply } from './context.ts';
import { render, type Buckets } from './envelope.ts';
import { rollFaults } from './faults.ts';
import { precondition } from './conditional.ts';
import { md5 } from './store.ts';
import { jobsEndpoint } from './jobs.ts';
import { phoneNumbersEndpoint } from './numbers.ts';
import { accountScope, globalScope, resourceEndpoint } from './resources.ts';
import { schemasEndpoint, systemConfigsEndpoint } from './schemas-api.ts';
import type { JsonObject, RequestLogEntry } from './types.ts';

export const MAX_UPLOAD = 8_000_000;

function modules(em: Emu): Set<string> {
  const m = ['accounts', 'resources', 'user_auth', 'api_auth', 'token_auth', 'phone_numbers', 'schemas', 'system_configs'];
  if (em.flavor === '4.3') m.push('local_resources');
  return new Set(m);
}

/** api_util:parse_path_tokens: a segment naming a module starts a noun, others are its arguments. */
export function parseNouns(em: Emu, segs: string[]): Noun[] {
  const mods = modules(em);
  const okVersion = segs[0] === 'v2' || (em.flavor === '4.3' && segs[0] === 'v1');
  if (!okVersion || segs.length < 2 || !mods.has(segs[1]!)) return [{ name: '404', args: [] }];
  const nouns: Noun[] = [];
  for (const s of segs.slice(1)) {
    // schema names collide with module names (`/v2/schemas/resources`): after `schemas` all are arguments
    if (mods.has(s) && nouns[nouns.length - 1]?.name !== 'schemas') nouns.push({ name: s, args: [] });
    else nouns[nouns.length - 1]!.args.push(s);
  }
  return nouns;
}

function resourcesOrJobs(scope: ReturnType<typeof globalScope>, args: string[]): Endpoint | undefined {
  return args[0] === 'jobs' ? jobsEndpoint(scope, args) : resourceEndpoint(scope, args);
}

export function route(em: Emu, nouns: Noun[]): Endpoint | undefined {
  const [first, second, ...more] = nouns;
  if (!first || more.length) return undefined;
  if (first.name === 'accounts') {
    if (!second) return accountsEndpoint(first.args);
    if (first.args.length !== 1) return undefined;
    const a = first.args[0]!;
    if (second.name === 'resources') return resourcesOrJobs(accountScope(a), second.args);
    if (second.name === 'local_resources') return resourcesOrJobs(accountScope(a, true), second.args);
    if (second.name === 'phone_numbers') return phoneNumbersEndpoint(a, second.args);
    return undefined;
  }
  if (second) return undefined;
  switch (first.name) {
    case 'resources': return resourcesOrJobs(globalScope(), first.args);
    case 'local_resources': return resourcesOrJobs(globalScope(true), first.args);
    case 'user_auth': return first.args.length ? undefined : userAuthEndpoint;
    case 'api_auth': return first.args.length ? undefined : apiAuthEndpoint;
    case 'token_auth': return first.args.length ? undefined : tokenAuthEndpoint;
    case 'schemas': return schemasEndpoint(first.args);
    case 'system_configs': return systemConfigsEndpoint(first.args);
    default: return undefined;
  }
}

/** §13.1: the body is parsed before anything else. */
function parseBody(raw: string): { envelope: JsonObject; data: unknown } | Reply {
  if (raw.trim() === '') return { envelope: {}, data: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg)?.[1];
    const truncated = /end of JSON|Unterminated/i.test(msg);
    const at = pos ?? String(raw.length);
    return validationError({ json: { invalid: { message: `${truncated ? 'truncated_json' : 'invalid_json'} around ${at}`, target: 'body' } } });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return validationError({ json: { invalid: { message: 'invalid_json around 0', target: 'body' } } });
  }
  const env = parsed as JsonObject;
  if (!('data' in env)) return validationError({ data: { required: { message: 'Field is required but missing' } } });
  const d = env['data'];
  if (!d || typeof d !== 'object') {
    return validationError({ data: { type: { message: 'Value did not match type(s): object, array', target: ['object', 'array'], value: d as never } } });
  }
  return { envelope: env, data: d };
}

async function readBody(req: IncomingMessage): Promise<{ text: string; tooBig: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooBig = false;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_UPLOAD) tooBig = true;
    else chunks.push(c as Buffer);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooBig };
}

async function process(ctx: Ctx, raw: { text: string; tooBig: boolean }, segs: string[]): Promise<Reply> {
  const em = ctx.em;
  if (ctx.method === 'OPTIONS') return { status: 200, empty: true, headers: { allow: 'GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS' } };
  if (raw.tooBig) {
    return validationError({ file: { maxSize: { message: `Payload or Files must not be more than ${MAX_UPLOAD} bytes`, target: MAX_UPLOAD } } });
  }
  const body = parseBody(raw.text);
  if ('status' in body) return body;
  ctx.envelope = body.envelope;
  ctx.data = body.data;
  if (ctx.method === 'POST') {
    const verb = ctx.query.get('verb') ?? (typeof body.envelope['verb'] === 'string' ? body.envelope['verb'] : undefined);
    if (verb && ['PUT', 'DELETE', 'PATCH'].includes(verb.toUpperCase())) ctx.method = verb.toUpperCase();
  }
  // `/v2/account/...` is `/v2/accounts/{auth account}/...`
  if (segs[1] === 'account') {
    const tok = findToken(ctx);
    const claims = tok ? verifyToken(em.store, tok, em.now()) : undefined;
    segs = [segs[0]!, 'accounts', String(claims?.['account_id'] ?? 'undefined'), ...segs.slice(2)];
  }
  ctx.nouns = parseNouns(em, segs);
  const endpoint = route(em, ctx.nouns);
  const verb = ctx.method === 'HEAD' ? 'GET' : ctx.method;
  if (endpoint && !endpoint.allowed.includes(verb)) return invalidMethod();
  const needsAuth = !endpoint || endpoint.auth === 'token' || (endpoint.auth === 'get-none' && verb !== 'GET');
  if (needsAuth) {
    const denied = authenticate(ctx);
    if (denied) return denied;
  }
  if (!endpoint) return ctx.auth?.superduper ? { status: 404, empty: true } : notFound();
  const refused = endpoint.authorize?.(ctx);
  if (refused) return refused;
  const reply = await endpoint.handle(ctx);
  // Listings get their automatic revision here so If-None-Match/If-Match work on them as on documents.
  if (reply.status === 200 && reply.etag) {
    if (reply.revision === undefined && Array.isArray(reply.data)) reply.revision = md5(JSON.stringify(reply.data));
    if (reply.revision !== undefined) return precondition(ctx, reply.revision) ?? reply;
  }
  return reply;
}

export interface PipelineDeps {
  em: Emu;
  buckets: Buckets;
  rnd: () => number;
  log: (e: RequestLogEntry) => void;
}

export async function handleCrossbar(deps: PipelineDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { em } = deps;
  const received = em.now();
  const url = new URL(req.url ?? '/', 'http://emulator');
  const hdrId = req.headers['x-request-id'];
  const ctx: Ctx = {
    em, method: (req.method ?? 'GET').toUpperCase(), path: url.pathname, query: url.searchParams, headers: req.headers,
    requestId: typeof hdrId === 'string' && hdrId ? hdrId : em.randomHex(16), envelope: {}, data: {}, nouns: [],
  };
  const raw = await readBody(req);
  let segs: string[];
  try {
    segs = url.pathname.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  } catch {
    segs = ['404'];
  }
  const roll = rollFaults(em.faults, (req.method ?? 'GET').toUpperCase(), url.pathname, deps.rnd);
  let reply: Reply;
  try {
    reply = roll.reply ?? (await process(ctx, raw, segs));
  } catch (e) {
    reply = fail(500, 'unspecified_fault', { message: (e as Error).message });
  }
  if (em.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, em.faults.latencyMs));
  const entry: RequestLogEntry = {
    method: req.method ?? 'GET', path: url.pathname, query: url.search.replace(/^\?/, ''), status: reply.status, at: em.now(), received, requestId: ctx.requestId,
    ...(req.socket.remotePort !== undefined ? { connection: req.socket.remotePort } : {}),
  };
  if (roll.reset) {
    deps.log({ ...entry, status: 0 });
    req.socket.destroy();
    return;
  }
  const out = render(ctx, reply, deps.buckets);
  deps.log(entry);
  res.writeHead(out.status, out.headers);
  res.end(req.method === 'HEAD' ? undefined : out.body);
}

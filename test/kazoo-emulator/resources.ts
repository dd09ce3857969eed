// Resources (carriers), global in `offnet` and local in account dbs (spec §1.5–§1.12, §2.4):
// create with client ids, read, POST replace, PATCH shallow merge, soft delete, listing, collections.
import {
  badIdentifier, conflict, created, forbidden, initFailed, ok, validationError,
  type Ctx, type Endpoint, type Reply,
} from './context.ts';
import { precondition } from './conditional.ts';
import { list, type Row } from './listing.ts';
import { accountDb, privateFields, publicFields, requestPublic } from './store.ts';
import { stringifyNumbers } from './quirks.ts';
import type { ValidationErrors } from './validation.ts';
import type { Doc, JsonObject } from './types.ts';

export interface Scope {
  db: string;
  accountId?: string; // absent for global (offnet)
  deprecated: boolean; // 4.3 `local_resources` noun
}

/** Authorization for a scope: global needs super-duper admin (else the 500 "init failed" of §1.3). */
export function authorizeScope(ctx: Ctx, scope: Scope): Reply | undefined {
  const auth = ctx.auth!;
  if (!scope.accountId) return auth.superduper ? undefined : initFailed();
  return authorizeAccount(ctx, scope.accountId);
}

/** The intended cb_simple_authz rule: the token's account is {A} or an ancestor of {A}, or super-duper. */
export function authorizeAccount(ctx: Ctx, accountId: string): Reply | undefined {
  const auth = ctx.auth!;
  const store = ctx.em.store;
  if (!store.accounts.has(accountId)) return auth.superduper ? badIdentifier(accountId) : forbidden();
  if (auth.superduper || store.isAncestorOrSelf(auth.accountId, accountId)) return undefined;
  return forbidden();
}

const LISTING_FIELDS = ['id', 'name', 'enabled', 'weight_cost', 'template_name', 'classifiers'];

function loadResource(ctx: Ctx, scope: Scope, id: string): Doc | undefined {
  const d = ctx.em.store.get(scope.db, id);
  if (!d || d['pvt_type'] !== 'resource' || d['pvt_deleted'] === true) return undefined;
  return d;
}

function out(ctx: Ctx, data: JsonObject): JsonObject {
  return ctx.em.faults.docsQuirks ? (stringifyNumbers(data) as JsonObject) : data;
}

export function listingReply(ctx: Ctx, scope: Scope, status = 200): Reply {
  const rows: Row[] = [];
  for (const d of ctx.em.store.db(scope.db).values()) {
    if (d['pvt_type'] !== 'resource' || d['pvt_deleted'] === true) continue;
    const pub = publicFields(d);
    const value: JsonObject = {};
    for (const k of LISTING_FIELDS) if (pub[k] !== undefined) value[k] = pub[k];
    rows.push({ key: d._id, id: d._id, value: out(ctx, value), doc: d });
  }
  const legacy = ctx.em.flavor === '4.3';
  const r = list(ctx, rows, {
    engine: legacy ? 'legacy' : 'view', descending: !legacy, reversePage: legacy,
    defaultPageSize: ctx.em.store.config.page_size,
  });
  if ('error' in r) return r.error;
  return { status, data: r.items, envelope: r.envelope, etag: ctx.method === 'GET' };
}

function pvtFor(ctx: Ctx, scope: Scope, created?: number): JsonObject {
  const now = ctx.em.nowG();
  return {
    pvt_type: 'resource', pvt_vsn: '1', pvt_account_db: scope.db,
    ...(scope.accountId ? { pvt_account_id: scope.accountId } : {}),
    pvt_created: created ?? now, pvt_modified: now, pvt_request_id: ctx.requestId, pvt_is_authenticated: true,
    pvt_auth_account_id: ctx.auth!.accountId, ...(ctx.auth!.ownerId ? { pvt_auth_user_id: ctx.auth!.ownerId } : {}),
  };
}

function withAlphanum(doc: JsonObject): JsonObject {
  return { ...doc, pvt_alphanum_name: String(doc['name'] ?? '').toLowerCase().replace(/[^a-z0-9]/g, '') };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Local-only peer checks (§2.4), run after schema validation succeeded. */
function peerChecks(ctx: Ctx, doc: JsonObject, selfId: string | undefined): ValidationErrors | undefined {
  if (doc['peer'] !== true) return undefined;
  if (!ctx.em.store.config.allow_peers) {
    return { peer: { forbidden: { message: 'Peers are currently disabled, please contact the system admin' } } };
  }
  const used = new Set<string>();
  for (const [dbName, db] of ctx.em.store.dbs) {
    if (dbName !== 'offnet' && !dbName.startsWith('account%2F')) continue;
    for (const d of db.values()) {
      if (d['pvt_type'] !== 'resource' || d['pvt_deleted'] === true || d._id === selfId) continue;
      if (dbName !== 'offnet' && d['peer'] !== true) continue;
      for (const g of (Array.isArray(d['gateways']) ? d['gateways'] : []) as JsonObject[]) {
        for (const ip of [g['inbound_ip'], g['server']]) if (typeof ip === 'string' && IPV4.test(ip)) used.add(ip);
      }
    }
  }
  const errs: ValidationErrors = {};
  const gws = (Array.isArray(doc['gateways']) ? doc['gateways'] : []) as JsonObject[];
  gws.forEach((g, i) => {
    const inbound = typeof g['inbound_ip'] === 'string' && IPV4.test(g['inbound_ip']) ? g['inbound_ip'] : undefined;
    const server = typeof g['server'] === 'string' && IPV4.test(g['server']) ? g['server'] : undefined;
    if (!inbound && !server) {
      errs[`gateways.${i}.server`] = { required: { message: 'Gateway server must be an IP when peering with the resource', cause: i } };
    } else if (inbound && used.has(inbound)) {
      errs[`gateways.${i}.inbound_ip`] = { unique: { message: 'Gateway inbound ip is already in use', cause: i } };
    } else if (!inbound && server && used.has(server)) {
      errs[`gateways.${i}.server`] = { unique: { message: 'Gateway server ip is already in use', cause: i } };
    }
  });
  return Object.keys(errs).length ? errs : undefined;
}

function requireObject(ctx: Ctx): Reply | undefined {
  const d = ctx.data;
  if (d && typeof d === 'object' && !Array.isArray(d)) return undefined;
  return validationError({ data: { type: { message: 'Value did not match type(s): object', target: 'object', value: d as never } } });
}

function validateDoc(ctx: Ctx, scope: Scope, body: JsonObject, selfId?: string, skipPeers = false) {
  const v = ctx.em.schemas.validate('resources', body);
  if (!v.ok) return { errors: v.errors };
  if (scope.accountId && !skipPeers) {
    const pe = peerChecks(ctx, v.data, selfId);
    if (pe) return { errors: pe };
  }
  const { id: _id, ...rest } = v.data;
  return { doc: rest };
}

function create(ctx: Ctx, scope: Scope): Reply {
  const bad = requireObject(ctx);
  if (bad) return bad;
  const pub = requestPublic(ctx.data as JsonObject);
  const id = pub['id'] !== undefined ? String(pub['id']) : ctx.em.randomHex(16);
  const v = validateDoc(ctx, scope, pub, id);
  if (v.errors) return validationError(v.errors);
  const pre = precondition(ctx, undefined);
  if (pre) return pre;
  if (ctx.em.store.get(scope.db, id)) return conflict();
  const saved = ctx.em.store.save(scope.db, withAlphanum({ ...v.doc, ...pvtFor(ctx, scope), _id: id, _rev: '' }) as Doc);
  return created(ctx, out(ctx, publicFields(saved)), id, saved._rev);
}

function read(ctx: Ctx, scope: Scope, id: string): Reply {
  const d = loadResource(ctx, scope, id);
  if (!d) return badIdentifier(id);
  return precondition(ctx, d._rev) ?? ok(out(ctx, publicFields(d)), { revision: d._rev, etag: true });
}

function replaceOrPatch(ctx: Ctx, scope: Scope, id: string, patch: boolean): Reply {
  const d = loadResource(ctx, scope, id);
  // POST validates the request body before loading the document (§1.7, §13 order of checks): an invalid body
  // to an unknown id is a 400, a valid one a 404. PATCH needs the stored document to merge into first.
  if (!d && patch) return badIdentifier(id);
  const bad = requireObject(ctx);
  if (bad) return bad;
  if (!d) {
    const v = validateDoc(ctx, scope, { ...requestPublic(ctx.data as JsonObject), id }, id);
    return v.errors ? validationError(v.errors) : badIdentifier(id);
  }
  let body = requestPublic(ctx.data as JsonObject);
  if (patch) {
    const merged: JsonObject = publicFields(d);
    delete merged['_read_only'];
    for (const [k, v] of Object.entries(body)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    body = merged;
  }
  body['id'] = id;
  const v = validateDoc(ctx, scope, body, id);
  if (v.errors) return validationError(v.errors);
  const pre = precondition(ctx, d._rev);
  if (pre) return pre;
  const next = withAlphanum({ ...privateFields(d), ...v.doc, pvt_modified: ctx.em.nowG(), _id: id }) as Doc;
  if (patch && scope.deprecated) return ok(out(ctx, publicFields(next)), { revision: d._rev });
  const saved = ctx.em.store.save(scope.db, next);
  return ok(out(ctx, publicFields(saved)), { revision: saved._rev });
}

function remove(ctx: Ctx, scope: Scope, id: string): Reply {
  const d = loadResource(ctx, scope, id);
  if (!d) return badIdentifier(id);
  const pre = precondition(ctx, d._rev);
  if (pre) return pre;
  const data = { ...publicFields(d), _read_only: { deleted: true } };
  if (ctx.query.get('should_soft_delete') === 'false') {
    ctx.em.store.hardDelete(scope.db, id);
    return ok(out(ctx, data), { revision: d._rev });
  }
  const saved = ctx.em.store.save(scope.db, { ...d, pvt_deleted: true, pvt_modified: ctx.em.nowG() });
  return ok(out(ctx, data), { revision: saved._rev });
}

function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const res: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete res[k];
    else if (v && typeof v === 'object' && !Array.isArray(v) && res[k] && typeof res[k] === 'object' && !Array.isArray(res[k])) {
      res[k] = deepMerge(res[k] as JsonObject, v as JsonObject);
    } else res[k] = v;
  }
  return res;
}

/** Collection PUT/POST: all-or-nothing; errors → `{errors}` with a success status, else the listing. */
function collection(ctx: Ctx, scope: Scope): Reply {
  const isPut = ctx.method === 'PUT';
  if (!Array.isArray(ctx.data)) {
    return validationError({ data: { type: { message: 'Value did not match type(s): array', target: 'array', value: ctx.data as never } } });
  }
  const errors: Record<string, unknown> = {};
  const toSave: Doc[] = [];
  const seen = new Set<string>();
  let clash = false;
  (ctx.data as unknown[]).forEach((el, i) => {
    const pub = el && typeof el === 'object' && !Array.isArray(el) ? requestPublic(el as JsonObject) : {};
    if (isPut) {
      const id = pub['id'] !== undefined ? String(pub['id']) : ctx.em.randomHex(16);
      const v = validateDoc(ctx, scope, pub, id, true);
      if (v.errors) errors[id] = v.errors;
      else {
        if (ctx.em.store.get(scope.db, id) || seen.has(id)) clash = true;
        seen.add(id);
        toSave.push(withAlphanum({ ...v.doc, ...pvtFor(ctx, scope), _id: id, _rev: '' }) as Doc);
      }
      return;
    }
    const id = pub['id'] !== undefined ? String(pub['id']) : String(i);
    const d = pub['id'] !== undefined ? loadResource(ctx, scope, id) : undefined;
    if (!d) {
      errors[id] = 'resource does not exist';
      return;
    }
    const current = publicFields(d);
    delete current['_read_only'];
    const v = validateDoc(ctx, scope, deepMerge(current, pub), id, true);
    if (v.errors) errors[id] = v.errors;
    else toSave.push(withAlphanum({ ...privateFields(d), ...v.doc, pvt_modified: ctx.em.nowG(), _id: id }) as Doc);
  });
  const status = isPut ? 201 : 200;
  if (Object.keys(errors).length) return { status, data: { errors } };
  if (clash) return conflict();
  for (const d of toSave) ctx.em.store.save(scope.db, d);
  return listingReply(ctx, scope, status);
}

/** The endpoint for `.../resources` (or 4.3 `local_resources`) with these args, jobs excluded. */
export function resourceEndpoint(scope: Scope, args: string[]): Endpoint | undefined {
  const authorize = (ctx: Ctx) => authorizeScope(ctx, scope);
  if (args.length === 0) {
    return { allowed: ['GET', 'PUT'], auth: 'token', authorize, handle: (ctx) => (ctx.method === 'GET' ? listingReply(ctx, scope) : create(ctx, scope)) };
  }
  if (args.length === 1 && args[0] === 'collection') {
    return { allowed: ['PUT', 'POST'], auth: 'token', authorize, handle: (ctx) => collection(ctx, scope) };
  }
  if (args.length === 1) {
    const id = args[0]!;
    return {
      allowed: ['GET', 'POST', 'PATCH', 'DELETE'], auth: 'token', authorize,
      handle(ctx) {
        switch (ctx.method) {
          case 'GET': return read(ctx, scope, id);
          case 'POST': return replaceOrPatch(ctx, scope, id, false);
          case 'PATCH': return replaceOrPatch(ctx, scope, id, true);
          default: return remove(ctx, scope, id);
        }
      },
    };
  }
  return undefined;
}

export function accountScope(accountId: string, deprecated = false): Scope {
  return { db: accountDb(accountId), accountId, deprecated };
}
export const globalScope = (deprecated = false): Scope => ({ db: 'offnet', deprecated });

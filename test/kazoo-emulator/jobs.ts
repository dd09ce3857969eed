// Resource jobs API (spec §5.1, §5.2, §5.4, §4 time ranges): PUT → 201 in the month's MODB, GET one with
// status/timestamp, the listing as upstream behaves (empty without a filter) and the created_* checks.
import { badIdentifier, created, fail, ok, validationError, type Ctx, type Endpoint, type Reply } from './context.ts';
import { precondition } from './conditional.ts';
import { hasDocFilter, list, type Row } from './listing.ts';
import { encodeStartKey } from './start-key.ts';
import { authorizeScope, type Scope } from './resources.ts';
import { jobDb } from './executor.ts';
import { GREGORIAN_OFFSET_S, modbName, publicFields, requestPublic, yyyymm } from './store.ts';
import { docsJob } from './quirks.ts';
import type { Doc, JsonObject } from './types.ts';

export const MAX_RANGE_S = 2682000;

function targetAccount(ctx: Ctx, scope: Scope): string {
  return scope.accountId ?? ctx.em.store.masterAccountId;
}

function shape(ctx: Ctx, job: JsonObject): JsonObject {
  return ctx.em.faults.docsQuirks ? docsJob(job) : job;
}

function createJob(ctx: Ctx, scope: Scope): Reply {
  const d = ctx.data;
  if (!d || typeof d !== 'object' || Array.isArray(d)) {
    return validationError({ data: { type: { message: 'Value did not match type(s): object', target: 'object', value: d as never } } });
  }
  const pub = requestPublic(d as JsonObject);
  delete pub['id'];
  const v = ctx.em.schemas.validate('resource_jobs', pub);
  if (!v.ok) return validationError(v.errors);
  const pre = precondition(ctx, undefined);
  if (pre) return pre;
  const em = ctx.em;
  const account = targetAccount(ctx, scope);
  const id = `${yyyymm(em.now())}-${em.randomHex(8)}`;
  const db = modbName(account, id.slice(0, 6));
  const now = em.nowG();
  const doc = {
    ...v.data, errors: {}, success: {}, _id: id, _rev: '',
    pvt_type: 'resource_job', pvt_status: 'pending', pvt_vsn: '1', pvt_account_id: account, pvt_account_db: db,
    pvt_created: now, pvt_modified: now, pvt_request_id: ctx.requestId, pvt_is_authenticated: true,
    pvt_auth_account_id: ctx.auth!.accountId, ...(ctx.auth!.ownerId ? { pvt_auth_user_id: ctx.auth!.ownerId } : {}),
    pvt_alphanum_name: String(v.data['name'] ?? '').toLowerCase().replace(/[^a-z0-9]/g, ''),
  } as Doc;
  const saved = em.store.save(db, doc);
  em.executor.publish(db, id);
  return created(ctx, shape(ctx, publicFields(saved)), id, saved._rev);
}

function readJob(ctx: Ctx, scope: Scope, jobId: string): Reply {
  const db = jobDb(targetAccount(ctx, scope), jobId);
  if (!db) return fail(404, 'bad identifier', [jobId]);
  const d = ctx.em.store.get(db, jobId);
  if (!d || d['pvt_type'] !== 'resource_job' || d['pvt_deleted'] === true) return badIdentifier(jobId);
  const pre = precondition(ctx, d._rev);
  if (pre) return pre;
  const data = { ...publicFields(d), status: d['pvt_status'], timestamp: d['pvt_created'] };
  return ok(shape(ctx, data), { revision: d._rev, etag: true });
}

/** created_from/created_to in Gregorian seconds; non-positive or non-numeric → defaults. */
function range(ctx: Ctx): { from: number; to: number } | Reply {
  const num = (k: string): number | undefined => {
    const raw = ctx.query.get(k);
    if (raw === null || !/^\d+$/.test(raw.trim())) return undefined;
    const n = parseInt(raw, 10);
    return n > 0 ? n : undefined;
  };
  const to = num('created_to') ?? ctx.em.nowG();
  const from = num('created_from') ?? to - MAX_RANGE_S;
  if (to < from) {
    return validationError({ created_from: { date_range: { message: `created_to ${to} is prior to created_from ${from}`, cause: from } } });
  }
  if (to - from > MAX_RANGE_S) {
    return validationError({
      created_from: { date_range: { message: `created_to ${to} is more than ${MAX_RANGE_S} seconds from created_from ${from}`, cause: to } },
    });
  }
  return { from, to };
}

function monthsBetween(fromG: number, toG: number): string[] {
  const out: string[] = [];
  const d = new Date((fromG - GREGORIAN_OFFSET_S) * 1000);
  let y = d.getUTCFullYear();
  let m = d.getUTCMonth();
  const end = yyyymm((toG - GREGORIAN_OFFSET_S) * 1000);
  for (let guard = 0; guard < 24; guard++) {
    const ym = `${y}${String(m + 1).padStart(2, '0')}`;
    out.push(ym);
    if (ym >= end) break;
    m++;
    if (m === 12) {
      m = 0;
      y++;
    }
  }
  return out;
}

function listJobs(ctx: Ctx, scope: Scope): Reply {
  const r = range(ctx);
  if ('status' in r) return r;
  const account = targetAccount(ctx, scope);
  const docs: Doc[] = [];
  for (const ym of monthsBetween(r.from, r.to)) {
    const db = ctx.em.store.dbs.get(modbName(account, ym));
    if (!db) continue;
    for (const d of db.values()) {
      if (d['pvt_type'] !== 'resource_job' || d['pvt_deleted'] === true) continue;
      const c = Number(d['pvt_created']);
      if (c >= r.from && c <= r.to) docs.push(d);
    }
  }
  const quirks = ctx.em.faults.docsQuirks;
  const asc = ctx.query.get('ascending') === 'true';
  const startKey = asc ? r.from : r.to;
  if (!hasDocFilter(ctx.query) && !quirks) {
    // upstream bug (§5.4): rows without docs are dropped, so the listing is empty
    return ok([], { envelope: { page_size: 0, start_key: encodeStartKey(startKey) }, etag: true });
  }
  const rows: Row[] = docs.map((d) => {
    const value = quirks
      ? {
          id: d._id, timestamp: d['pvt_modified'], status: d['pvt_status'],
          failures: Object.keys((d['errors'] as JsonObject) ?? {}).length,
          successes: Object.keys((d['success'] as JsonObject) ?? {}).length,
          resource_id: d['resource_id'], ...(d['name'] !== undefined ? { name: d['name'] } : {}),
        }
      : publicFields(d);
    return { key: Number(d['pvt_created']), id: d._id, value, doc: d };
  });
  const res = list(ctx, rows, { engine: 'view', descending: true, startKey, defaultPageSize: ctx.em.store.config.page_size });
  if ('error' in res) return res.error;
  return ok(res.items, { envelope: res.envelope, etag: true });
}

export function jobsEndpoint(scope: Scope, args: string[]): Endpoint | undefined {
  const authorize = (ctx: Ctx) => authorizeScope(ctx, scope);
  if (args.length === 1) {
    return { allowed: ['GET', 'PUT'], auth: 'token', authorize, handle: (ctx) => (ctx.method === 'GET' ? listJobs(ctx, scope) : createJob(ctx, scope)) };
  }
  if (args.length === 2) return { allowed: ['GET'], auth: 'token', authorize, handle: (ctx) => readJob(ctx, scope, args[1]!) };
  return undefined;
}

// Numbers: the knm rules a job applies to each entry (spec §5.3, §13) and the phone_numbers endpoints
// (list and single, §7, plus the create/delete/activate calls of the kazoo_proper sequence, §8).
import { fail, ok, type Ctx, type Endpoint, type Reply } from './context.ts';
import { list, type Row } from './listing.ts';
import { authorizeAccount } from './resources.ts';
import { availableClassifiers, classifiedNumber, runtimeClassifiers } from './routing-config.ts';
import type { Emu } from './context.ts';
import type { Flavor, JsonObject, NumberRec } from './types.ts';

export const RECONCILE = /^(\+?1)?\d{10}$|^\+[2-9]\d{7,}$|^011\d*$|^00\d*$/;

/** Default e164_converters; undefined when the string cannot be converted. */
export function normalize(raw: string): string | undefined {
  if (/^\d{10}$/.test(raw)) return `+1${raw}`;
  if (/^1\d{10}$/.test(raw)) return `+${raw}`;
  if (/^\+1\d{10}$/.test(raw)) return raw;
  let m = /^011(\d+)$/.exec(raw) ?? /^00(\d+)$/.exec(raw);
  if (m) return m[1]!.length >= 2 ? `+${m[1]}` : undefined;
  m = /^\+([2-9]\d{7,})$/.exec(raw);
  if (m) return raw;
  return undefined;
}

export const carrierModule = (module: string): string => module.replace(/^knm_/, '');

/** The public JSON of a number (knm_phone_number:to_public_json/1); 5.0 has no `_read_only.state`. */
export function publicNumber(n: NumberRec, flavor: Flavor): JsonObject {
  const ro: JsonObject = {
    created: n.created, modified: n.modified, ...(flavor === '4.3' ? { state: n.state } : {}),
    carrier_module: carrierModule(n.module), features: { available: [], settings: {} },
  };
  return {
    id: n.number, ...(n.resource_id ? { resource_id: n.resource_id } : {}), state: n.state,
    ...(n.used_by ? { used_by: n.used_by } : {}), ...(n.features.length ? { features: n.features } : {}),
    _read_only: ro,
  };
}

const knmError = (code: number, error: string, cause: string, message: string): JsonObject => ({ code, error, cause, message });

export type JobOutcome = { ok: true; key: string; value: JsonObject } | { ok: false; value: unknown };

/** Create one number for a job, in the order of checks of §13. */
export function createForJob(em: Emu, raw: string, o: { accountId: string; authAccountId: string; resourceId: string; module: string }): JobOutcome {
  const store = em.store;
  if (!RECONCILE.test(raw)) return { ok: false, value: em.flavor === '4.3' ? 'not_reconcilable' : { reason: 'not_reconcilable' } };
  const num = normalize(raw);
  if (!num) return { ok: false, value: em.flavor === '4.3' ? 'not_reconcilable' : { reason: 'not_reconcilable' } };
  const existing = store.numbers.get(num);
  const live = existing && existing.state !== 'deleted' ? existing : undefined;
  if (live && live.state !== 'available') {
    if (live.state === 'aging' || live.state === 'port_in') {
      return { ok: false, value: knmError(400, 'invalid_state_transition', `from ${live.state} to reserved`, 'invalid state transition') };
    }
    return { ok: false, value: knmError(409, 'number_exists', num, `number ${num} already exists`) };
  }
  if (!live) {
    const auth = store.accounts.get(o.authAccountId);
    if (!auth || !(auth.superduper_admin || auth.allow_number_additions)) {
      const cause = em.flavor === '4.3' ? 'state_for_create' : "creating number in state 'reserved' is not allowed";
      return { ok: false, value: knmError(403, 'forbidden', cause, 'requestor is unauthorized to perform operation') };
    }
  }
  if (store.portRequests.has(num)) return { ok: false, value: knmError(400, 'number_is_porting', num, `number ${num} is porting`) };
  if (o.module === 'knm_other' && !store.config.phonebook_url) {
    return { ok: false, value: { code: 500, error: 'unspecified_fault', message: 'missing_provider_url' } };
  }
  const now = em.nowG();
  const rec: NumberRec = {
    number: num, account_id: o.accountId, state: 'reserved', module: o.module, resource_id: o.resourceId,
    created: live?.created ?? now, modified: now, features: live?.features ?? [],
  };
  store.numbers.set(num, rec);
  store.changed();
  return { ok: true, key: num, value: publicNumber(rec, em.flavor) };
}

function visible(ctx: Ctx, accountId: string, n: NumberRec | undefined): n is NumberRec {
  return !!n && n.state !== 'deleted' && ctx.em.store.isAncestorOrSelf(accountId, n.account_id);
}

function listNumbers(ctx: Ctx, accountId: string): Reply {
  const store = ctx.em.store;
  const rows: Row[] = [];
  const entry = (n: { number: string; state: string; account_id: string; created: number; modified: number; used_by?: string; features: string[] }) => ({
    state: n.state, features: n.features, assigned_to: n.account_id, used_by: n.used_by ?? '',
    created: n.created, updated: n.modified, features_available: [],
  });
  for (const n of store.numbers.values()) {
    if (n.account_id !== accountId || n.state === 'deleted') continue;
    const doc = { state: n.state, pvt_state: n.state, assigned_to: n.account_id, pvt_assigned_to: n.account_id, pvt_module_name: n.module, ...(n.resource_id ? { resource_id: n.resource_id } : {}) };
    rows.push({ key: n.number, id: n.number, value: [n.number, entry(n)], doc });
  }
  if (ctx.query.get('include_ports') !== 'false') {
    for (const p of store.portRequests.values()) {
      if (p.account_id !== accountId || store.numbers.has(p.number)) continue;
      const now = ctx.em.nowG();
      const e = { number: p.number, state: 'port_in', account_id: accountId, created: now, modified: now, features: [] };
      rows.push({ key: p.number, id: p.number, value: [p.number, entry(e)], doc: { state: 'port_in', pvt_state: 'port_in', assigned_to: accountId } });
    }
  }
  const legacy = ctx.em.flavor === '4.3';
  const r = list(ctx, rows, { engine: legacy ? 'legacy' : 'view', descending: !legacy, defaultPageSize: store.config.page_size });
  if ('error' in r) return r.error;
  const numbers: JsonObject = {};
  for (const [num, e] of r.items as [string, JsonObject][]) numbers[num] = e;
  let cascade = 0;
  for (const n of store.numbers.values()) {
    if (n.state !== 'deleted' && n.account_id !== accountId && store.isAncestorOrSelf(accountId, n.account_id)) cascade++;
  }
  return ok({ numbers, cascade_quantity: cascade }, { envelope: r.envelope, etag: true });
}

const notVisible = (): Reply => fail(404, 'bad_identifier', { message: 'bad identifier', not_found: 'The number could not be found' });

function single(ctx: Ctx, accountId: string, raw: string): Reply {
  const store = ctx.em.store;
  const num = normalize(raw) ?? raw;
  const n = store.numbers.get(num);
  if (ctx.method === 'GET') return visible(ctx, accountId, n) ? ok(publicNumber(n, ctx.em.flavor)) : notVisible();
  if (ctx.method === 'DELETE') {
    if (!visible(ctx, accountId, n)) return notVisible();
    n.state = 'deleted';
    n.modified = ctx.em.nowG();
    store.changed();
    return ok(publicNumber(n, ctx.em.flavor));
  }
  // PUT: create the number in the account (kazoo_proper pqc_cb_phone_numbers)
  if (!RECONCILE.test(raw) || !normalize(raw)) return fail(400, 'not_reconcilable', { cause: raw, message: 'number is not reconcilable' });
  if (n && n.state !== 'deleted' && n.state !== 'available') {
    return fail(409, 'number_exists', { cause: num, code: 409, error: 'number_exists', message: `number ${num} already exists` });
  }
  const auth = store.accounts.get(ctx.auth!.accountId);
  if (!auth || !(auth.superduper_admin || auth.allow_number_additions)) {
    return fail(403, 'forbidden', { cause: 'state_for_create', message: 'requestor is unauthorized to perform operation' });
  }
  const env = ctx.envelope;
  const module = typeof env['carrier_name'] === 'string' ? env['carrier_name'] : 'knm_local';
  const now = ctx.em.nowG();
  const rec: NumberRec = { number: num, account_id: accountId, state: 'reserved', module, created: now, modified: now, features: [] };
  store.numbers.set(num, rec);
  store.changed();
  return { status: 201, data: publicNumber(rec, ctx.em.flavor) };
}

function activate(ctx: Ctx, accountId: string, raw: string): Reply {
  const num = normalize(raw) ?? raw;
  const n = ctx.em.store.numbers.get(num);
  if (!visible(ctx, accountId, n)) return notVisible();
  n.state = 'in_service';
  n.modified = ctx.em.nowG();
  ctx.em.store.changed();
  return { status: 201, data: publicNumber(n, ctx.em.flavor) };
}

export function phoneNumbersEndpoint(accountId: string, args: string[]): Endpoint | undefined {
  const authorize = (ctx: Ctx) => authorizeAccount(ctx, accountId);
  if (args.length === 0) return { allowed: ['GET'], auth: 'token', authorize, handle: (ctx) => listNumbers(ctx, accountId) };
  // routing-spec §10: the classifier table in runtime order (available_classifiers/0) and one number's class
  if (args[0] === 'classifiers' && args.length <= 2) {
    return {
      allowed: ['GET'], auth: 'token', authorize,
      handle: (ctx) => {
        const { store, flavor } = ctx.em;
        const data = args[1] === undefined ? availableClassifiers(runtimeClassifiers(store, flavor), flavor) : classifiedNumber(args[1], store, flavor);
        return ok(data, { ordered: true });
      },
    };
  }
  if (args.length === 1) return { allowed: ['GET', 'PUT', 'DELETE'], auth: 'token', authorize, handle: (ctx) => single(ctx, accountId, args[0]!) };
  if (args.length === 2 && args[1] === 'activate') {
    return { allowed: ['PUT'], auth: 'token', authorize, handle: (ctx) => activate(ctx, accountId, args[0]!) };
  }
  return undefined;
}


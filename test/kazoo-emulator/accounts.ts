// Accounts (spec §6.4, §8): GET one account (public fields only), PUT a child account (kazoo_proper),
// children and descendants listings with each flavor's order and start keys, and the ancestors of an account
// (`parents`, `tree`) that the routing simulator needs for hunt-account checks (routing-spec §2.1, §10).
import { created, ok, validationError, type Ctx, type Endpoint, type Reply } from './context.ts';
import { list, type Row } from './listing.ts';
import { authorizeAccount } from './resources.ts';
import { accountDb, normalizeName, requestPublic, toGregorian } from './store.ts';
import type { AccountRec, JsonObject } from './types.ts';

export function accountPublic(a: AccountRec): JsonObject {
  return {
    id: a.id, name: a.name, realm: a.realm, enabled: a.enabled, language: 'en-us', timezone: 'America/Los_Angeles',
    ...(a.parent_id ? { _read_only: { parent_id: a.parent_id } } : {}),
  };
}

function getAccount(ctx: Ctx, id: string): Reply {
  const a = ctx.em.store.accounts.get(id)!;
  const rev = `1-${Buffer.from(a.id).toString('hex').slice(0, 32)}`;
  return ok(accountPublic(a), { revision: rev, etag: true });
}

function createChild(ctx: Ctx, parentId: string): Reply {
  const store = ctx.em.store;
  const d = ctx.data && typeof ctx.data === 'object' && !Array.isArray(ctx.data) ? requestPublic(ctx.data as JsonObject) : {};
  const errs: Record<string, Record<string, JsonObject>> = {};
  if (typeof d['name'] !== 'string' || d['name'].length === 0) {
    errs['name'] = { required: { message: 'Field is required but missing', value: 'name' } };
  } else if ([...store.accounts.values()].some((a) => normalizeName(a.name) === normalizeName(String(d['name'])))) {
    errs['name'] = { unique: { message: 'Account name already in use', cause: d['name'] } };
  }
  if (Object.keys(errs).length) return validationError(errs);
  const id = typeof d['id'] === 'string' && /^[0-9a-f]{32}$/.test(d['id']) && !store.accounts.has(d['id']) ? d['id'] : ctx.em.randomHex(16);
  const parent = store.accounts.get(parentId)!;
  const name = String(d['name']);
  const rec: AccountRec = {
    id, name, realm: typeof d['realm'] === 'string' ? d['realm'] : `${normalizeName(name) || id.slice(0, 8)}.sip.example.com`,
    parent_id: parentId, tree: [...parent.tree, parentId], superduper_admin: false, reseller: false,
    allow_number_additions: false, enabled: d['enabled'] !== false, created: toGregorian(ctx.em.now()),
  };
  store.accounts.set(id, rec);
  store.db(accountDb(id));
  store.changed();
  return created(ctx, accountPublic(rec), id, `1-${Buffer.from(id).toString('hex').slice(0, 32)}`);
}

function tree(ctx: Ctx, id: string, kind: 'children' | 'descendants'): Reply {
  const store = ctx.em.store;
  const legacy = ctx.em.flavor === '4.3';
  const rows: Row[] = [];
  for (const a of store.accounts.values()) {
    const match = kind === 'children' ? a.parent_id === id : a.tree.includes(id);
    if (!match) continue;
    const value: JsonObject =
      kind === 'children'
        ? { id: a.id, name: a.name, realm: a.realm, descendants_count: [...store.accounts.values()].filter((x) => x.tree.includes(a.id)).length, flags: [] }
        : { id: a.id, name: a.name, realm: a.realm, tree: a.tree, flags: [] };
    // 4.3 reduces keys to the name part; 5.0 keys by [parent_or_ancestor_id, name]
    rows.push({ key: legacy ? a.name : [id, a.name], id: a.id, value, doc: { ...value, pvt_type: 'account' } });
  }
  const r = list(ctx, rows, { engine: legacy ? 'legacy' : 'view', descending: !legacy, defaultPageSize: store.config.page_size });
  if ('error' in r) return r.error;
  return ok(r.items, { envelope: r.envelope, etag: true });
}

/**
 * cb_accounts load_parents/2 and load_account_tree/1: the ancestors of {A} as {id, name}, root first. `parents` lists
 * them from the requester's own account down (all of them when the requester is not among them); `tree` only from the
 * requester's account down (nothing when it is not among them). Not paginated; page_size is the count.
 */
function ancestors(ctx: Ctx, id: string, kind: 'parents' | 'tree'): Reply {
  const store = ctx.em.store;
  const chain = store.accounts.get(id)!.tree;
  const at = chain.indexOf(ctx.auth!.accountId);
  const ids = at >= 0 ? chain.slice(at) : kind === 'parents' ? chain : [];
  const items = ids.map((a) => ({ id: a, name: store.accounts.get(a)?.name ?? a }));
  return ok(items, { envelope: { page_size: items.length }, etag: true });
}

export function accountsEndpoint(args: string[]): Endpoint | undefined {
  const id = args[0];
  if (!id) return undefined;
  const authorize = (ctx: Ctx) => authorizeAccount(ctx, id);
  if (args.length === 1) {
    return { allowed: ['GET', 'PUT'], auth: 'token', authorize, handle: (ctx) => (ctx.method === 'GET' ? getAccount(ctx, id) : createChild(ctx, id)) };
  }
  if (args.length === 2 && (args[1] === 'parents' || args[1] === 'tree')) {
    const kind = args[1];
    return { allowed: ['GET'], auth: 'token', authorize, handle: (ctx) => ancestors(ctx, id, kind) };
  }
  if (args.length === 2 && (args[1] === 'children' || args[1] === 'descendants')) {
    const kind = args[1];
    return { allowed: ['GET'], auth: 'token', authorize, handle: (ctx) => tree(ctx, id, kind) };
  }
  return undefined;
}

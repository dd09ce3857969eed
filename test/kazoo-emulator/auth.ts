// Authentication (spec §6): PUT user_auth (md5/sha credentials), PUT api_auth, signed JWT tokens that
// expire by the injected clock and die on revokeTokens(), token lookup order, GET/DELETE token_auth.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { fail, ok, validationError, type AuthInfo, type Ctx, type Endpoint, type Reply } from './context.ts';
import { md5, normalizeName, type Store } from './store.ts';
import type { AccountRec, JsonObject } from './types.ts';

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');

export function signToken(store: Store, claims: JsonObject): string {
  const head = b64({ alg: 'HS256', typ: 'JWT' });
  const body = b64(claims);
  const sig = createHmac('sha256', store.tokenSecret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

/** Claims of a valid token, or undefined (bad signature, expired, revoked, account gone/disabled). */
export function verifyToken(store: Store, token: string, nowMs: number): JsonObject | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const expect = createHmac('sha256', store.tokenSecret).update(`${parts[0]}.${parts[1]}`).digest();
  const got = Buffer.from(parts[2]!, 'base64url');
  if (got.length !== expect.length || !timingSafeEqual(got, expect)) return undefined;
  let claims: JsonObject;
  try {
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as JsonObject;
  } catch {
    return undefined;
  }
  if (typeof claims['exp'] !== 'number' || claims['exp'] * 1000 <= nowMs) return undefined;
  if (claims['epoch'] !== store.tokenEpoch) return undefined;
  const acc = store.accounts.get(String(claims['account_id']));
  if (!acc || !acc.enabled) return undefined;
  return claims;
}

/** Token from X-Auth-Token, then `auth_token` in the query string or envelope, then Authorization: Bearer. */
export function findToken(ctx: Ctx): string | undefined {
  const h = ctx.headers['x-auth-token'];
  if (typeof h === 'string' && h) return h;
  const q = ctx.query.get('auth_token');
  if (q) return q;
  const e = ctx.envelope['auth_token'];
  if (typeof e === 'string' && e) return e;
  const a = ctx.headers.authorization;
  if (typeof a === 'string' && /^bearer\s+/i.test(a)) return a.replace(/^bearer\s+/i, '').trim();
  return undefined;
}

/** 401 replies: no token → `invalid_credentials`; a token that is not accepted → `invalid credentials`, data {}. */
export function authenticate(ctx: Ctx): Reply | undefined {
  const token = findToken(ctx);
  if (!token) return fail(401, 'invalid_credentials', { message: 'invalid credentials' });
  ctx.authToken = token;
  const claims = verifyToken(ctx.em.store, token, ctx.em.now());
  if (!claims) return fail(401, 'invalid credentials', {});
  const accountId = String(claims['account_id']);
  ctx.auth = {
    accountId,
    ...(typeof claims['owner_id'] === 'string' ? { ownerId: claims['owner_id'] } : {}),
    method: String(claims['method']),
    superduper: ctx.em.store.isSuperDuper(accountId),
    token,
    claims,
  };
  return undefined;
}

function issue(ctx: Ctx, acc: AccountRec, method: string, ownerId?: string): Reply {
  const em = ctx.em;
  const nowS = Math.floor(em.now() / 1000);
  const claims: JsonObject = {
    account_id: acc.id, ...(ownerId ? { owner_id: ownerId } : {}), method, iat: nowS,
    exp: nowS + em.store.config.token_lifetime_s, epoch: em.store.tokenEpoch, jti: em.randomHex(8),
  };
  const token = signToken(em.store, claims);
  ctx.authToken = token;
  ctx.auth = { accountId: acc.id, ...(ownerId ? { ownerId } : {}), method, superduper: acc.superduper_admin, token, claims };
  const resellerId = em.store.resellerOf(acc.id);
  const data: JsonObject = {
    account_id: acc.id, ...(ownerId ? { owner_id: ownerId } : {}), apps: [], language: 'en-us', account_name: acc.name,
    reseller_id: resellerId, is_reseller: acc.reseller, is_master_account: acc.id === em.store.masterAccountId,
    capabilities: {}, ui_config: {},
  };
  return { status: 201, data, revision: md5(token).slice(0, 32) };
}

function accountLocked(acc: AccountRec): Reply | undefined {
  if (acc.enabled) return undefined;
  return validationError({ account: { disabled: { message: 'account is disabled', cause: acc.name } as never } });
}

export const userAuthEndpoint: Endpoint = {
  allowed: ['PUT'],
  auth: 'none',
  handle(ctx) {
    const v = ctx.em.schemas.validate('user_auth', ctx.data ?? {});
    if (!v.ok) return validationError(v.errors);
    const d = v.data;
    const store = ctx.em.store;
    const candidates: AccountRec[] = [];
    if (typeof d['phone_number'] === 'string') {
      const n = store.numbers.get(d['phone_number']);
      const a = n && store.accounts.get(n.account_id);
      if (a) candidates.push(a);
    }
    const realm = (d['account_realm'] ?? d['realm']) as string | undefined;
    if (candidates.length === 0 && typeof realm === 'string') {
      for (const a of store.accounts.values()) if (a.realm.toLowerCase() === realm.toLowerCase()) candidates.push(a);
    }
    if (candidates.length === 0 && typeof d['account_name'] === 'string') {
      const want = normalizeName(d['account_name']);
      for (const a of store.accounts.values()) if (normalizeName(a.name) === want) candidates.push(a);
    }
    const method = d['method'] === 'sha' ? 'sha' : 'md5';
    const creds = String(d['credentials']).toLowerCase();
    for (const acc of candidates) {
      const user = [...store.users.values()].find(
        (u) => u.account_id === acc.id && u.enabled && (method === 'md5' ? u.md5 : u.sha1) === creds,
      );
      if (!user) continue;
      return accountLocked(acc) ?? issue(ctx, acc, 'cb_user_auth', user.id);
    }
    return fail(401, 'invalid_credentials', { message: 'invalid credentials' });
  },
};

export const apiAuthEndpoint: Endpoint = {
  allowed: ['PUT'],
  auth: 'none',
  handle(ctx) {
    const v = ctx.em.schemas.validate('api_auth', ctx.data ?? {});
    if (!v.ok) return validationError(v.errors);
    const key = String(v.data['api_key']);
    const acc = [...ctx.em.store.accounts.values()].find((a) => a.api_key === key);
    if (!acc) return fail(404, 'bad identifier', [key]);
    return accountLocked(acc) ?? issue(ctx, acc, 'cb_api_auth');
  },
};

export const tokenAuthEndpoint: Endpoint = {
  allowed: ['GET', 'DELETE'],
  auth: 'token',
  handle(ctx) {
    const a = ctx.auth as AuthInfo;
    const { epoch: _e, jti: _j, ...claims } = a.claims;
    return ok({ ...claims, account_id: a.accountId, is_superduper_admin: a.superduper });
  },
};

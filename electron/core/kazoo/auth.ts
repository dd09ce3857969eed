// Logging in to Crossbar (user_auth / api_auth), the token and its expiry, and ONE shared re-authentication.
import { createHash } from 'node:crypto';
import type { Clock, Logger } from '../platform.ts';
import { redactor } from '../secrets/redactor.ts';
import { asNumber, asString, isObject } from './coerce.ts';
import { AbortedError, AuthError, BadReplyError, KazooError, NotCrossbarError, NotFoundError, ValidationError } from './errors.ts';
import { retryPolicy, withRetry, type Sleep } from './retry.ts';
import { newRequestId, type Transport } from './transport.ts';
import type { ClusterConnection, TokenCache } from './types.ts';

export interface Session {
  token: string;
  accountId: string;
  accountName?: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** Hex digest of "username:password" as Crossbar's user_auth expects (md5 default, sha1 with method "sha"). */
export function credentialsHash(username: string, password: string, hash: 'md5' | 'sha' = 'md5'): string {
  // Kazoo stores usernames lower-cased and hashes that form (cb_users), as Monster UI does at login.
  return createHash(hash === 'sha' ? 'sha1' : 'md5').update(`${username.trim().toLowerCase()}:${password}`).digest('hex');
}

/** Reads the `exp` claim (seconds) of a JWT without verifying it; undefined when not a JWT. */
export function jwtExpiryMs(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    const exp = isObject(claims) ? asNumber(claims.exp) : undefined;
    return exp === undefined ? undefined : exp * 1000;
  } catch {
    return undefined;
  }
}

/** A token is used until a margin before its expiry: 60 s, or a tenth of a short lifetime. */
export function expiryMarginMs(lifetimeMs: number): number {
  return Math.min(60_000, Math.max(0, lifetimeMs / 10));
}

/** Races a shared promise against one caller's abort signal (the shared work itself is not cancelled). */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new AbortedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export interface AuthDeps {
  clock: Clock;
  logger: Logger;
  tokenCache?: TokenCache | undefined;
  sleep: Sleep;
}

export class Authenticator {
  private session: Session | undefined;
  private inflight: Promise<Session> | undefined;
  private readonly lifetimeMs: number;
  private readonly body: Record<string, unknown>;
  private readonly path: string;
  /** How many logins this client performed (diagnostics and tests). */
  logins = 0;

  constructor(
    private readonly conn: ClusterConnection,
    private readonly transport: Transport,
    private readonly deps: AuthDeps,
  ) {
    this.lifetimeMs = (conn.tokenLifetimeS ?? 3600) * 1000;
    const a = conn.auth;
    if (a.kind === 'api_key') {
      redactor.add(a.apiKey);
      this.path = '/v2/api_auth';
      this.body = { api_key: a.apiKey };
    } else {
      redactor.add(a.password);
      const credentials = credentialsHash(a.username, a.password, a.hash);
      redactor.add(credentials);
      this.path = '/v2/user_auth';
      this.body = { account_name: a.accountName, credentials, ...(a.hash === 'sha' ? { method: 'sha' } : {}) };
    }
  }

  private usable(s: Session | undefined): s is Session {
    return !!s && this.deps.clock.now() < s.expiresAt - expiryMarginMs(this.lifetimeMs);
  }

  /** The current session if it is still usable, from memory or the token cache. */
  current(): Session | undefined {
    if (this.usable(this.session)) return this.session;
    const cached = this.deps.tokenCache?.get(this.conn.id);
    if (cached && this.usable(cached)) {
      redactor.add(cached.token);
      this.session = { token: cached.token, accountId: cached.accountId, expiresAt: cached.expiresAt };
      return this.session;
    }
    return undefined;
  }

  /** A usable session, logging in (once for all concurrent callers) when needed. */
  async ensure(signal?: AbortSignal): Promise<Session> {
    return this.current() ?? this.login(signal);
  }

  /**
   * Called after a 401 to a request sent with `usedToken`. If another caller already replaced that token,
   * its session is returned; otherwise the token is dropped and one shared login runs.
   */
  async refreshAfter401(usedToken: string, signal?: AbortSignal): Promise<Session> {
    if (this.session && this.session.token !== usedToken && this.usable(this.session)) return this.session;
    if (this.inflight) return abortable(this.inflight, signal);
    this.invalidate(usedToken);
    return this.login(signal);
  }

  /** Forgets the token (all of it, or only if it is `token`). */
  invalidate(token?: string): void {
    if (token === undefined || this.session?.token === token) this.session = undefined;
    const cached = this.deps.tokenCache?.get(this.conn.id);
    if (cached && (token === undefined || cached.token === token)) this.deps.tokenCache?.clear(this.conn.id);
  }

  private login(signal: AbortSignal | undefined): Promise<Session> {
    this.inflight ??= this.doLogin().finally(() => {
      this.inflight = undefined;
    });
    return abortable(this.inflight, signal);
  }

  private async doLogin(): Promise<Session> {
    const requestId = newRequestId();
    this.logins++;
    // Logging in has no lasting effect beyond a new token, so it is retried like an idempotent request.
    const reply = await withRetry(
      (n) => this.transport.send<unknown>({ method: 'PUT', path: this.path, body: { data: this.body }, requestId, attempt: n, replyKind: 'login' }),
      { policy: retryPolicy(this.conn.retry), idempotent: true, now: () => this.deps.clock.now(), sleep: this.deps.sleep },
    ).catch((e: unknown) => {
      throw this.loginError(e);
    });
    const env = reply.envelope;
    const token = env?.authToken;
    const data = isObject(env?.data) ? env.data : {};
    const accountId = asString(data.account_id);
    if (!token || !accountId) {
      throw new NotCrossbarError(`The server accepted the login at ${this.path} but sent no auth token or account id; it does not behave like Crossbar.`, {
        status: reply.httpStatus,
        requestId,
      });
    }
    // The token goes back in a header: anything but visible ASCII would break every later request.
    if (!/^[\x21-\x7e]+$/.test(token)) {
      throw new BadReplyError(`The server accepted the login at ${this.path} but sent an auth token with characters no token has; it does not behave like Crossbar.`, {
        status: reply.httpStatus,
        requestId,
      });
    }
    redactor.add(token);
    const now = this.deps.clock.now();
    const margin = expiryMarginMs(this.lifetimeMs);
    const jwtExp = jwtExpiryMs(token);
    // A JWT expiry already in the past means our clock and the cluster's disagree; trust the lifetime then.
    const expiresAt = jwtExp !== undefined && jwtExp > now + margin ? jwtExp : now + this.lifetimeMs;
    const accountName = asString(data.account_name);
    const session: Session = { token, accountId, expiresAt, ...(accountName ? { accountName } : {}) };
    this.session = session;
    this.deps.tokenCache?.set(this.conn.id, { token, accountId, expiresAt });
    this.deps.logger.info('kazoo login', { cluster: this.conn.id, accountId, requestId, expiresAt });
    return session;
  }

  /** Turns a failed login into a plain message about the credentials. */
  private loginError(e: unknown): unknown {
    if (!(e instanceof KazooError)) return e;
    const init = { status: e.status, requestId: e.requestId, kazooMessage: e.kazooMessage, cause: e };
    const apiKey = this.conn.auth.kind === 'api_key';
    if (e instanceof AuthError || (apiKey && e instanceof NotFoundError && !e.endpointMissing)) {
      return new AuthError(
        apiKey
          ? 'The cluster refused the API key. Check the key (Kazoo API keys are 64 characters) and that its account is enabled.'
          : 'The cluster refused the login: wrong account name, user name or password.',
        init,
      );
    }
    if (e instanceof ValidationError) {
      const fields = Object.keys(e.fields).join(', ') || 'the request';
      return new AuthError(`The cluster rejected the login request (${fields}). ${apiKey ? 'Check the API key.' : 'Check the account name, user name and password.'}`, init);
    }
    if (e instanceof NotFoundError) {
      return new NotCrossbarError(`The server has no ${this.path} endpoint, so it is not a Crossbar API. Check the URL (usually port 8000 or 8443).`, init);
    }
    return e;
  }
}

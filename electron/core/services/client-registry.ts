// One Crossbar client per cluster profile, built on demand from the stored profile and rebuilt as soon as the stored
// connection differs from the one it was built for (an edit in this process or in another one on the same folder).
// Every call through `use()` also records the two facts a request tells: did the cluster answer (reachability), and
// did it accept the login.
import { createKazooClient, type KazooClient, type ClusterConnection, type ReplyLimits, type TokenCache } from '../kazoo/index.ts';
import type { ClustersRepo, ClusterRow, Outcome } from '../db/repos/clusters-repo.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { openAndGuard, SecretUnavailableError } from '../secrets/secret-box.ts';
import type { Clock, Logger } from '../platform.ts';
import { AppError, NotFoundLocalError, toErrorValue } from '../errors.ts';

/** The profile's password or API key; one this machine cannot decrypt is an error naming the cluster and the fix. */
export function openLogin(box: SecretBox, row: ClusterRow, doing = 'Enter it again: edit the cluster'): string {
  try {
    return openAndGuard(box, row.secret_sealed);
  } catch (e) {
    if (!(e instanceof SecretUnavailableError)) throw e;
    throw new AppError(
      'login_unreadable',
      `The saved ${row.auth_kind === 'api_key' ? 'API key' : 'password'} of cluster ${row.name} cannot be decrypted on this machine (it was saved with another secret key, or by the desktop app's keychain). ${doing}.`,
      { cluster: row.name },
    );
  }
}

export type StatusListener = (clusterId: string) => void;

/** Errors that mean "the cluster did not answer", as opposed to "it answered no". */
const OFFLINE_CODES = new Set(['unreachable', 'network', 'timeout', 'tls']);
/** The cluster answered that it does not accept this login (crossbar-spec §6.1–§6.3: 401, disabled account). */
const LOGIN_REFUSED = new Set(['auth_failed', 'account_disabled']);
/** Answers that only come after the login was accepted (an unauthenticated request gets 401 first, §6.3). */
const AFTER_LOGIN = new Set(['not_found', 'validation', 'conflict', 'precondition_failed']);

/** A request that succeeded: the cluster answered and took the login. */
const SUCCEEDED: Outcome = { reachability: 'online', login: 'accepted', lastErrorJson: null };

/** What a failed request says about the cluster; null: nothing (cancelled, or a fault of our own). */
export function outcomeOf(e: unknown): Outcome | null {
  if (!(e instanceof AppError) || e.code === 'aborted') return null;
  const error = JSON.stringify(toErrorValue(e));
  if (OFFLINE_CODES.has(e.code)) return { reachability: 'offline', lastErrorJson: error };
  if (LOGIN_REFUSED.has(e.code)) return { reachability: 'online', login: 'refused', lastErrorJson: error };
  if (e.code === 'not_crossbar') return { reachability: 'online', login: 'unknown', lastErrorJson: error };
  if (AFTER_LOGIN.has(e.code)) return { reachability: 'online', login: 'accepted', lastErrorJson: null };
  // It answered (server error, rate limit, forbidden...): reachable; nothing learned about the login.
  return { reachability: 'online' };
}

/** The stored fields a client is built from: when they change, the cached client is replaced. */
export function connectionKey(row: ClusterRow): string {
  return JSON.stringify([row.name, row.base_url, row.auth_kind, row.account_name, row.username, row.auth_hash, row.secret_sealed, row.ca_file, row.tls_insecure]);
}

export class ClientRegistry {
  private readonly clients = new Map<string, { client: KazooClient; key: string }>();

  constructor(
    private readonly repo: ClustersRepo,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onStatusChange: StatusListener,
    /** Reply size and time limits (the clusters.replyLimits setting), read before every request. */
    private readonly limits?: () => ReplyLimits,
  ) {}

  /** Finds a profile by id or name, or throws a plain not-found error. */
  profile(idOrName: string): ClusterRow {
    const row = this.repo.find(idOrName);
    if (!row) throw new NotFoundLocalError('Cluster', idOrName);
    return row;
  }

  get(idOrName: string): KazooClient {
    return this.clientFor(this.profile(idOrName));
  }

  /** The client for the profile as stored now: built on first use, replaced when the stored connection changed. */
  private clientFor(row: ClusterRow): KazooClient {
    const key = connectionKey(row);
    const cached = this.clients.get(row.id);
    if (cached?.key === key) return cached.client;
    // Requests already running on the old client finish there (close waits for them); new ones go to the new address.
    if (cached) void cached.client.close().catch(() => undefined);
    const client = createKazooClient(this.connectionOf(row), {
      clock: this.clock,
      logger: this.logger,
      tokenCache: this.tokenCacheFor(row),
      ...(this.limits ? { limits: this.limits } : {}),
    });
    this.clients.set(row.id, { client, key });
    return client;
  }

  /** Runs fn with the cluster's client and records reachability and login from its outcome. */
  async use<T>(idOrName: string, fn: (client: KazooClient, profile: ClusterRow) => Promise<T>): Promise<T> {
    const row = this.profile(idOrName);
    let client: KazooClient;
    try {
      client = this.clientFor(row);
    } catch (e) {
      // A login this machine cannot decrypt: nothing was asked, so reachability stays as it was, but the stored
      // "logged in" no longer holds; the reason (naming the cluster and the fix) goes on the profile.
      if (e instanceof AppError && e.code === 'login_unreadable') {
        this.record(row.id, { reachability: row.reachability, login: 'unknown', lastErrorJson: JSON.stringify(toErrorValue(e)), profileAt: row.updated_at });
      }
      throw e;
    }
    // The outcome is about the profile as it was when sent; dropped if it was edited meanwhile (clusters-repo Outcome).
    const asSent = (o: Outcome | null): Outcome | null => (o ? { ...o, profileAt: row.updated_at } : null);
    try {
      const value = await fn(client, row);
      this.record(row.id, asSent(SUCCEEDED));
      return value;
    } catch (e) {
      this.record(row.id, asSent(outcomeOf(e)));
      throw e;
    }
  }

  /** Stores an outcome; listeners hear of it only when something stored changed. */
  record(id: string, o: Outcome | null): void {
    if (o && this.repo.recordOutcome(id, o)) this.onStatusChange(id);
  }

  /** Drops the cached client (profile edited or removed). */
  async forget(id: string): Promise<void> {
    const cached = this.clients.get(id);
    this.clients.delete(id);
    await cached?.client.close();
  }

  /** Ids of the profiles with a cached client (to drop those removed by another process). */
  cachedIds(): string[] {
    return [...this.clients.keys()];
  }

  /**
   * Closes every client. `drop` (the process ends right after, see Core.close): a client with no request on its way is
   * left as it is (undici unrefs idle keep-alive sockets, so they do not hold the process, and its end closes them;
   * destroying 50 pools took ~7 ms of the CLI's exit), the others are destroyed without waiting for their sockets.
   */
  async closeAll(drop = false): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    const closing = Promise.allSettled(all.filter((c) => !drop || c.client.busy()).map((c) => c.client.close()));
    if (!drop) await closing;
  }

  connectionOf(row: ClusterRow): ClusterConnection {
    const secret = openLogin(this.secrets, row);
    const tls = { ...(row.ca_file ? { caFile: row.ca_file } : {}), insecure: row.tls_insecure === 1 };
    if (row.auth_kind === 'api_key') return { id: row.id, name: row.name, baseUrl: row.base_url, auth: { kind: 'api_key', apiKey: secret }, tls };
    return {
      id: row.id,
      name: row.name,
      baseUrl: row.base_url,
      auth: { kind: 'user', accountName: row.account_name ?? '', username: row.username ?? '', password: secret, hash: row.auth_hash },
      tls,
    };
  }

  /**
   * Tokens are cached sealed in the profile row, so a restart does not log in again while they are valid. Each client
   * reads and writes only the token of the profile version it was built for: a token the old address issued (a login
   * answered after the profile was edited, maybe by another process) is never kept for, nor sent to, the new one.
   */
  private tokenCacheFor(built: ClusterRow): TokenCache {
    const key = connectionKey(built);
    return {
      get: (clusterId) => {
        const row = this.repo.find(clusterId);
        if (!row || row.updated_at !== built.updated_at || connectionKey(row) !== key) return undefined;
        if (!row.token_sealed || !row.token_expires_at || !row.token_account_id) return undefined;
        try {
          return { token: openAndGuard(this.secrets, row.token_sealed), accountId: row.token_account_id, expiresAt: row.token_expires_at };
        } catch {
          return undefined;
        }
      },
      set: (clusterId, t) => this.repo.setToken(clusterId, built.updated_at, this.secrets.seal(t.token), t.accountId, t.expiresAt),
      clear: (clusterId) => this.repo.setToken(clusterId, built.updated_at, null, null, null),
    };
  }
}

// One Crossbar client per cluster profile, built on demand from the stored profile and kept until the
// profile changes. Every call through `use()` also records whether the cluster answered (online/offline).
import { createKazooClient, type KazooClient, type ClusterConnection, type TokenCache } from '../kazoo/index.ts';
import type { ClustersRepo, ClusterRow } from '../db/repos/clusters-repo.ts';
import type { SecretBox } from '../secrets/secret-box.ts';
import { openAndGuard } from '../secrets/secret-box.ts';
import type { Clock, Logger } from '../platform.ts';
import { AppError, NotFoundLocalError, toErrorValue } from '../errors.ts';

export type ReachabilityListener = (clusterId: string) => void;

/** Errors that mean "the cluster did not answer", as opposed to "it answered no". */
const OFFLINE_CODES = new Set(['unreachable', 'network', 'timeout', 'tls']);

export class ClientRegistry {
  private readonly clients = new Map<string, KazooClient>();

  constructor(
    private readonly repo: ClustersRepo,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly onReachabilityChange: ReachabilityListener,
  ) {}

  /** Finds a profile by id or name, or throws a plain not-found error. */
  profile(idOrName: string): ClusterRow {
    const row = this.repo.find(idOrName);
    if (!row) throw new NotFoundLocalError('Cluster', idOrName);
    return row;
  }

  get(idOrName: string): KazooClient {
    const row = this.profile(idOrName);
    let client = this.clients.get(row.id);
    if (!client) {
      client = createKazooClient(this.connectionOf(row), { clock: this.clock, logger: this.logger, tokenCache: this.tokenCache });
      this.clients.set(row.id, client);
    }
    return client;
  }

  /** Runs fn with the cluster's client and records reachability from its outcome. */
  async use<T>(idOrName: string, fn: (client: KazooClient, profile: ClusterRow) => Promise<T>): Promise<T> {
    const row = this.profile(idOrName);
    const client = this.get(row.id);
    try {
      const value = await fn(client, row);
      if (this.repo.setReachability(row.id, 'online', null)) this.onReachabilityChange(row.id);
      return value;
    } catch (e) {
      const code = e instanceof AppError ? e.code : 'internal';
      if (OFFLINE_CODES.has(code)) {
        if (this.repo.setReachability(row.id, 'offline', JSON.stringify(toErrorValue(e)))) this.onReachabilityChange(row.id);
      } else if (e instanceof AppError && e.code !== 'aborted') {
        // The cluster answered: it is online even if it said no.
        if (this.repo.setReachability(row.id, 'online', null)) this.onReachabilityChange(row.id);
      }
      throw e;
    }
  }

  /** Drops the cached client (profile edited or removed). */
  async forget(id: string): Promise<void> {
    const client = this.clients.get(id);
    this.clients.delete(id);
    await client?.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.allSettled(all.map((c) => c.close()));
  }

  connectionOf(row: ClusterRow): ClusterConnection {
    const secret = openAndGuard(this.secrets, row.secret_sealed);
    const tls = { ...(row.ca_file ? { caFile: row.ca_file } : {}), insecure: row.tls_insecure === 1 };
    if (row.auth_kind === 'api_key') return { id: row.id, baseUrl: row.base_url, auth: { kind: 'api_key', apiKey: secret }, tls };
    return {
      id: row.id,
      baseUrl: row.base_url,
      auth: { kind: 'user', accountName: row.account_name ?? '', username: row.username ?? '', password: secret, hash: row.auth_hash },
      tls,
    };
  }

  /** Tokens are cached sealed in the profile row, so a restart does not log in again while they are valid. */
  private readonly tokenCache: TokenCache = {
    get: (clusterId) => {
      const row = this.repo.find(clusterId);
      if (!row?.token_sealed || !row.token_expires_at || !row.token_account_id) return undefined;
      try {
        return { token: openAndGuard(this.secrets, row.token_sealed), accountId: row.token_account_id, expiresAt: row.token_expires_at };
      } catch {
        return undefined;
      }
    },
    set: (clusterId, t) => this.repo.setToken(clusterId, this.secrets.seal(t.token), t.accountId, t.expiresAt),
    clear: (clusterId) => this.repo.setToken(clusterId, null, null, null),
  };
}

// createKazooClient: one client per cluster profile, composing transport, auth, retries and the API families.
import type { Clock, Logger } from '../platform.ts';
import { accountsApi, type AccountsApi } from './api/accounts.ts';
import { jobsApi, type JobsApi } from './api/jobs.ts';
import { numbersApi, type NumbersApi } from './api/numbers.ts';
import { ResourcePaths, type ResourceNounState } from './api/resource-paths.ts';
import { resourcesApi, type ResourcesApi } from './api/resources.ts';
import { routingApi, type RoutingApi } from './api/routing.ts';
import { schemasApi, type SchemasApi } from './api/schemas.ts';
import { Authenticator } from './auth.ts';
import { Caller, type CallSpec } from './caller.ts';
import type { KazooReply } from './envelope.ts';
import { probe, type ProbeResult } from './probe.ts';
import { defaultSleep, retryPolicy, type Sleep } from './retry.ts';
import { Transport } from './transport.ts';
import type { CallOptions, ClusterConnection, ReplyLimits, TokenCache } from './types.ts';

export interface KazooClientDeps {
  clock: Clock;
  logger: Logger;
  tokenCache?: TokenCache;
  /** Backoff sleep (tests pass a fast one); default setTimeout. */
  sleep?: Sleep;
  /** Jitter source in [0, 1); default Math.random. */
  random?: () => number;
  /** Reply size and time limits, read before every request (default DEFAULT_REPLY_LIMITS). */
  limits?: () => ReplyLimits;
}

export interface SessionInfo {
  accountId: string;
  accountName?: string;
  /** Epoch ms when the token expires. */
  expiresAt: number;
}

export interface KazooClient {
  /** The connection (cluster profile) id. */
  readonly id: string;
  readonly accounts: AccountsApi;
  readonly resources: ResourcesApi;
  readonly jobs: JobsApi;
  readonly numbers: NumbersApi;
  readonly schemas: SchemasApi;
  readonly routing: RoutingApi;
  probe(opts?: CallOptions): Promise<ProbeResult>;
  /** Logs in if needed and tells who we are. */
  session(opts?: CallOptions): Promise<SessionInfo>;
  /** Account-scoped resources noun detected so far ('resources' or 4.3's 'local_resources'). */
  resourceNoun(): ResourceNounState['accountNoun'];
  /** Escape hatch for endpoints without a helper: same auth, retries, envelope parsing and errors. */
  request<T = unknown>(spec: CallSpec): Promise<KazooReply<T>>;
  /** Destroys the connection pool; in-flight calls fail. */
  close(): Promise<void>;
  /** True while a request is on its way (its connection is not idle). */
  busy(): boolean;
}

export function createKazooClient(conn: ClusterConnection, deps: KazooClientDeps): KazooClient {
  const sleep = deps.sleep ?? defaultSleep;
  const transport = new Transport(conn, { clock: deps.clock, logger: deps.logger, ...(deps.limits ? { limits: deps.limits } : {}) });
  const auth = new Authenticator(conn, transport, { clock: deps.clock, logger: deps.logger, tokenCache: deps.tokenCache, sleep });
  const caller = new Caller(conn.id, transport, auth, {
    clock: deps.clock,
    logger: deps.logger,
    sleep,
    policy: retryPolicy(conn.retry),
    ...(deps.random ? { random: deps.random } : {}),
  });
  const nounState: ResourceNounState = {};
  const paths = new ResourcePaths(nounState, deps.logger, conn.id);
  let closed = false;

  return {
    id: conn.id,
    accounts: accountsApi(caller),
    resources: resourcesApi(caller, paths),
    jobs: jobsApi(caller, paths, deps.clock),
    numbers: numbersApi(caller),
    schemas: schemasApi(caller),
    routing: routingApi(caller),
    probe: (opts) => probe(caller, paths, opts),
    async session(opts) {
      const s = await auth.ensure(opts?.signal);
      return { accountId: s.accountId, expiresAt: s.expiresAt, ...(s.accountName ? { accountName: s.accountName } : {}) };
    },
    resourceNoun: () => nounState.accountNoun,
    request: (spec) => caller.call(spec),
    async close() {
      if (closed) return;
      closed = true;
      await transport.close();
    },
    busy: () => transport.busy,
  };
}

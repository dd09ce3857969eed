// Contract area: cluster profiles, connection checks and the account tree.
import { z } from 'zod';
import type { ErrorValue } from '../result.ts';
import { method } from './define.ts';
import type { ClusterStatus } from '../cluster-status.ts';

export type Flavor = '4.3' | '5.0' | 'unknown';
/** Did the cluster answer the last request (online) or not (offline); unknown before any request. */
export type Reachability = 'online' | 'offline' | 'unknown';
/** Did the cluster accept this profile's login at the last request that could tell. */
export type ClusterLogin = 'accepted' | 'refused' | 'unknown';

export interface ClusterView {
  id: string;
  name: string;
  baseUrl: string;
  authKind: 'api_key' | 'user';
  accountName?: string;
  username?: string;
  tls: { caFile?: string; insecure: boolean };
  flavor?: Flavor;
  version?: string;
  superDuper?: boolean;
  accountId?: string;
  jobRecovery?: { timeoutS: number; thresholdS: number };
  capabilities?: Record<string, boolean>;
  /** The last successful connection check. */
  probedAt?: number;
  /** The last connection check, whatever it concluded. */
  checkedAt?: number;
  reachability: Reachability;
  login: ClusterLogin;
  /** Both facts in words, and whether actions that need the cluster can run (shared/cluster-status.ts). */
  status: ClusterStatus;
  lastError?: ErrorValue;
}

export interface AccountNode {
  id: string;
  name: string;
  realm?: string;
  /** Ancestor ids, root first (empty for the login's own account). */
  tree: string[];
  parentId?: string;
  depth: number;
}

const name = z.string().trim().min(1, 'Give the cluster a name.').max(64).regex(/^[\w.-]+$/, 'Use letters, digits, dot, dash or underscore in the cluster name.');
const url = z.string().trim().url('Enter the Crossbar URL, e.g. https://kazoo.example.com:8443');
const auth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('api_key'), apiKey: z.string().trim().min(1, 'Enter the API key.') }).strict(),
  z
    .object({
      kind: z.literal('user'),
      accountName: z.string().trim().min(1, 'Enter the account name.'),
      username: z.string().trim().min(1, 'Enter the user name.'),
      password: z.string().min(1, 'Enter the password.'),
      hash: z.enum(['md5', 'sha']).default('md5'),
    })
    .strict(),
]);
const tls = z.object({ caFile: z.string().min(1).optional(), insecure: z.boolean().default(false) }).strict();
const clusterRef = z.object({ cluster: z.string().min(1) }).strict();

export const clusterMethods = {
  'clusters.list': method<ClusterView[]>()(z.object({}).strict()),
  'clusters.add': method<ClusterView>({ files: ['tls.caFile'] })(
    z.object({ name, url, auth, tls: tls.default({ insecure: false }), check: z.boolean().default(true) }).strict(),
  ),
  'clusters.update': method<ClusterView>({ files: ['tls.caFile'] })(
    z
      .object({ cluster: z.string().min(1), name: name.optional(), url: url.optional(), auth: auth.optional(), tls: tls.optional() })
      .strict(),
  ),
  'clusters.remove': method<{ removed: string }>()(clusterRef),
  /** Probes the cluster now: version, flavor, super-duper, job recovery settings; updates the profile. */
  'clusters.check': method<ClusterView>()(clusterRef),
  'accounts.tree': method<AccountNode[]>()(clusterRef),
};

export interface ClusterEvents {
  /** A cluster's profile, probe result, reachability or login changed. */
  'clusters.changed': { cluster: ClusterView };
  /** A profile was removed (here or by another process on the data folder). */
  'clusters.removed': { clusterId: string };
}

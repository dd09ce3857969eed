// Contract area: routing (routing-spec.md) — the routing data kept per cluster, and the route simulator's answers.
import { z } from 'zod';
import { method } from './define.ts';

export interface RoutingFactStatus {
  kind: 'flavor' | 'classifiers' | 'stepswitch' | 'number_manager' | 'accounts';
  /** 'never': not read yet; 'failed': never read successfully; 'not_readable': this login may not read it. */
  status: 'ok' | 'not_readable' | 'failed' | 'never';
  /** When the data used was read. */
  fetchedAt?: number;
  /** The last failed read (the data read before, if any, is still used). */
  error?: string;
  failedAt?: number;
}

/** What `--with-drafts` / "as after the plan" does to one draft target's resource on this cluster. */
export interface DraftEffect {
  draftName: string;
  scope: string;
  action: 'create' | 'update' | 'delete' | 'conflict' | 'blocked';
  /** false: apply would not send it now (conflict, validation); the cluster's document is used. */
  applied: boolean;
  resourceId?: string;
  /** A create whose id is chosen at apply: a stand-in id orders it among equal weights. */
  idChosenAtApply?: boolean;
  why?: string;
}

/** Where a cluster's routing answers come from: flavor, pulled scopes, cached routing data, notes for the user. */
export interface RoutingDataStatus {
  clusterId: string;
  clusterName: string;
  flavor: '4.3' | '5.0' | null;
  reachability: 'online' | 'offline' | 'unknown';
  /** Scopes whose resources were pulled, with the time of that pull (empty: never pulled). */
  scopes: { scope: string; pulledAt: number }[];
  facts: RoutingFactStatus[];
  /** Plain sentences about missing or partial data, each citing the spec section that explains the assumption. */
  notes: string[];
  drafts?: DraftEffect[];
}

const ref = z.string().trim().min(1).max(200);

export const routingMethods = {
  'routing.status': method<RoutingDataStatus[]>()(z.object({ cluster: ref.optional(), withDrafts: z.boolean().default(false) }).strict()),
};

export interface RoutingEvents {
  /** A cluster's routing data or resource snapshots changed (a pull finished). */
  'routing.changed': { clusterId: string };
}

// Contract area: routing (routing-spec.md) — the routing data kept per cluster, and the route simulator's answers.
import { z } from 'zod';
import { method } from './define.ts';
// The simulator's answer is plain data (pure types, shared with the renderer).
import { MAX_NUMBER_CHARS, type RouteResult } from '../routing.ts';

export type { RouteResult };

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

/** What one cluster's answer is based on. */
export interface RouteDataView {
  /** The carriers used: 'global', or the account whose own carriers a local call hunts. */
  scope: string;
  /** When that scope was last pulled; null: never (the answer then knows no carrier there). */
  pulledAt: number | null;
  /** The cluster did not answer at the last contact: the answer comes from what was pulled before. */
  offline: boolean;
  notes: string[];
  drafts?: DraftEffect[];
}

/** One cluster's answer to "which carrier dials this number?" (`answer` is what `route --json` prints). */
export interface ClusterRouteAnswer {
  clusterId: string;
  cluster: string;
  flavor: '4.3' | '5.0' | null;
  /** The calling account and hunt account used on this cluster (names where known). */
  request: { accountId?: string; accountName?: string; huntAccountId?: string; huntAccountName?: string };
  answer?: RouteResult;
  /** Why this cluster could not be asked (flavor unknown, no such account there). */
  problem?: { code: string; message: string };
  data: RouteDataView;
}

/** An account name and where it exists, for the calling-account picker. */
export interface RoutingAccountView {
  name: string;
  clusters: { clusterId: string; clusterName: string; accountId: string }[];
}

/** What a call's routing looks like, in a few words: carriers in order and the first dial string, or the failure. */
export interface RouteBrief {
  carriers: string[];
  route?: string;
  error?: string;
}

/** How many numbers of a sample one draft target would route differently once applied. */
export interface TargetRouteImpact {
  targetId: string;
  draftName: string;
  clusterId: string;
  clusterName: string;
  scope: string;
  action: DraftEffect['action'];
  /** false: apply would not send it now (conflict, validation): nothing changes. */
  applied: boolean;
  why?: string;
  /** Numbers routed through this target's carriers' scope (global or the account's own carriers). */
  routed: number;
  changed: number;
  /** Of `changed`: a different carrier (or order, or now none / now failing); else a different gateway; else dial string. */
  carrier: number;
  gateway: number;
  dialString: number;
  examples: { number: string; before: RouteBrief; after: RouteBrief }[];
  notes: string[];
}

export interface PlanRouteImpact {
  list: string;
  /** Valid numbers of the list routed. */
  numbers: number;
  callerId: string | null;
  targets: TargetRouteImpact[];
  notes: string[];
}

/** The editor's "Test a dialed number": what Kazoo does with one carrier document (the draft being edited). */
export interface RuleTestAnswer {
  /** The target clusters this answer is for (empty: the draft has no target yet, the flavors' default tables are used). */
  clusters: string[];
  flavors: ('4.3' | '5.0')[];
  /**
   * The rule of the document's `rules` that decides for the number rules see (routing-spec §5.2: the last listed
   * match; §5.3: the longest group is sent); null: none matches. Absent for a carrier with classifiers, whose
   * `rules` Kazoo ignores (§2.2): the answer's candidate says which classifier regex decided.
   */
  rule?: { index: number; text: string; matched: string } | null;
  /** The cid_rule that matches the caller id (§5.4); null: none matches; absent: no caller id or no cid_rules. */
  cidRule?: { index: number; text: string } | null;
  /** The simulator's answer for a cluster holding only this carrier, as Kazoo would store it (§2.2, §11.7). */
  answer: RouteResult;
  /** What the test assumed (stand-in caller id, unknown Kazoo version, ...), each citing the spec. */
  notes: string[];
}

const ref = z.string().trim().min(1).max(200);
const number = z.string().trim().min(1).max(MAX_NUMBER_CHARS, `Too long: a dialled number or caller id has at most ${MAX_NUMBER_CHARS} characters`);
const flags = z.array(z.string().trim().max(128)).max(64).default([]);
/** Values of the calling channel (custom channel variables / SIP headers): bounded like every outside input. */
const channelValues = z
  .record(z.string().min(1).max(128), z.string().max(256))
  .refine((o) => Object.keys(o).length <= 64, 'At most 64 values')
  .optional();

export const routingMethods = {
  'routing.status': method<RoutingDataStatus[]>()(z.object({ cluster: ref.optional(), withDrafts: z.boolean().default(false) }).strict()),
  /** One answer per cluster (every cluster when `clusters` is absent), from stored facts only. */
  'routing.route': method<ClusterRouteAnswer[]>()(
    z
      .object({
        clusters: z.array(ref).max(100).optional(),
        number,
        /** The calling account: an id, or a name looked up on each cluster. */
        account: ref.optional(),
        /** use_local_resources: the carriers of the hunt account (else of the calling account, else of the login). */
        local: z.boolean().default(false),
        huntAccount: ref.optional(),
        callerId: number.optional(),
        emergencyCallerId: number.optional(),
        flags,
        bypassE164: z.boolean().default(false),
        /** The calling channel's custom channel variables, SIP headers and node zone (gateways' invite_parameters, routing-spec §6.2). */
        channelVars: channelValues,
        sipHeaders: channelValues,
        zone: z.string().trim().min(1).max(128).optional(),
        withDrafts: z.boolean().default(false),
      })
      .strict(),
  ),
  'routing.accounts': method<RoutingAccountView[]>()(z.object({}).strict()),
  /**
   * The editor's tester: one carrier document (a draft's working copy, saved or not) against a number, per distinct
   * answer among the draft's target clusters (their flavor, classifier table and settings as stored).
   */
  'routing.test': method<RuleTestAnswer[]>()(
    z
      .object({
        draft: ref,
        doc: z.record(z.string(), z.unknown()),
        number,
        callerId: number.optional(),
        flags,
      })
      .strict(),
  ),
  /** Per draft target: the numbers of a number list that route differently after apply (stored facts only). */
  'routing.planImpact': method<PlanRouteImpact>()(
    z
      .object({
        list: ref,
        draft: ref.optional(),
        cluster: ref.optional(),
        callerId: number.optional(),
        flags,
        examples: z.number().int().min(0).max(20).default(3),
      })
      .strict(),
  ),
};

export interface RoutingEvents {
  /** A cluster's routing data or resource snapshots changed (a pull finished). */
  'routing.changed': { clusterId: string };
}

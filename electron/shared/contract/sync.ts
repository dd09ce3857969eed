// Contract area: snapshots (pull), drafts and their versions, targets, plan/apply/resolve, outbox, audit,
// export/import bundles, migration and the carriers × clusters matrix (issue 5).
import { z } from 'zod';
import type { ErrorValue } from '../result.ts';
import { method } from './define.ts';

export type JsonDoc = Record<string, unknown>;
/** 'global' or an account id. */
export type ScopeId = string;

export interface SnapshotItem {
  clusterId: string;
  clusterName: string;
  scope: ScopeId;
  /** 'global' or the account's name from the last pull (absent when the account tree was never read). */
  scopeName?: string;
  resourceId: string;
  name: string;
  enabled?: boolean;
  /** The resource's `emergency` flag (from the pulled document). */
  emergency: boolean;
  revision: string;
  fetchedAt: number;
  /** Drafts bound to this resource (a target with this remote id). */
  draftIds: string[];
}

export interface PullScopeResult {
  scope: ScopeId;
  listed: number;
  fetched: number;
  unchanged: number;
  removed: number;
  errors: { resourceId?: string; error: ErrorValue }[];
}
export interface PullResult {
  cluster: string;
  scopes: PullScopeResult[];
  /** The routing data read beside the resources (routing-spec §10); a failure here never fails the pull. */
  routing?: {
    read: string[];
    notReadable: string[];
    failed: { kind: string; error: ErrorValue }[];
  };
}

/**
 * A target's state, derived from stored facts by one core function (electron/core/sync/target-state.ts): the draft's
 * version against the one last synced, the live outbox row, the last refusal or failure, and the cluster's revision as
 * last read against the target's base revision.
 */
export type TargetState =
  | 'not-applied'
  | 'exists-unbound'
  | 'in-sync'
  | 'changed'
  | 'drifted'
  | 'diverged'
  | 'queued'
  | 'sending'
  | 'refused'
  | 'conflict'
  | 'failed'
  | 'blocked'
  | 'to-delete'
  | 'deleted';
export interface TargetStateView {
  kind: TargetState;
  /** Plain words, e.g. 'changed, not applied', 'refused: changed on the cluster', 'queued', 'applied'. */
  label: string;
  /** Why, when there is more to say: the outbox's reason and next try, the error, what to do. */
  detail?: string;
  /** The cluster's revision as last read differs from the one the target is based on. */
  drifted: boolean;
  /** When the cluster's side was last read (the snapshot's time). */
  asOf?: number;
}

export interface TargetView {
  id: string;
  draftId: string;
  clusterId: string;
  clusterName: string;
  scope: ScopeId;
  remoteId: string | null;
  /** The carrier remoteId names is known on the cluster (applied there, or seen at the last read). False for the id
   *  the app chose for a create that has not reached the cluster yet: that carrier does not exist. */
  onCluster: boolean;
  baseRevision: string | null;
  state: TargetStateView;
  lastError?: ErrorValue;
  lastAppliedHash: string | null;
  updatedAt: number;
}

export interface DraftSummary {
  id: string;
  name: string;
  version: number;
  markedForDelete: boolean;
  createdAt: number;
  updatedAt: number;
  targets: TargetView[];
}
export interface DraftView extends DraftSummary {
  doc: JsonDoc;
}
export interface DraftVersionView {
  version: number;
  savedAt: number;
  note: string;
  hash: string;
}

export interface Issue {
  /** Dotted field path, e.g. 'gateways.1.server' ('' = the whole document). */
  path: string;
  rule: string;
  message: string;
  severity: 'error' | 'warning';
}
export interface TargetValidation {
  clusterId: string;
  clusterName: string;
  scope: ScopeId;
  schemaSource: 'cluster' | 'builtin' | 'none';
  errors: Issue[];
  warnings: Issue[];
  online?: { ok: boolean; errors: Issue[] } | { skipped: string };
}
export interface ValidationReport {
  draftId: string;
  /** Checks that do not depend on a cluster (regexes, duplicate gateways, empty rules). */
  local: Issue[];
  targets: TargetValidation[];
  ok: boolean;
}

export interface FieldChangeView {
  /** Dotted path; in a list of objects, the element's new position (its old one for a removed element). */
  path: string;
  /** 'moved': a list element (a gateway) changed position; `from` is where it was. */
  kind: 'added' | 'removed' | 'changed' | 'moved';
  before?: unknown;
  after?: unknown;
  from?: string;
  /** The list element a change is about, in words ("gateway sip.example:5060"). */
  identity?: string;
}
export interface ConflictView {
  path: string;
  base?: unknown;
  mine?: unknown;
  theirs?: unknown;
}
export type PlanAction = 'create' | 'update' | 'delete' | 'noop' | 'conflict' | 'blocked';

export interface PlanTargetView {
  targetId: string;
  draftId: string;
  draftName: string;
  clusterId: string;
  clusterName: string;
  scope: ScopeId;
  remoteId: string | null;
  action: PlanAction;
  /** For 'blocked' because the cluster did not answer: what will be queued in the outbox. */
  deferred?: 'create' | 'update' | 'delete';
  blockedReasons: { code: string; message: string }[];
  /** What changes on the cluster (secrets shown as '***'). */
  changes: FieldChangeView[];
  /** Paths changed on the cluster since the draft's base, kept automatically. */
  merged: string[];
  conflicts: ConflictView[];
  /** The revision the operation is made against (sent as If-Match); null for a create. */
  expectedRevision: string | null;
  /** Hash of the document that will be sent (null for delete/noop). */
  contentHash: string | null;
  /** Validation errors against the target cluster's schema and the local checks (they block the target). */
  errors: Issue[];
  warnings: Issue[];
  /** The remote changed since the last sync but nothing needs sending. */
  drifted: boolean;
  /**
   * A create held back (blocked, code 'exists_unbound'): carriers of the same name the target scope already holds.
   * Bind the target to one (targets.add with its resourceId) or confirm a second carrier (targets.add createAnyway).
   */
  existing?: ExistingCarrierView[];
  /** The person confirmed creating a second carrier of this name. */
  createAnyway?: true;
}
export interface ExistingCarrierView {
  id: string;
  name: string;
  /** The draft whose target is already bound to it (it cannot be bound to this one too). */
  boundTo?: string;
}
/** What `targets.add` noticed in the stored snapshot of the scope. */
export interface TargetNotice {
  /** 'bound': the carrier (same id as on another target) is there and the target was bound to it; 'exists': a carrier
   * of the same name is there and the target was added unbound (the plan will hold a create back). */
  kind: 'bound' | 'exists';
  message: string;
  existing: ExistingCarrierView[];
}
/** What `targets.addMany` did: the draft afterwards, the clusters that got the target and those that had it. */
export interface TargetsAdded {
  draft: DraftView;
  added: string[];
  already: string[];
  /** What adding noticed per cluster (a carrier already there: bound, or the create held back), as targets.add. */
  notices: { cluster: string; notice: TargetNotice }[];
}
export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  noop: number;
  conflict: number;
  blocked: number;
}

/**
 * What `plan --out FILE` writes and `apply FILE` reads: no document content, only what must still hold. Format 2:
 * content hashes as sync/plan.ts contentHashOf names them (format 1's hashed the filled document itself).
 */
export const SAVED_PLAN_FORMAT = 'carrier-desk-plan/2';

export interface SavedPlan {
  format: typeof SAVED_PLAN_FORMAT;
  createdAt: number;
  targets: {
    targetId: string;
    draftId: string;
    clusterId: string;
    scope: ScopeId;
    remoteId: string | null;
    action: PlanAction;
    deferred?: 'create' | 'update' | 'delete';
    expectedRevision: string | null;
    contentHash: string | null;
  }[];
}
export interface PlanView {
  createdAt: number;
  targets: PlanTargetView[];
  summary: PlanSummary;
  saved: SavedPlan;
}

/**
 * 'joined': another run (a second apply, another window, the app's outbox) was already sending this target's change;
 * this apply waited for it instead of sending it again, and `joinedOutcome` says how it ended.
 */
export type ApplyOutcome = 'done' | 'noop' | 'queued' | 'failed' | 'stale' | 'refused' | 'skipped' | 'joined';
export interface ApplyTargetResult {
  targetId: string;
  draftName: string;
  clusterName: string;
  scope: ScopeId;
  action: PlanAction;
  outcome: ApplyOutcome;
  remoteId: string | null;
  revision?: string;
  reason?: string;
  error?: ErrorValue;
  /** For 'joined': how the other run's operation ended ('replaced': a newer plan took its place). */
  joinedOutcome?: 'done' | 'queued' | 'failed' | 'stale' | 'replaced';
}
export interface ApplyResult {
  ok: boolean;
  targets: ApplyTargetResult[];
}

export type OutboxState = 'queued' | 'in_flight' | 'done' | 'failed' | 'superseded';
export interface OutboxItemView {
  id: number;
  targetId: string;
  draftId: string;
  draftName: string;
  clusterName: string;
  scope: ScopeId;
  /** 'global' or the account's name, when known. */
  scopeName?: string;
  op: 'create' | 'update' | 'delete';
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  reason: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface AuditEntry {
  id: number;
  at: number;
  clusterId: string;
  clusterName: string;
  scope: ScopeId;
  /** 'global' or the account's name, when known. */
  scopeName?: string;
  resourceId: string;
  /** The carrier's name: from its pulled copy, else the draft's name (absent when neither is known). */
  resourceName?: string;
  draftId: string | null;
  action: 'create' | 'update' | 'delete';
  diff: FieldChangeView[];
  beforeHash: string | null;
  afterHash: string | null;
  requestId: string | null;
  result: 'ok' | 'failed';
  error: string | null;
}

/**
 * A cell of the Overview: a target's state (TargetState), 'missing' for a target not applied yet whose scope was read
 * without it, 'untargeted' (the draft does not target this cluster and scope), 'no-draft' (a carrier of the cluster no
 * draft is bound to), 'in-draft' (in this cluster and scope that carrier is a draft's target, shown in the draft's row)
 * or 'absent' (that carrier is not in this cluster and scope).
 */
export type MatrixCell = TargetState | 'missing' | 'untargeted' | 'no-draft' | 'in-draft' | 'absent';
export interface MatrixCellView {
  state: MatrixCell;
  label: string;
  detail?: string;
  /** For a drifted cell: what changed on the cluster since the last sync (before: last applied, after: the cluster). */
  changes?: FieldChangeView[];
  /** When the cluster's side was last read. */
  asOf?: number;
  /** The cluster cannot be read now (unreachable, login refused): the cell is its stored state as of `asOf`. */
  stale?: boolean;
  targetId?: string;
  /** The carrier on the cluster this cell is about (bound, same id/name, or without a draft). */
  resourceId?: string;
}
export interface MatrixColumn {
  key: string;
  clusterId: string;
  clusterName: string;
  scope: ScopeId;
  /** When this scope was last read in full (pull or refresh). */
  readAt?: number;
  /** Why the cluster cannot be read now, if it cannot ('unreachable', 'login refused'). */
  unreadable?: string;
}
export interface MatrixRow {
  key: string;
  /** null: a carrier of a cluster that no draft is bound to. */
  draftId: string | null;
  name: string;
  markedForDelete: boolean;
  cells: Record<string, MatrixCellView>;
}
export interface MatrixRefresh {
  at: number;
  clusters: { clusterId: string; clusterName: string; ok: boolean; scopes: number; error?: ErrorValue }[];
}
export interface MatrixView {
  columns: MatrixColumn[];
  rows: MatrixRow[];
  /** With refresh: which clusters were read again, and which could not be. */
  refresh?: MatrixRefresh;
}

export interface ImportBundleResult {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Targets of the bundle that were not added here, with why (an unknown cluster, a scope that is not one). */
  skippedTargets: { draft: string; cluster: string; scope: ScopeId; reason: string }[];
}

export interface MigrateResult {
  dryRun: boolean;
  draft?: DraftView;
  plan?: PlanView;
  source: { cluster: string; scope: ScopeId; id: string; name: string };
  /** E.164 numbers whose resource_id is the migrated resource: in the source account, or for a global source in
   * every account the login can see. */
  numbers: string[];
  /** Numbers listed on the source that could not be read (so whether they use the resource is unknown). */
  unreadNumbers?: string[];
  numberList?: { name: string; id?: string; count: number } | { error: string };
}

const ref = z.string().trim().min(1);
const scope = z.string().trim().min(1, "Give the scope: an account id or 'global'.");
const note = z.string().max(500).optional();
const doc = z.record(z.string(), z.unknown());
const choice = z.enum(['mine', 'theirs']);
const savedPlan = z
  .object({
    format: z.literal(SAVED_PLAN_FORMAT),
    createdAt: z.number(),
    targets: z.array(
      z
        .object({
          targetId: z.string(),
          draftId: z.string(),
          clusterId: z.string(),
          scope: z.string(),
          remoteId: z.string().nullable(),
          action: z.enum(['create', 'update', 'delete', 'noop', 'conflict', 'blocked']),
          deferred: z.enum(['create', 'update', 'delete']).optional(),
          expectedRevision: z.string().nullable(),
          contentHash: z.string().nullable(),
        })
        .strict(),
    ),
  })
  .strict();

export const syncMethods = {
  /** Reads every resource of a scope into the local snapshot (the listing, then each document). */
  'pull.run': method<PullResult>()(
    z.object({ cluster: ref, scope: scope.optional(), all: z.boolean().default(false) }).strict(),
  ),
  'resources.list': method<SnapshotItem[]>()(z.object({ cluster: ref, scope: scope.optional() }).strict()),
  /** The scopes of a cluster whose carriers were pulled, and when (a scope not listed was never pulled). */
  'resources.pulled': method<{ scope: ScopeId; pulledAt: number }[]>()(z.object({ cluster: ref }).strict()),
  /** One pulled resource; its secrets masked unless showSecrets (the CLI's --show-secrets). */
  'resources.get': method<{ item: SnapshotItem; doc: JsonDoc }>()(
    z.object({ cluster: ref, scope, id: ref, showSecrets: z.boolean().default(false) }).strict(),
  ),

  'drafts.create': method<DraftView>()(
    z
      .object({
        name: z.string().trim().min(1).max(128).optional(),
        from: z
          .discriminatedUnion('kind', [
            z.object({ kind: z.literal('blank') }).strict(),
            z.object({ kind: z.literal('json'), doc }).strict(),
            /** From a pulled resource; bound to it (a target with its id and revision) unless bind is false. */
            z.object({ kind: z.literal('snapshot'), cluster: ref, scope, id: ref, bind: z.boolean().default(true) }).strict(),
          ])
          .default({ kind: 'blank' }),
        note,
      })
      .strict(),
  ),
  'drafts.save': method<DraftView>()(z.object({ draft: ref, doc, note }).strict()),
  'drafts.edit': method<DraftView>()(
    z
      .object({
        draft: ref,
        set: z.array(z.object({ path: z.string().min(1), value: z.unknown() }).strict()).default([]),
        unset: z.array(z.string().min(1)).default([]),
        note,
      })
      .strict(),
  ),
  'drafts.list': method<DraftSummary[]>()(z.object({}).strict()),
  /** A draft (or an older version); its secrets masked ('***#ref', kept when saved back) unless showSecrets. */
  'drafts.get': method<DraftView>()(
    z.object({ draft: ref, version: z.number().int().positive().optional(), showSecrets: z.boolean().default(false) }).strict(),
  ),
  'drafts.history': method<DraftVersionView[]>()(z.object({ draft: ref }).strict()),
  'drafts.restore': method<DraftView>()(z.object({ draft: ref, version: z.number().int().positive() }).strict()),
  'drafts.remove': method<{ removed: string }>()(z.object({ draft: ref }).strict()),
  'drafts.markDelete': method<DraftView>()(z.object({ draft: ref, deleted: z.boolean().default(true) }).strict()),
  /** Validates the saved draft, or `doc` (an unsaved working copy) when given. */
  'drafts.validate': method<ValidationReport>()(
    z.object({ draft: ref, online: z.boolean().default(false), doc: z.record(z.string(), z.unknown()).optional() }).strict(),
  ),

  /**
   * Adds a target; on a target that exists: binds it to `resourceId` (a carrier already there: the plan then updates
   * it) or records `createAnyway` (a second carrier of the same name is wanted).
   */
  'targets.add': method<DraftView & { notice?: TargetNotice }>()(
    z.object({ draft: ref, cluster: ref, scope, resourceId: ref.optional(), createAnyway: z.boolean().optional() }).strict(),
  ),
  'targets.remove': method<DraftView>()(z.object({ draft: ref, cluster: ref, scope }).strict()),
  /**
   * Adds the same scope on several clusters (or on every cluster) in one transaction: an unknown cluster refuses the
   * whole call; a cluster the draft already targets in that scope is left as it is and named in `already`.
   */
  'targets.addMany': method<TargetsAdded>()(
    z.object({ draft: ref, clusters: z.array(ref).min(1).optional(), allClusters: z.literal(true).optional(), scope, createAnyway: z.boolean().optional() })
      .strict()
      .refine((a) => (a.clusters !== undefined) !== (a.allClusters === true), { message: 'Name the clusters or choose all clusters (one of the two).' }),
  ),

  'sync.plan': method<PlanView>()(z.object({ draft: ref.optional(), cluster: ref.optional() }).strict()),
  /** Plans and applies now, or applies a saved plan (refusing the targets that changed since it was made). */
  'sync.apply': method<ApplyResult>()(z.object({ draft: ref.optional(), cluster: ref.optional(), plan: savedPlan.optional() }).strict()),
  /** Resolves a target's conflicts field by field; writes a new draft version based on the remote revision. */
  'sync.resolve': method<DraftView>()(
    z.object({ draft: ref, cluster: ref, scope, choices: z.record(z.string(), choice).default({}), default: choice.optional() }).strict(),
  ),
  /** The carriers × clusters overview from stored state; with refresh, every pulled scope is read again first. */
  'sync.matrix': method<MatrixView>()(z.object({ refresh: z.boolean().default(false) }).strict()),

  'outbox.list': method<OutboxItemView[]>()(z.object({ all: z.boolean().default(false) }).strict()),
  /** Runs one round of the outbox now (what the background task does). */
  'outbox.drain': method<{ attempted: number; done: number; failed: number; queued: number }>()(z.object({}).strict()),

  'audit.list': method<AuditEntry[]>()(
    z.object({ cluster: ref.optional(), draft: ref.optional(), limit: z.number().int().positive().max(100000).default(200) }).strict(),
  ),
  /** Every audit entry as JSON lines (oldest first), secrets redacted. */
  'audit.export': method<{ text: string; count: number }>()(z.object({}).strict()),

  'bundle.export': method<{ text: string; count: number }>()(
    z.object({ drafts: z.array(ref).optional(), includeSecrets: z.boolean().default(false) }).strict(),
  ),
  'bundle.import': method<ImportBundleResult>()(z.object({ text: z.string().min(2) }).strict()),

  'migrate.run': method<MigrateResult>()(
    z
      .object({
        from: z.object({ cluster: ref, scope, id: ref }).strict(),
        to: z.object({ cluster: ref, scope }).strict(),
        dryRun: z.boolean().default(false),
        name: z.string().trim().min(1).max(128).optional(),
        makeList: z.string().trim().min(1).max(128).optional(),
      })
      .strict(),
  ),
};

export interface SyncEvents {
  'sync.progress': { targetId: string; draftName: string; clusterName: string; scope: ScopeId; action: PlanAction; outcome: ApplyOutcome | 'in_flight'; done: number; total: number };
  /** A draft, its versions or its targets changed, or the state a target's badge is derived from (outbox, snapshot). */
  'drafts.changed': { draftId: string };
  /** Pulled carriers of a cluster changed (pull, apply, refresh, or another process on the data folder). */
  'snapshots.changed': { clusterId: string };
  'outbox.changed': { queued: number; inFlight: number; failed: number };
  /** A pull's scopes (accounts, and global) done so far out of all it reads; sent at the start and as each ends. */
  'pull.progress': { clusterId: string; cluster: string; done: number; total: number };
}

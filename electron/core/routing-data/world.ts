// The routing world of one cluster, assembled from stored facts only (no request): the pulled resource snapshots
// (global, and per account marked with `account_id`), the cached classifier table, stepswitch and number_manager
// settings and account tree (routing-spec §10) and the flavor; optionally "as after the current plan" (the documents
// apply would send for this cluster's draft targets). Its shape is the `route --offline` file format, so one simulator
// entry point serves files and clusters. Beside it, what the answer must say about the data: its age, what was not
// readable or never read, offline or unpulled.
import type { ClusterRow } from '../db/repos/clusters-repo.ts';
import type { RoutingFactKind, RoutingFactRow } from '../db/repos/routing-repo.ts';
import { isObject, type JsonObject } from '../drafts/canonical.ts';
import { maskSecrets } from '../drafts/secret-fields.ts';
import { gatherWork, planInput } from '../sync/plan-builder.ts';
import { Planner, type RemoteState } from '../sync/plan.ts';
import type { SyncStore } from '../sync/store.ts';
import type { ErrorValue } from '../../shared/result.ts';
import type { DraftEffect, RoutingDataStatus, RoutingFactStatus } from '../../shared/contract/routing.ts';
import type { AccountNode, ClassifierTable, ConfigFacts, FlavorFacts } from './facts.ts';

export interface RoutingWorld {
  flavor: '4.3' | '5.0';
  /** Documents as stored on the cluster; an `account_id` key marks an account-local resource (§2.1). */
  resources: JsonObject[];
  /** [name, entry] in runtime order; absent: the flavor's code default (§3.2). */
  classifiers?: ClassifierTable;
  /** system_config stepswitch settings; absent: Kazoo's defaults (§10). */
  stepswitch?: JsonObject;
  /** system_config number_manager settings (e164_converters as ordered pairs); absent: defaults (§3.1). */
  number_manager?: JsonObject;
  /** The accounts the login sees with their parents, for hunt-account checks (§2.1). */
  accounts?: { id: string; parent_id: string | null }[];
}

interface Fact<T> {
  status: RoutingFactStatus['status'];
  value?: T;
  fetchedAt?: number;
  error?: ErrorValue;
  failedAt?: number;
}

export interface StoredFacts {
  flavor: Fact<FlavorFacts>;
  classifiers: Fact<ClassifierTable>;
  stepswitch: Fact<ConfigFacts>;
  number_manager: Fact<ConfigFacts>;
  accounts: Fact<AccountNode[]>;
}

const KINDS: RoutingFactKind[] = ['flavor', 'classifiers', 'stepswitch', 'number_manager', 'accounts'];

function factOf<T>(row: RoutingFactRow | undefined): Fact<T> {
  if (!row) return { status: 'never' };
  const f: Fact<T> = { status: row.status };
  if (row.data_json !== null) f.value = JSON.parse(row.data_json) as T;
  if (row.fetched_at !== null) f.fetchedAt = row.fetched_at;
  if (row.error_json !== null) f.error = JSON.parse(row.error_json) as ErrorValue;
  if (row.failed_at !== null) f.failedAt = row.failed_at;
  return f;
}

export function storedFacts(store: SyncStore, clusterId: string): StoredFacts {
  const rows = new Map(store.routing.list(clusterId).map((r) => [r.kind, r]));
  return {
    flavor: factOf(rows.get('flavor')),
    classifiers: factOf(rows.get('classifiers')),
    stepswitch: factOf(rows.get('stepswitch')),
    number_manager: factOf(rows.get('number_manager')),
    accounts: factOf(rows.get('accounts')),
  };
}

/** Sealed secrets ({"$sealed": …}) read without opening them: routing never needs a password (shown as ***). */
function parseMasked(text: string): JsonObject {
  return JSON.parse(text, (_k, v: unknown) => (isObject(v) && typeof v.$sealed === 'string' && Object.keys(v).length === 1 ? '***' : v)) as JsonObject;
}

const key = (scope: string, id: string) => `${scope}/${id}`;

function withScope(doc: JsonObject, scope: string, id: string): JsonObject {
  const out: JsonObject = { ...doc, id };
  if (scope === 'global') delete out.account_id;
  else out.account_id = scope;
  return out;
}

/** What apply would do to this cluster's resources for each draft target, planned against the snapshots. */
function draftEffects(store: SyncStore, cluster: ClusterRow, docs: Map<string, JsonObject>): DraftEffect[] {
  const { work } = gatherWork(store, { cluster: cluster.id });
  if (work.length === 0) return [];
  const schemas = store.schemas.forCluster(cluster).set;
  const open = (text: string | null) => (text === null ? null : store.open(text));
  const inputs = work.map((w) => {
    const t = w.target;
    const snap = t.remote_id ? store.snapshots.get(cluster.id, t.scope, t.remote_id) : undefined;
    const remote: RemoteState = snap ? { state: 'found', doc: store.open(snap.doc_json), revision: snap.revision } : { state: 'absent' };
    return planInput(w, cluster, schemas, remote, open);
  });
  const effects: DraftEffect[] = [];
  for (const p of new Planner().targets(inputs)) {
    const t = p.input;
    const action = p.action === 'blocked' ? p.deferred : p.action;
    const base = { draftName: t.draftName, scope: t.scope };
    if (action === 'noop') continue;
    if (action === 'create' || action === 'update') {
      // A create whose id is not chosen yet gets a stand-in id: ties in weight with it are ordered by _id (§6.1).
      const id = t.remoteId ?? `new-${t.draftId}`;
      docs.set(key(t.scope, id), withScope(maskSecrets(p.send!), t.scope, id));
      effects.push({ ...base, action, applied: true, resourceId: id, ...(t.remoteId ? {} : { idChosenAtApply: true }) });
    } else if (action === 'delete') {
      docs.delete(key(t.scope, t.remoteId!));
      effects.push({ ...base, action, applied: true, resourceId: t.remoteId! });
    } else {
      const why = p.action === 'conflict' ? 'in conflict: apply sends nothing until it is resolved' : p.blockedReasons.map((b) => b.message).join(' ');
      effects.push({ ...base, action: p.action as 'conflict' | 'blocked', applied: false, why, ...(t.remoteId ? { resourceId: t.remoteId } : {}) });
    }
  }
  return effects;
}

/** The cluster's world and the status of its data; `world` is null when the flavor is unknown. */
export function clusterWorld(store: SyncStore, cluster: ClusterRow, opts: { withDrafts?: boolean } = {}): { world: RoutingWorld | null; status: RoutingDataStatus } {
  const facts = storedFacts(store, cluster.id);
  const docs = new Map<string, JsonObject>();
  for (const s of store.snapshots.list(cluster.id)) docs.set(key(s.scope, s.resource_id), withScope(parseMasked(s.doc_json), s.scope, s.resource_id));
  const drafts = opts.withDrafts ? draftEffects(store, cluster, docs) : undefined;
  const flavor = facts.flavor.value?.flavor ?? (cluster.flavor === '4.3' || cluster.flavor === '5.0' ? cluster.flavor : null);
  const status: RoutingDataStatus = {
    clusterId: cluster.id,
    clusterName: cluster.name,
    flavor,
    reachability: cluster.reachability,
    scopes: store.snapshots.pulledScopes(cluster.id).map((s) => ({ scope: s.scope, pulledAt: s.pulled_at })),
    facts: KINDS.map((kind) => {
      const f = facts[kind];
      return {
        kind, status: f.status,
        ...(f.fetchedAt !== undefined ? { fetchedAt: f.fetchedAt } : {}),
        ...(f.error ? { error: f.error.message } : {}), ...(f.failedAt !== undefined ? { failedAt: f.failedAt } : {}),
      };
    }),
    notes: notesOf(facts, flavor),
    ...(drafts ? { drafts } : {}),
  };
  if (!flavor) return { world: null, status };
  const world: RoutingWorld = { flavor, resources: [...docs.values()] };
  if (facts.classifiers.value) world.classifiers = facts.classifiers.value;
  if (facts.stepswitch.value) world.stepswitch = facts.stepswitch.value.settings;
  if (facts.number_manager.value) world.number_manager = facts.number_manager.value.settings;
  if (facts.accounts.value) world.accounts = facts.accounts.value.map((a) => ({ id: a.id, parent_id: a.parent_id }));
  return { world, status };
}

/** Sentences an answer shows about its data (each citing where Kazoo's behaviour is described). */
function notesOf(f: StoredFacts, flavor: string | null): string[] {
  const notes: string[] = [];
  if (!flavor) notes.push('The Kazoo version of this cluster is unknown: check the cluster so its flavor (4.3 or 5.0) is known.');
  if (!f.classifiers.value) {
    notes.push(`The classifier table was never read from this cluster: Kazoo ${flavor ?? ''}'s default table is assumed (routing-spec §3.2).`.replace('  ', ' '));
  }
  for (const [kind, label, defaults] of [
    ['stepswitch', 'stepswitch settings', "Kazoo's defaults are assumed: default weight 3, the stepswitch_resources engine, no default route (routing-spec §10)"],
    ['number_manager', 'number_manager settings', "Kazoo's default E.164 converters are assumed (routing-spec §3.1)"],
  ] as const) {
    const fact = f[kind];
    if (fact.status === 'not_readable') notes.push(`This login may not read the ${label}: ${defaults}.`);
    else if (!fact.value) notes.push(`The ${label} were never read from this cluster: ${defaults}.`);
    const nodes = fact.value?.nodes ?? [];
    if (nodes.length) notes.push(`The ${label} differ on ${nodes.join(', ')}; answers use the default node (routing-spec §10).`);
  }
  for (const kind of KINDS) {
    const fact = f[kind];
    if (fact.value && fact.error) notes.push(`The last read of the ${kind.replace('_', ' ')} data failed (${fact.error.message}); the data read before is used.`);
  }
  if (!f.accounts.value) notes.push('The account tree was never read from this cluster: a hunt account is accepted only when it is the calling account (routing-spec §2.1).');
  return notes;
}

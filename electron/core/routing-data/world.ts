// The routing world of one cluster, assembled from stored facts only (no request): the pulled resource snapshots
// (global, and per account marked with `account_id`), the cached classifier table, stepswitch and number_manager
// settings and account tree (routing-spec §10) and the flavor; optionally "as after the current plan" (the documents
// apply would send for this cluster's draft targets). It is the simulator's World (what `route --offline` reads from
// a file), so one entry point, compileWorld, serves files and clusters. Beside it, what an answer must say about the
// data: its age, what was not readable or never read, offline or unpulled.
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
import type { Ordered, World } from '../routing/index.ts';

/** One draft target's effect on this cluster, with the document apply would leave there (create/update). */
export interface DraftChange extends DraftEffect {
  targetId: string;
  doc?: JsonObject;
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
export function draftChanges(store: SyncStore, cluster: ClusterRow): DraftChange[] {
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
  const changes: DraftChange[] = [];
  for (const p of new Planner().targets(inputs)) {
    const t = p.input;
    const action = p.action === 'blocked' ? p.deferred : p.action;
    const base = { targetId: t.targetId, draftName: t.draftName, scope: t.scope };
    if (action === 'noop') continue;
    if (action === 'create' || action === 'update') {
      // A create whose id is not chosen yet gets a stand-in id: ties in weight with it are ordered by _id (§6.1).
      const id = t.remoteId ?? `new-${t.draftId}`;
      changes.push({ ...base, action, applied: true, resourceId: id, doc: withScope(maskSecrets(p.send!), t.scope, id), ...(t.remoteId ? {} : { idChosenAtApply: true }) });
    } else if (action === 'delete') {
      changes.push({ ...base, action, applied: true, resourceId: t.remoteId! });
    } else {
      const why = p.action === 'conflict' ? 'in conflict: apply sends nothing until it is resolved' : p.blockedReasons.map((b) => b.message).join(' ');
      changes.push({ ...base, action: p.action as 'conflict' | 'blocked', applied: false, why, ...(t.remoteId ? { resourceId: t.remoteId } : {}) });
    }
  }
  return changes;
}

/** The documents after `changes` (those apply would send) on top of `docs` (keyed scope/id); `docs` is not changed. */
export function withChanges(docs: ReadonlyMap<string, JsonObject>, changes: readonly DraftChange[]): Map<string, JsonObject> {
  const out = new Map(docs);
  for (const c of changes) {
    if (!c.applied || c.resourceId === undefined) continue;
    if (c.doc) out.set(key(c.scope, c.resourceId), c.doc);
    else if (c.action === 'delete') out.delete(key(c.scope, c.resourceId));
  }
  return out;
}

/** A change as shown to people (without the document). */
export function effectOf(c: DraftChange): DraftEffect {
  const { targetId: _t, doc: _d, ...effect } = c;
  return effect;
}

/** Stored facts of a cluster: its pulled documents (keyed scope/id), its routing data, and their status. */
export interface ClusterBase {
  docs: Map<string, JsonObject>;
  facts: StoredFacts;
  flavor: '4.3' | '5.0' | null;
  status: RoutingDataStatus;
}

export function clusterBase(store: SyncStore, cluster: ClusterRow): ClusterBase {
  const facts = storedFacts(store, cluster.id);
  const docs = new Map<string, JsonObject>();
  for (const s of store.snapshots.list(cluster.id)) docs.set(key(s.scope, s.resource_id), withScope(parseMasked(s.doc_json), s.scope, s.resource_id));
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
  };
  return { docs, facts, flavor, status };
}

const isObj = (v: unknown): v is JsonObject => isObject(v);

/**
 * The table to simulate with: the phone_numbers table (runtime order) is available_classifiers/0, where master replaced
 * an entry without friendly_name by the classifiers before it and lost its regex (§3.2, §9); such an entry is taken
 * back from the stored table of system_configs/number_manager when this login could read it. `lossy` lists the
 * entries that stay without their regex.
 */
export function classifierTable(runtime: ClassifierTable, numberManager: ConfigFacts | undefined): { table: ClassifierTable; lossy: string[] } {
  const stored = new Map((numberManager?.settings.classifiers as [string, unknown][] | undefined) ?? []);
  const lossy: string[] = [];
  const table = runtime.map(([name, entry]): [string, JsonObject] => {
    if (typeof entry.regex === 'string') return [name, entry];
    const s = stored.get(name);
    if (typeof s === 'string') return [name, { regex: s, friendly_name: name }];
    if (isObj(s) && typeof s.regex === 'string') return [name, s];
    lossy.push(name);
    return [name, entry];
  });
  return { table, lossy };
}

/** The simulator's world for these documents and the cluster's stored tables. */
export function worldOf(base: Pick<ClusterBase, 'flavor' | 'facts'>, docs: ReadonlyMap<string, JsonObject>): World | null {
  if (!base.flavor) return null;
  const f = base.facts;
  const world: World = { flavor: base.flavor, resources: [...docs.values()] };
  if (f.classifiers.value) world.classifiers = classifierTable(f.classifiers.value, f.number_manager.value).table;
  if (f.stepswitch.value) world.stepswitch = f.stepswitch.value.settings;
  const converters = f.number_manager.value?.settings.e164_converters;
  if (converters !== undefined) world.e164Converters = converters as Ordered;
  if (f.accounts.value) world.accounts = f.accounts.value.map((a) => ({ id: a.id, parent_id: a.parent_id }));
  return world;
}

/** The cluster's world (null when its flavor is unknown) and the status of its data, optionally as after the plan. */
export function clusterWorld(store: SyncStore, cluster: ClusterRow, opts: { withDrafts?: boolean } = {}): { world: World | null; status: RoutingDataStatus } {
  const base = clusterBase(store, cluster);
  if (!opts.withDrafts) return { world: worldOf(base, base.docs), status: base.status };
  const changes = draftChanges(store, cluster);
  return { world: worldOf(base, withChanges(base.docs, changes)), status: { ...base.status, drafts: changes.map(effectOf) } };
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
  const lossy = f.classifiers.value ? classifierTable(f.classifiers.value, f.number_manager.value).lossy : [];
  if (lossy.length) {
    notes.push(`The cluster's classifier API shows ${lossy.join(', ')} without a regex (an entry without friendly_name, which Kazoo 5.x's classifier API strips, routing-spec §3.2, §9); a super-duper admin login reads the stored table and makes these classes exact.`);
  }
  if (!f.accounts.value) notes.push('The account tree was never read from this cluster: a hunt account is accepted only when it is the calling account (routing-spec §2.1).');
  return notes;
}

// Local sync state shared by the draft, sync, audit and migration services: repos, sealed documents and views.
import type { CoreContext } from '../context.ts';
import { DraftsRepo, type DraftRow, type TargetRow } from '../db/repos/drafts-repo.ts';
import { SnapshotsRepo, type SnapshotRow } from '../db/repos/snapshots-repo.ts';
import { OutboxRepo } from '../db/repos/outbox-repo.ts';
import { AuditRepo } from '../db/repos/audit-repo.ts';
import { RoutingRepo } from '../db/repos/routing-repo.ts';
import type { ClusterRow } from '../db/repos/clusters-repo.ts';
import { NotFoundLocalError, UserInputError } from '../errors.ts';
import { hashDoc, type JsonObject } from '../drafts/canonical.ts';
import { maskStored, openJson, resolveMasks, sealedJson } from '../drafts/secret-fields.ts';
import type { DraftSummary, DraftView, SnapshotItem, TargetStateView, TargetView } from '../../shared/contract/sync.ts';
import { targetState, type TargetFacts } from './target-state.ts';
import type { ErrorValue } from '../../shared/result.ts';
import { SchemaProvider } from './schemas.ts';
import { matchExisting, type ExistingMatch } from './existing.ts';
import { TurnBatch } from '../db/turn-batch.ts';
import type { Scope } from '../kazoo/index.ts';

export function toScope(scope: string): Scope {
  return scope === 'global' ? { kind: 'global' } : { kind: 'account', accountId: scope };
}

/** A target's place in words, as targets add and its refusals say it: "five global", "five account c000…". */
export function targetWhere(clusterName: string, scope: string): string {
  return `${clusterName} ${scope === 'global' ? 'global' : `account ${scope}`}`;
}

export function checkScope(scope: string): string {
  const s = scope.trim();
  if (s.toLowerCase() === 'global') return 'global';
  if (!/^[0-9a-f]{32}$/i.test(s)) throw new UserInputError(`'${scope}' is not a scope: give 'global' or a 32-hex account id.`);
  return s.toLowerCase();
}

/** What the targets of one draft are compared with (see draftFacts). */
export interface DraftFacts {
  draftHash: string;
  deleting: boolean;
  doc: () => JsonObject;
}

export class SyncStore {
  readonly drafts: DraftsRepo;
  readonly snapshots: SnapshotsRepo;
  readonly outbox: OutboxRepo;
  readonly audit: AuditRepo;
  readonly routing: RoutingRepo;
  readonly schemas: SchemaProvider;
  /**
   * Sync writes made in one turn of the event loop, committed together (db/turn-batch.ts): the claims and results of
   * the many targets of an apply whose replies arrive at once. Each piece is an immediate transaction's savepoint.
   */
  readonly writes: TurnBatch;
  private outboxNoticePending = false;

  constructor(readonly ctx: CoreContext) {
    this.drafts = new DraftsRepo(ctx.db);
    this.snapshots = new SnapshotsRepo(ctx.db);
    this.outbox = new OutboxRepo(ctx.db);
    this.audit = new AuditRepo(ctx.db);
    this.routing = new RoutingRepo(ctx.db);
    this.schemas = new SchemaProvider(this.snapshots);
    this.writes = new TurnBatch((fn) => this.drafts.transaction(fn));
  }

  now(): number {
    return this.ctx.clock.now();
  }

  seal(doc: JsonObject): string {
    return sealedJson(doc, this.ctx.secrets);
  }

  open(text: string): JsonObject {
    return openJson(text, this.ctx.secrets);
  }

  draft(ref: string): DraftRow {
    const row = this.drafts.find(ref);
    if (!row) throw new NotFoundLocalError('Draft', ref);
    return row;
  }

  cluster(ref: string): ClusterRow {
    return this.ctx.clients.profile(ref);
  }

  private versionText(d: DraftRow, version = d.current_version): string {
    const v = this.drafts.version(d.id, version);
    if (!v) throw new NotFoundLocalError(`Version ${version} of draft`, d.name);
    return v.doc_json;
  }

  currentDoc(d: DraftRow): JsonObject {
    return this.open(this.versionText(d));
  }

  /** A version of a draft for output: secrets masked, unless showSecrets (the CLI's --show-secrets). */
  docView(d: DraftRow, version = d.current_version, showSecrets = false): JsonObject {
    const text = this.versionText(d, version);
    return showSecrets ? this.open(text) : maskStored(JSON.parse(text) as JsonObject, this.ctx.secrets);
  }

  /** Puts back the draft's stored secrets where a document coming back from an output holds masks (see resolveMasks). */
  withStoredSecrets(d: DraftRow, doc: JsonObject): JsonObject {
    const older = () => this.drafts.versions(d.id).reverse().map((v) => JSON.parse(v.doc_json) as JsonObject);
    return resolveMasks(doc, JSON.parse(this.versionText(d)) as JsonObject, this.ctx.secrets, older);
  }

  /** Saves doc as the draft's next version (a no-op when it equals the current one); returns the version. */
  saveVersion(d: DraftRow, doc: JsonObject, note: string): number {
    const hash = hashDoc(doc);
    return this.drafts.transaction(() => {
      const cur = this.drafts.version(d.id, d.current_version);
      if (cur && cur.doc_hash === hash && d.current_version === this.drafts.maxVersion(d.id)) return d.current_version;
      const version = this.drafts.maxVersion(d.id) + 1;
      const at = this.now();
      this.drafts.insertVersion({ draft_id: d.id, version, doc_json: this.seal(doc), doc_hash: hash, note, saved_at: at });
      this.drafts.setCurrent(d.id, version, at);
      return version;
    });
  }

  /** The hash of a sealed draft document (opened once per sealed text: the same text is read on every list). */
  private hashOfSealed(text: string): string {
    let h = this.sealedHashes.get(text);
    if (h === undefined) {
      if (this.sealedHashes.size >= 10_000) this.sealedHashes.clear();
      this.sealedHashes.set(text, (h = hashDoc(this.open(text))));
    }
    return h;
  }
  private readonly sealedHashes = new Map<string, string>();

  /** What a draft's targets compare with: its current version's hash, the deletion mark, its document (opened once, if asked). */
  draftFacts(d: DraftRow): DraftFacts {
    let doc: JsonObject | null = null;
    return { draftHash: this.drafts.version(d.id, d.current_version)?.doc_hash ?? '', deleting: d.deleted_mark === 1, doc: () => (doc ??= this.currentDoc(d)) };
  }

  /** A target's state from the stored facts (sync/target-state.ts). */
  targetState(t: TargetRow, draft: DraftFacts, cluster?: ClusterRow): TargetStateView {
    const c = cluster ?? this.ctx.clusters.find(t.cluster_id);
    const live = this.outbox.liveFor(t.id);
    const snap = t.remote_id ? this.snapshots.revisionOf(t.cluster_id, t.scope, t.remote_id) : undefined;
    return targetState({
      draftHash: draft.draftHash,
      deleting: draft.deleting,
      existing: this.existingFor(t, draft),
      syncedHash: t.base_mine_json ? this.hashOfSealed(t.base_mine_json) : null,
      remoteId: t.remote_id,
      baseRevision: t.base_revision,
      applied: t.last_applied_hash !== null,
      snapshot: snap ? { revision: snap.revision, fetchedAt: snap.fetched_at } : null,
      live: live ? { state: live.state as 'queued' | 'in_flight', reason: live.reason, attempts: live.attempts, nextAttemptAt: live.next_attempt_at, leaseUntil: live.lease_until } : null,
      lastError: t.last_error_json ? (JSON.parse(t.last_error_json) as ErrorValue) : null,
      notSuperDuper: t.scope === 'global' && c?.super_duper === 0,
      now: this.now(),
    });
  }

  targetView(t: TargetRow, draft: DraftFacts): TargetView {
    const c = this.ctx.clusters.find(t.cluster_id);
    return {
      id: t.id,
      draftId: t.draft_id,
      clusterId: t.cluster_id,
      clusterName: c?.name ?? t.cluster_id,
      scope: t.scope,
      remoteId: t.remote_id,
      // An id chosen for a create (sync/apply-run.ts) exists nowhere until the cluster confirms it: no revision and no
      // read of it. A carrier bound by id (plan, resolve) was read, so its snapshot is there.
      onCluster: t.remote_id !== null && (t.base_revision !== null || this.snapshots.revisionOf(t.cluster_id, t.scope, t.remote_id) !== undefined),
      baseRevision: t.base_revision,
      state: this.targetState(t, draft, c),
      ...(t.last_error_json ? { lastError: JSON.parse(t.last_error_json) as ErrorValue } : {}),
      lastAppliedHash: t.last_applied_hash,
      updatedAt: t.updated_at,
    };
  }

  summary(d: DraftRow): DraftSummary {
    const facts = this.draftFacts(d);
    return {
      id: d.id,
      name: d.name,
      version: d.current_version,
      markedForDelete: d.deleted_mark === 1,
      createdAt: d.created_at,
      updatedAt: d.updated_at,
      targets: this.drafts.targets(d.id).map((t) => this.targetView(t, facts)),
    };
  }

  /** The draft as every output shows it: secrets masked unless showSecrets. */
  view(ref: string | DraftRow, showSecrets = false): DraftView {
    const d = typeof ref === 'string' ? this.draft(ref) : (this.drafts.find(ref.id) ?? ref);
    return { ...this.summary(d), doc: this.docView(d, d.current_version, showSecrets) };
  }

  /**
   * The carrier, as last read, that a target never bound would meet in its scope (existingInSnapshot: the id the
   * draft's carrier has on another target, else the same name); none once the person chose to create a second one.
   * What the target badge and the Overview show as "exists, not bound".
   */
  existingFor(t: TargetRow, draft: DraftFacts): TargetFacts['existing'] {
    if (t.remote_id || t.base_revision || draft.deleting || t.create_anyway === 1) return null;
    const name = draft.doc().name;
    const m = this.existingInSnapshot(t, typeof name === 'string' ? name : '');
    if (m?.byId) return { resourceId: m.byId.id, name: m.byId.name, by: 'id' };
    const same = m?.byName[0];
    return same ? { resourceId: same.id, name: same.name, by: 'name' } : null;
  }

  snapshotItem(row: SnapshotRow, clusterName: string, draftIds: string[]): SnapshotItem {
    return {
      clusterId: row.cluster_id,
      clusterName,
      scope: row.scope,
      resourceId: row.resource_id,
      name: row.name,
      ...(row.enabled === null ? {} : { enabled: row.enabled === 1 }),
      emergency: isEmergency(row.doc_json),
      revision: row.revision,
      fetchedAt: row.fetched_at,
      draftIds,
    };
  }

  /** Ids the draft's carrier has on its targets (any cluster): the same carrier wherever one of them turns up. */
  knownIds(draftId: string): Set<string> {
    return new Set(this.drafts.remoteIds(draftId));
  }

  /** Resources of a cluster scope that a draft's target is bound to: resource id → that draft's name. */
  boundNames(clusterId: string, scope: string): Map<string, string> {
    const names = new Map<string, string>();
    for (const b of this.drafts.boundTargets(clusterId)) if (b.scope === scope) names.set(b.remote_id, this.drafts.find(b.draft_id)?.name ?? b.draft_id);
    return names;
  }

  /**
   * From the stored snapshots (what the last pull or plan read): what an unbound target's scope holds of its draft's
   * carrier (same id as elsewhere, or same name). Null for a bound target. The Overview shows such a cell as
   * "exists, not bound"; `targets add` binds or warns with it; a plan looks again with a fresh listing.
   */
  existingInSnapshot(t: Pick<TargetRow, 'draft_id' | 'cluster_id' | 'scope' | 'remote_id'>, docName?: string): ExistingMatch | null {
    if (t.remote_id) return null;
    const name = docName ?? this.currentDoc(this.draft(t.draft_id)).name;
    const items = this.snapshots.list(t.cluster_id, t.scope).map((r) => ({ id: r.resource_id, name: r.name }));
    return matchExisting(items, name, this.knownIds(t.draft_id), this.boundNames(t.cluster_id, t.scope));
  }

  /**
   * Why a guarded write to a target (see DraftsRepo.updateTargetIfIdle) wrote nothing: a change to it is on its way
   * to the cluster (another window or process applies it), or it changed meanwhile. Read after the refusal.
   */
  targetBusy(draftName: string, t: TargetRow, clusterName: string): UserInputError {
    const where = targetWhere(clusterName, t.scope);
    const live = this.outbox.live(t.id);
    if (live) {
      const how = live.state === 'in_flight' ? 'is being sent' : 'is queued to be sent';
      return new UserInputError(`A change to draft '${draftName}' on ${where} ${how}; try again when it is done (the outbox shows it).`);
    }
    return new UserInputError(`Draft '${draftName}' on ${where} was changed meanwhile (by another window or process); look at it again, then retry.`);
  }

  changed(draftId: string): void {
    this.ctx.events.emit('drafts.changed', { draftId });
  }

  /**
   * Views hear the outbox's counts once per turn of the event loop, read when they are sent: an apply changes the
   * rows of many targets in one turn (staged, claimed, finished), and each change used to count the whole outbox.
   */
  outboxChanged(): void {
    // Nobody to tell (a CLI command): the counts, a query over the whole outbox, are not worth reading.
    if (this.outboxNoticePending || !this.ctx.events.listened) return;
    this.outboxNoticePending = true;
    setImmediate(() => {
      this.outboxNoticePending = false;
      if (this.ctx.db.open) this.ctx.events.emit('outbox.changed', this.outbox.counts());
    });
  }
}

function isEmergency(docJson: string): boolean {
  try {
    return (JSON.parse(docJson) as { emergency?: unknown }).emergency === true;
  } catch {
    return false;
  }
}

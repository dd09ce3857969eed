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
import { openJson, sealedJson } from '../drafts/secret-fields.ts';
import type { DraftSummary, DraftView, SnapshotItem, TargetStateView, TargetView } from '../../shared/contract/sync.ts';
import { targetState } from './target-state.ts';
import type { ErrorValue } from '../../shared/result.ts';
import { SchemaProvider } from './schemas.ts';
import type { Scope } from '../kazoo/index.ts';

export function toScope(scope: string): Scope {
  return scope === 'global' ? { kind: 'global' } : { kind: 'account', accountId: scope };
}

export function checkScope(scope: string): string {
  const s = scope.trim();
  if (s.toLowerCase() === 'global') return 'global';
  if (!/^[0-9a-f]{32}$/i.test(s)) throw new UserInputError(`'${scope}' is not a scope: give 'global' or a 32-hex account id.`);
  return s.toLowerCase();
}

export class SyncStore {
  readonly drafts: DraftsRepo;
  readonly snapshots: SnapshotsRepo;
  readonly outbox: OutboxRepo;
  readonly audit: AuditRepo;
  readonly routing: RoutingRepo;
  readonly schemas: SchemaProvider;

  constructor(readonly ctx: CoreContext) {
    this.drafts = new DraftsRepo(ctx.db);
    this.snapshots = new SnapshotsRepo(ctx.db);
    this.outbox = new OutboxRepo(ctx.db);
    this.audit = new AuditRepo(ctx.db);
    this.routing = new RoutingRepo(ctx.db);
    this.schemas = new SchemaProvider(this.snapshots);
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

  currentDoc(d: DraftRow): JsonObject {
    const v = this.drafts.version(d.id, d.current_version);
    if (!v) throw new NotFoundLocalError(`Version ${d.current_version} of draft`, d.name);
    return this.open(v.doc_json);
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

  /** The hash of the draft's current version and whether it is marked for deletion: what its targets compare with. */
  draftFacts(d: DraftRow): { draftHash: string; deleting: boolean } {
    return { draftHash: this.drafts.version(d.id, d.current_version)?.doc_hash ?? '', deleting: d.deleted_mark === 1 };
  }

  /** A target's state from the stored facts (sync/target-state.ts). */
  targetState(t: TargetRow, draft: { draftHash: string; deleting: boolean }, cluster?: ClusterRow): TargetStateView {
    const c = cluster ?? this.ctx.clusters.find(t.cluster_id);
    const live = this.outbox.liveFor(t.id);
    const snap = t.remote_id ? this.snapshots.revisionOf(t.cluster_id, t.scope, t.remote_id) : undefined;
    return targetState({
      ...draft,
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

  targetView(t: TargetRow, draft: { draftHash: string; deleting: boolean }): TargetView {
    const c = this.ctx.clusters.find(t.cluster_id);
    return {
      id: t.id,
      draftId: t.draft_id,
      clusterId: t.cluster_id,
      clusterName: c?.name ?? t.cluster_id,
      scope: t.scope,
      remoteId: t.remote_id,
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

  view(ref: string | DraftRow): DraftView {
    const d = typeof ref === 'string' ? this.draft(ref) : (this.drafts.find(ref.id) ?? ref);
    return { ...this.summary(d), doc: this.currentDoc(d) };
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

  changed(draftId: string): void {
    this.ctx.events.emit('drafts.changed', { draftId });
  }

  outboxChanged(): void {
    this.ctx.events.emit('outbox.changed', this.outbox.counts());
  }
}

function isEmergency(docJson: string): boolean {
  try {
    return (JSON.parse(docJson) as { emergency?: unknown }).emergency === true;
  } catch {
    return false;
  }
}

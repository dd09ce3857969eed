// Owns drafts, draft_versions and draft_targets: every saved version of every draft and each target's sync state.
import type { Db } from '../open.ts';
import { StatementCache } from './statement-cache.ts';

export interface DraftRow {
  id: string;
  name: string;
  kind: 'resource';
  current_version: number;
  deleted_mark: 0 | 1;
  created_at: number;
  updated_at: number;
}
export interface DraftVersionRow {
  draft_id: string;
  version: number;
  doc_json: string;
  doc_hash: string;
  note: string;
  saved_at: number;
}
export interface TargetRow {
  id: string;
  draft_id: string;
  cluster_id: string;
  scope: string;
  remote_id: string | null;
  base_revision: string | null;
  base_doc_json: string | null;
  base_mine_json: string | null;
  last_applied_hash: string | null;
  status: 'new' | 'in_sync' | 'queued' | 'in_flight' | 'done' | 'failed' | 'stale' | 'conflict';
  last_error_json: string | null;
  /** 1: the person confirmed creating a carrier even though one with the same name exists in the scope. */
  create_anyway: 0 | 1;
  created_at: number;
  updated_at: number;
}

/** The columns of a target a write may change. */
export type TargetFields = Partial<Omit<TargetRow, 'id' | 'draft_id' | 'cluster_id' | 'scope' | 'created_at'>>;
/** An outbox row that is queued or in flight: a change on its way to the cluster (see outbox-repo.ts). */
const LIVE = "state IN ('queued', 'in_flight')";
/** An outbox row whose request may be on the wire. */
const SENDING = "state = 'in_flight'";

export class DraftsRepo {
  private readonly st: StatementCache;

  constructor(db: Db) {
    this.st = new StatementCache(db);
  }

  /** An immediate transaction: sync writes read then write rows that other processes on the folder write too. */
  transaction<T>(fn: () => T): T {
    return this.st.immediate(fn);
  }

  list(): DraftRow[] {
    return this.st.get<[], DraftRow>('SELECT * FROM drafts ORDER BY name COLLATE NOCASE').all();
  }

  /** By id or (case-insensitive) name. */
  find(idOrName: string): DraftRow | undefined {
    return this.st.get<[string, string], DraftRow>('SELECT * FROM drafts WHERE id = ? OR name = ? COLLATE NOCASE LIMIT 1').get(idOrName, idOrName);
  }

  insert(d: DraftRow): void {
    this.st
      .get('INSERT INTO drafts (id, name, kind, current_version, deleted_mark, created_at, updated_at) VALUES (@id, @name, @kind, @current_version, @deleted_mark, @created_at, @updated_at)')
      .run(d);
  }

  setCurrent(id: string, version: number, at: number): void {
    this.st.get('UPDATE drafts SET current_version = ?, updated_at = ? WHERE id = ?').run(version, at, id);
  }

  setDeletedMark(id: string, mark: boolean, at: number): void {
    this.st.get('UPDATE drafts SET deleted_mark = ?, updated_at = ? WHERE id = ?').run(mark ? 1 : 0, at, id);
  }

  /** How many drafts hold, in their current version, a secret sealed in the given format (e.g. 'gcm1:'). */
  countSealedAs(prefix: string): number {
    return (
      this.st
        .get<[string], { n: number }>(
          'SELECT COUNT(*) AS n FROM drafts d JOIN draft_versions v ON v.draft_id = d.id AND v.version = d.current_version WHERE instr(v.doc_json, ?) > 0',
        )
        .get(`"$sealed":"${prefix}`)?.n ?? 0
    );
  }

  maxVersion(draftId: string): number {
    return this.st.get<[string], { v: number | null }>('SELECT MAX(version) AS v FROM draft_versions WHERE draft_id = ?').get(draftId)?.v ?? 0;
  }

  insertVersion(v: DraftVersionRow): void {
    this.st
      .get('INSERT INTO draft_versions (draft_id, version, doc_json, doc_hash, note, saved_at) VALUES (@draft_id, @version, @doc_json, @doc_hash, @note, @saved_at)')
      .run(v);
  }

  version(draftId: string, version: number): DraftVersionRow | undefined {
    return this.st.get<[string, number], DraftVersionRow>('SELECT * FROM draft_versions WHERE draft_id = ? AND version = ?').get(draftId, version);
  }

  versions(draftId: string): DraftVersionRow[] {
    return this.st.get<[string], DraftVersionRow>('SELECT * FROM draft_versions WHERE draft_id = ? ORDER BY version').all(draftId);
  }

  targets(draftId?: string): TargetRow[] {
    if (draftId === undefined) return this.st.get<[], TargetRow>('SELECT * FROM draft_targets ORDER BY draft_id, cluster_id, scope').all();
    return this.st.get<[string], TargetRow>('SELECT * FROM draft_targets WHERE draft_id = ? ORDER BY cluster_id, scope').all(draftId);
  }

  /**
   * The resource ids a draft's targets are bound to. Its own query, not targets(): a plan asks it for every target
   * it creates, and the full rows carry each target's stored documents.
   */
  remoteIds(draftId: string): string[] {
    return this.st.get<[string], { remote_id: string }>('SELECT remote_id FROM draft_targets WHERE draft_id = ? AND remote_id IS NOT NULL').all(draftId).map((r) => r.remote_id);
  }

  target(id: string): TargetRow | undefined {
    return this.st.get<[string], TargetRow>('SELECT * FROM draft_targets WHERE id = ?').get(id);
  }

  targetFor(draftId: string, clusterId: string, scope: string): TargetRow | undefined {
    return this.st.get<[string, string, string], TargetRow>('SELECT * FROM draft_targets WHERE draft_id = ? AND cluster_id = ? AND scope = ?').get(draftId, clusterId, scope);
  }

  /** Targets bound to a remote resource (to flag snapshots that have a draft). */
  boundTargets(clusterId: string): { draft_id: string; scope: string; remote_id: string }[] {
    return this.st
      .get<[string], { draft_id: string; scope: string; remote_id: string }>('SELECT draft_id, scope, remote_id FROM draft_targets WHERE cluster_id = ? AND remote_id IS NOT NULL')
      .all(clusterId);
  }

  insertTarget(t: TargetRow): void {
    this.st
      .get(
        `INSERT INTO draft_targets (id, draft_id, cluster_id, scope, remote_id, base_revision, base_doc_json, base_mine_json, last_applied_hash, status, last_error_json, create_anyway, created_at, updated_at)
         VALUES (@id, @draft_id, @cluster_id, @scope, @remote_id, @base_revision, @base_doc_json, @base_mine_json, @last_applied_hash, @status, @last_error_json, @create_anyway, @created_at, @updated_at)`,
      )
      .run(t);
  }

  /** Binds an unbound target to a remote resource; false when another run bound it (or chose a create id) first. */
  bindIfUnbound(id: string, remoteId: string, at: number): boolean {
    return this.st.get('UPDATE draft_targets SET remote_id = ?, updated_at = ? WHERE id = ? AND remote_id IS NULL').run(remoteId, at, id).changes > 0;
  }

  /**
   * Moves a target from a create id that was never confirmed to a carrier found on the cluster; false when the target
   * changed meanwhile or one of its outbox rows is live (that create may be on the wire).
   */
  rebindUnconfirmed(id: string, fromRemoteId: string, toRemoteId: string, at: number): boolean {
    return (
      this.st
        .get(
          `UPDATE draft_targets SET remote_id = ?, updated_at = ? WHERE id = ? AND remote_id = ? AND base_revision IS NULL
             AND NOT EXISTS (SELECT 1 FROM outbox WHERE target_id = draft_targets.id AND ${LIVE})`,
        )
        .run(toRemoteId, at, id, fromRemoteId).changes > 0
    );
  }

  removeTarget(id: string): void {
    this.st.get('DELETE FROM draft_targets WHERE id = ?').run(id);
  }

  /**
   * Changes a target only while none of its outbox rows is live and its binding is still the one read (`read`), in
   * one statement: a check and a separate write would let an apply in another process queue and send a change
   * between them. False: a row is live or the target changed meanwhile (nothing written).
   */
  updateTargetIfIdle(read: Pick<TargetRow, 'id' | 'remote_id' | 'base_revision'>, fields: TargetFields, at: number): boolean {
    return this.writeTarget(
      read.id,
      fields,
      at,
      `remote_id IS @was_remote_id AND base_revision IS @was_base_revision AND NOT EXISTS (SELECT 1 FROM outbox WHERE target_id = draft_targets.id AND ${LIVE})`,
      { was_remote_id: read.remote_id, was_base_revision: read.base_revision },
    );
  }

  /**
   * Removes a target unless one of its outbox rows is in flight (its request may be on the wire: without the target
   * its reply could not be recorded and the carrier it makes would be left untracked on the cluster). A queued row
   * goes with the target in the same statement, so no run can take it afterwards. False: one is in flight.
   */
  removeTargetIfNotSending(id: string): boolean {
    return this.st.get(`DELETE FROM draft_targets WHERE id = ? AND NOT EXISTS (SELECT 1 FROM outbox WHERE target_id = draft_targets.id AND ${SENDING})`).run(id).changes > 0;
  }

  /** Removes a draft (its targets and their queued rows with it) unless one of its targets has a row in flight. */
  removeIfNotSending(id: string): boolean {
    return (
      this.st
        .get(`DELETE FROM drafts WHERE id = ? AND NOT EXISTS (SELECT 1 FROM outbox o JOIN draft_targets t ON t.id = o.target_id WHERE t.draft_id = drafts.id AND o.${SENDING})`)
        .run(id).changes > 0
    );
  }

  /** Updates only the given columns of a target. */
  updateTarget(id: string, fields: TargetFields, at: number): void {
    this.writeTarget(id, fields, at, null);
  }

  private writeTarget(id: string, fields: TargetFields, at: number, condition: string | null, params: Record<string, unknown> = {}): boolean {
    const keys = Object.keys(fields).filter((k) => /^[a-z_]+$/.test(k));
    const sets = [...keys.map((k) => `${k} = @${k}`), 'updated_at = @updated_at'].join(', ');
    return this.st.get(`UPDATE draft_targets SET ${sets} WHERE id = @id${condition ? ` AND ${condition}` : ''}`).run({ ...fields, ...params, id, updated_at: at }).changes > 0;
  }
}

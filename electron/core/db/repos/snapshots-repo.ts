// Owns remote_snapshots, snapshot_scopes and schema_cache: what was last read from each cluster.
import type { Db } from '../open.ts';
import { StatementCache } from './statement-cache.ts';

export interface SnapshotRow {
  cluster_id: string;
  scope: string;
  resource_id: string;
  name: string;
  enabled: 0 | 1 | null;
  doc_json: string;
  revision: string;
  fetched_at: number;
}

export class SnapshotsRepo {
  private readonly st: StatementCache;

  constructor(db: Db) {
    this.st = new StatementCache(db);
  }

  /** Runs fn in one transaction (a pull writes a scope's rows together: one commit instead of one per row). */
  transaction<T>(fn: () => T): T {
    return this.st.transaction(fn);
  }

  list(clusterId: string, scope?: string): SnapshotRow[] {
    if (scope === undefined) {
      return this.st.get<[string], SnapshotRow>('SELECT * FROM remote_snapshots WHERE cluster_id = ? ORDER BY scope, name COLLATE NOCASE, resource_id').all(clusterId);
    }
    return this.st
      .get<[string, string], SnapshotRow>('SELECT * FROM remote_snapshots WHERE cluster_id = ? AND scope = ? ORDER BY name COLLATE NOCASE, resource_id')
      .all(clusterId, scope);
  }

  get(clusterId: string, scope: string, resourceId: string): SnapshotRow | undefined {
    return this.st
      .get<[string, string, string], SnapshotRow>('SELECT * FROM remote_snapshots WHERE cluster_id = ? AND scope = ? AND resource_id = ?')
      .get(clusterId, scope, resourceId);
  }

  /** The revision last read of one resource, without its document. */
  revisionOf(clusterId: string, scope: string, resourceId: string): { revision: string; fetched_at: number } | undefined {
    return this.st
      .get<[string, string, string], { revision: string; fetched_at: number }>(
        'SELECT revision, fetched_at FROM remote_snapshots WHERE cluster_id = ? AND scope = ? AND resource_id = ?',
      )
      .get(clusterId, scope, resourceId);
  }

  /** Every pulled resource of a cluster without its document (the Overview lists them all). */
  summaries(clusterId: string): Omit<SnapshotRow, 'doc_json' | 'enabled'>[] {
    return this.st
      .get<[string], Omit<SnapshotRow, 'doc_json' | 'enabled'>>(
        'SELECT cluster_id, scope, resource_id, name, revision, fetched_at FROM remote_snapshots WHERE cluster_id = ? ORDER BY scope, name COLLATE NOCASE, resource_id',
      )
      .all(clusterId);
  }

  /** Revisions of a scope, for If-None-Match refreshes. */
  revisions(clusterId: string, scope: string): Map<string, string> {
    const rows = this.st
      .get<[string, string], { resource_id: string; revision: string }>('SELECT resource_id, revision FROM remote_snapshots WHERE cluster_id = ? AND scope = ?')
      .all(clusterId, scope);
    return new Map(rows.map((r) => [r.resource_id, r.revision]));
  }

  upsert(row: SnapshotRow): void {
    this.st
      .get(
        `INSERT INTO remote_snapshots (cluster_id, scope, resource_id, name, enabled, doc_json, revision, fetched_at)
         VALUES (@cluster_id, @scope, @resource_id, @name, @enabled, @doc_json, @revision, @fetched_at)
         ON CONFLICT (cluster_id, scope, resource_id) DO UPDATE SET name = excluded.name, enabled = excluded.enabled,
           doc_json = excluded.doc_json, revision = excluded.revision, fetched_at = excluded.fetched_at`,
      )
      .run(row);
  }

  touch(clusterId: string, scope: string, resourceId: string, at: number): void {
    this.st.get('UPDATE remote_snapshots SET fetched_at = ? WHERE cluster_id = ? AND scope = ? AND resource_id = ?').run(at, clusterId, scope, resourceId);
  }

  remove(clusterId: string, scope: string, resourceId: string): void {
    this.st.get('DELETE FROM remote_snapshots WHERE cluster_id = ? AND scope = ? AND resource_id = ?').run(clusterId, scope, resourceId);
  }

  /** Removes rows of a scope whose id is not in `keep` (deleted on the cluster); returns how many. */
  prune(clusterId: string, scope: string, keep: Set<string>): number {
    const ids = [...this.revisions(clusterId, scope).keys()].filter((id) => !keep.has(id));
    const del = this.st.get('DELETE FROM remote_snapshots WHERE cluster_id = ? AND scope = ? AND resource_id = ?');
    this.st.transaction(() => ids.forEach((id) => del.run(clusterId, scope, id)));
    return ids.length;
  }

  markPulled(clusterId: string, scope: string, at: number): void {
    this.st
      .get('INSERT INTO snapshot_scopes (cluster_id, scope, pulled_at) VALUES (?, ?, ?) ON CONFLICT (cluster_id, scope) DO UPDATE SET pulled_at = excluded.pulled_at')
      .run(clusterId, scope, at);
  }

  pulledScopes(clusterId: string): { scope: string; pulled_at: number }[] {
    return this.st.get<[string], { scope: string; pulled_at: number }>('SELECT scope, pulled_at FROM snapshot_scopes WHERE cluster_id = ? ORDER BY scope').all(clusterId);
  }

  schemas(clusterId: string): { name: string; schema_json: string; fetched_at: number }[] {
    return this.st
      .get<[string], { name: string; schema_json: string; fetched_at: number }>('SELECT name, schema_json, fetched_at FROM schema_cache WHERE cluster_id = ?')
      .all(clusterId);
  }

  /** Whether the cluster's schema `name` is cached (without reading any schema's text). */
  hasSchema(clusterId: string, name: string): boolean {
    return this.st.get<[string, string], { x: number }>('SELECT 1 AS x FROM schema_cache WHERE cluster_id = ? AND name = ?').get(clusterId, name) !== undefined;
  }

  saveSchemas(clusterId: string, schemas: Record<string, string>, at: number): void {
    const del = this.st.get('DELETE FROM schema_cache WHERE cluster_id = ?');
    const ins = this.st.get('INSERT INTO schema_cache (cluster_id, name, schema_json, fetched_at) VALUES (?, ?, ?, ?)');
    this.st.transaction(() => {
      del.run(clusterId);
      for (const [name, json] of Object.entries(schemas)) ins.run(clusterId, name, json, at);
    });
  }
}

// Owns the clusters table: profiles, sealed secrets, cached tokens, last probe and reachability.
import type { Db } from '../open.ts';
import { StatementCache } from './statement-cache.ts';

export interface ClusterRow {
  id: string;
  name: string;
  base_url: string;
  auth_kind: 'api_key' | 'user';
  account_name: string | null;
  username: string | null;
  auth_hash: 'md5' | 'sha';
  secret_sealed: string;
  ca_file: string | null;
  tls_insecure: 0 | 1;
  token_sealed: string | null;
  token_account_id: string | null;
  token_expires_at: number | null;
  flavor: string | null;
  version: string | null;
  super_duper: 0 | 1 | null;
  account_id: string | null;
  probe_json: string | null;
  probed_at: number | null;
  reachability: 'online' | 'offline' | 'unknown';
  last_error_json: string | null;
  created_at: number;
  updated_at: number;
}

export type NewCluster = Pick<
  ClusterRow,
  'id' | 'name' | 'base_url' | 'auth_kind' | 'account_name' | 'username' | 'auth_hash' | 'secret_sealed' | 'ca_file' | 'tls_insecure'
>;

export interface ProbeUpdate {
  flavor: string;
  version: string | null;
  super_duper: 0 | 1;
  account_id: string | null;
  probe_json: string;
  probed_at: number;
}

export class ClustersRepo {
  private readonly st: StatementCache;

  constructor(db: Db) {
    this.st = new StatementCache(db);
  }

  list(): ClusterRow[] {
    return this.st.get<[], ClusterRow>('SELECT * FROM clusters ORDER BY name COLLATE NOCASE').all();
  }

  /** By id or by (case-insensitive) name. */
  find(idOrName: string): ClusterRow | undefined {
    return this.st
      .get<[string, string], ClusterRow>('SELECT * FROM clusters WHERE id = ? OR name = ? COLLATE NOCASE LIMIT 1')
      .get(idOrName, idOrName);
  }

  insert(c: NewCluster, now: number): void {
    this.st
      .get(
        `INSERT INTO clusters (id, name, base_url, auth_kind, account_name, username, auth_hash, secret_sealed, ca_file, tls_insecure, created_at, updated_at)
         VALUES (@id, @name, @base_url, @auth_kind, @account_name, @username, @auth_hash, @secret_sealed, @ca_file, @tls_insecure, @now, @now)`,
      )
      .run({ ...c, now });
  }

  /** Replaces the connection settings; the cached token and probe are dropped since they may no longer hold. */
  updateConnection(c: NewCluster, now: number): void {
    this.st
      .get(
        `UPDATE clusters SET name = @name, base_url = @base_url, auth_kind = @auth_kind, account_name = @account_name, username = @username,
           auth_hash = @auth_hash, secret_sealed = @secret_sealed, ca_file = @ca_file, tls_insecure = @tls_insecure,
           token_sealed = NULL, token_account_id = NULL, token_expires_at = NULL, updated_at = @now
         WHERE id = @id`,
      )
      .run({ ...c, now });
  }

  remove(id: string): boolean {
    return this.st.get('DELETE FROM clusters WHERE id = ?').run(id).changes > 0;
  }

  setToken(id: string, sealed: string | null, accountId: string | null, expiresAt: number | null): void {
    this.st
      .get('UPDATE clusters SET token_sealed = ?, token_account_id = ?, token_expires_at = ? WHERE id = ?')
      .run(sealed, accountId, expiresAt, id);
  }

  setProbe(id: string, p: ProbeUpdate): void {
    this.st
      .get(
        `UPDATE clusters SET flavor = @flavor, version = @version, super_duper = @super_duper, account_id = @account_id,
           probe_json = @probe_json, probed_at = @probed_at, reachability = 'online', last_error_json = NULL WHERE id = @id`,
      )
      .run({ ...p, id });
  }

  /** Returns true when the stored value changed (so callers emit an event only on change). */
  setReachability(id: string, reachability: ClusterRow['reachability'], lastErrorJson: string | null): boolean {
    return (
      this.st
        .get(
          'UPDATE clusters SET reachability = ?, last_error_json = ? WHERE id = ? AND (reachability IS NOT ? OR last_error_json IS NOT ?)',
        )
        .run(reachability, lastErrorJson, id, reachability, lastErrorJson).changes > 0
    );
  }
}

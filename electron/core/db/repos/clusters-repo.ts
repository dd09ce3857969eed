// Owns the clusters table: profiles, sealed secrets, cached tokens, last probe and reachability.
import type { Db } from '../open.ts';
import { ReadCache } from './read-cache.ts';
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
  login: 'unknown' | 'accepted' | 'refused';
  last_error_json: string | null;
  checked_at: number | null;
  created_at: number;
  updated_at: number;
}

export type NewCluster = Pick<
  ClusterRow,
  'id' | 'name' | 'base_url' | 'auth_kind' | 'account_name' | 'username' | 'auth_hash' | 'secret_sealed' | 'ca_file' | 'tls_insecure'
>;

/** What one request (or connection check) says about a cluster; undefined fields are left as stored. */
export interface Outcome {
  reachability: ClusterRow['reachability'];
  login?: ClusterRow['login'];
  /** The error to keep on the profile (null clears it); undefined keeps the stored one. */
  lastErrorJson?: string | null;
  /**
   * The profile's `updated_at` when the request was sent: the outcome is dropped if the profile was edited since (a
   * late 401 for the old login must not mark the new one refused, which would hold its jobs; see jobs/login-hold.ts).
   */
  profileAt?: number;
}

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
  /** Profiles as last read, by the id or name asked for; every write below forgets them (read-cache.ts). */
  private readonly kept: ReadCache<ClusterRow | undefined>;

  constructor(db: Db) {
    this.st = new StatementCache(db);
    this.kept = new ReadCache(db);
  }

  list(): ClusterRow[] {
    return this.st.get<[], ClusterRow>('SELECT * FROM clusters ORDER BY name COLLATE NOCASE').all();
  }

  /** How many profiles hold a login sealed in the given format (e.g. the key file's 'gcm1:'). */
  countSealedAs(prefix: string): number {
    return this.st.get<[string, string], { n: number }>('SELECT COUNT(*) AS n FROM clusters WHERE substr(secret_sealed, 1, length(?)) = ?').get(prefix, prefix)?.n ?? 0;
  }

  /**
   * By id or by (case-insensitive) name. Two lookups, by the primary key first: one query with `id = ? OR name = ?`
   * scanned every profile, and a request looks its cluster up several times (profile, cached token, outcome).
   */
  find(idOrName: string): ClusterRow | undefined {
    return this.kept.get(
      idOrName,
      () =>
        this.st.get<[string], ClusterRow>('SELECT * FROM clusters WHERE id = ?').get(idOrName) ??
        this.st.get<[string], ClusterRow>('SELECT * FROM clusters WHERE name = ? COLLATE NOCASE LIMIT 1').get(idOrName),
    );
  }

  insert(c: NewCluster, now: number): void {
    this.kept.clear();
    this.st
      .get(
        `INSERT INTO clusters (id, name, base_url, auth_kind, account_name, username, auth_hash, secret_sealed, ca_file, tls_insecure, created_at, updated_at)
         VALUES (@id, @name, @base_url, @auth_kind, @account_name, @username, @auth_hash, @secret_sealed, @ca_file, @tls_insecure, @now, @now)`,
      )
      .run({ ...c, now });
  }

  /**
   * Replaces the connection settings; the cached token is dropped since it may no longer hold. When the address, login
   * or TLS changed, what was known about reaching and logging in to the old one is dropped too ("not checked yet").
   * A refused login is dropped on any save of the profile: saving it again is the user's "try again" (the job watcher
   * holds a cluster while its stored login is refused, jobs/login-hold.ts).
   */
  updateConnection(c: NewCluster, now: number, connectionChanged: boolean): void {
    this.kept.clear();
    this.st
      .get(
        `UPDATE clusters SET name = @name, base_url = @base_url, auth_kind = @auth_kind, account_name = @account_name, username = @username,
           auth_hash = @auth_hash, secret_sealed = @secret_sealed, ca_file = @ca_file, tls_insecure = @tls_insecure,
           token_sealed = NULL, token_account_id = NULL, token_expires_at = NULL, updated_at = @now,
           reachability = CASE WHEN @reset THEN 'unknown' ELSE reachability END,
           login = CASE WHEN @reset OR login = 'refused' THEN 'unknown' ELSE login END,
           last_error_json = CASE WHEN @reset THEN NULL ELSE last_error_json END
         WHERE id = @id`,
      )
      .run({ ...c, now, reset: connectionChanged ? 1 : 0 });
  }

  /**
   * Removes a profile (its targets, queued outbox rows and snapshots go with it) unless a change to one of its carriers
   * is in flight: its reply must still be recorded (issue 15). Checked in the delete itself. False: not removed.
   */
  remove(id: string): boolean {
    this.kept.clear();
    return (
      this.st
        .get(`DELETE FROM clusters WHERE id = ? AND NOT EXISTS (SELECT 1 FROM outbox o JOIN draft_targets t ON t.id = o.target_id WHERE t.cluster_id = clusters.id AND o.state = 'in_flight')`)
        .run(id).changes > 0
    );
  }

  /**
   * Stores (or, with nulls, drops) the cached token, only while the profile is still the version `version` (its
   * updated_at) it was issued for: after an edit here or in another process, a login the old address answered late
   * must not be kept for the new one. One statement, so an edit cannot slip in between the check and the write.
   */
  setToken(id: string, version: number, sealed: string | null, accountId: string | null, expiresAt: number | null): void {
    this.kept.clear();
    this.st
      .get('UPDATE clusters SET token_sealed = ?, token_account_id = ?, token_expires_at = ? WHERE id = ? AND updated_at = ?')
      .run(sealed, accountId, expiresAt, id, version);
  }

  /**
   * `version` (the profile's updated_at the request was sent for): stored only while the profile is still that
   * version, so an answer from the old address after an edit (here or in another process) is not taken as the new one's.
   */
  setProbe(id: string, p: ProbeUpdate, version?: number): void {
    this.kept.clear();
    this.st
      .get(
        `UPDATE clusters SET flavor = @flavor, version = @version, super_duper = @super_duper, account_id = @account_id,
           probe_json = @probe_json, probed_at = @probed_at, checked_at = @probed_at, reachability = 'online', login = 'accepted',
           last_error_json = NULL WHERE id = @id AND (@profile_version IS NULL OR updated_at = @profile_version)`,
      )
      .run({ ...p, id, profile_version: version ?? null });
  }

  /** Records what a request said; returns true when a stored value changed (so callers emit an event only then). */
  recordOutcome(id: string, o: Outcome): boolean {
    const keepError = o.lastErrorJson === undefined ? 1 : 0;
    // The usual reply says what is stored already (reachable, login as it was): the update below would match no row,
    // so it is not run (a write, with its triggers, after each of an apply's requests). Read and compared as it does.
    const row = this.find(id);
    if (!row || row.id !== id || (o.profileAt != null && row.updated_at !== o.profileAt)) return false;
    if (row.reachability === o.reachability && row.login === (o.login ?? row.login) && (keepError === 1 || row.last_error_json === o.lastErrorJson)) return false;
    this.kept.clear();
    return (
      this.st
        .get<[{ id: string; reach: string; login: string | null; error: string | null; keepError: number; profileAt: number | null }]>(
          `UPDATE clusters SET reachability = @reach, login = COALESCE(@login, login),
             last_error_json = CASE WHEN @keepError THEN last_error_json ELSE @error END
           WHERE id = @id AND (@profileAt IS NULL OR updated_at = @profileAt)
             AND (reachability IS NOT @reach OR login IS NOT COALESCE(@login, login)
             OR (NOT @keepError AND last_error_json IS NOT @error))`,
        )
        .run({ id, reach: o.reachability, login: o.login ?? null, error: o.lastErrorJson ?? null, keepError, profileAt: o.profileAt ?? null }).changes > 0
    );
  }

  /** A connection check ran now (whatever it concluded). */
  setChecked(id: string, at: number, version?: number): void {
    this.kept.clear();
    this.st.get('UPDATE clusters SET checked_at = ? WHERE id = ? AND (? IS NULL OR updated_at = ?)').run(at, id, version ?? null, version ?? null);
  }
}

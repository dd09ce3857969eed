// Owns routing_facts: the routing data each cluster served at the last pull (routing-spec §10), per kind, with the
// time it was read and the last failed read. A failure never replaces good data.
import type { Db } from '../open.ts';
import { StatementCache } from './statement-cache.ts';

export type RoutingFactKind = 'flavor' | 'classifiers' | 'stepswitch' | 'number_manager' | 'accounts';

export interface RoutingFactRow {
  cluster_id: string;
  kind: RoutingFactKind;
  status: 'ok' | 'not_readable' | 'failed';
  data_json: string | null;
  fetched_at: number | null;
  error_json: string | null;
  failed_at: number | null;
}

/** The outcome of one read, as the pull records it. */
export type RoutingFactWrite =
  | { kind: RoutingFactKind; status: 'ok'; dataJson: string }
  | { kind: RoutingFactKind; status: 'not_readable' }
  | { kind: RoutingFactKind; status: 'failed'; errorJson: string };

export class RoutingRepo {
  private readonly st: StatementCache;

  constructor(db: Db) {
    this.st = new StatementCache(db);
  }

  list(clusterId: string): RoutingFactRow[] {
    return this.st.get<[string], RoutingFactRow>('SELECT * FROM routing_facts WHERE cluster_id = ? ORDER BY kind').all(clusterId);
  }

  /** Records the outcomes of one pull's reads together. */
  save(clusterId: string, writes: RoutingFactWrite[], at: number): void {
    const good = this.st.get(
      `INSERT INTO routing_facts (cluster_id, kind, status, data_json, fetched_at, error_json, failed_at)
       VALUES (@cluster_id, @kind, @status, @data_json, @at, NULL, NULL)
       ON CONFLICT (cluster_id, kind) DO UPDATE SET status = excluded.status, data_json = excluded.data_json,
         fetched_at = excluded.fetched_at, error_json = NULL, failed_at = NULL`,
    );
    // A failed read keeps whatever was known; only a kind never read before gets the 'failed' status.
    const bad = this.st.get(
      `INSERT INTO routing_facts (cluster_id, kind, status, data_json, fetched_at, error_json, failed_at)
       VALUES (@cluster_id, @kind, 'failed', NULL, NULL, @error_json, @at)
       ON CONFLICT (cluster_id, kind) DO UPDATE SET error_json = excluded.error_json, failed_at = excluded.failed_at`,
    );
    this.st.transaction(() => {
      for (const w of writes) {
        if (w.status === 'failed') bad.run({ cluster_id: clusterId, kind: w.kind, error_json: w.errorJson, at });
        else good.run({ cluster_id: clusterId, kind: w.kind, status: w.status, data_json: w.status === 'ok' ? w.dataJson : null, at });
      }
    });
  }
}

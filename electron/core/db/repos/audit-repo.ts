// Owns audit_log: one row per remote change attempted by apply or the outbox (secrets already masked).
import type { Db } from '../open.ts';
import { StatementCache } from './statement-cache.ts';

export interface AuditRow {
  id: number;
  at: number;
  cluster_id: string;
  cluster_name: string;
  scope: string;
  resource_id: string;
  draft_id: string | null;
  action: 'create' | 'update' | 'delete';
  diff_json: string;
  before_hash: string | null;
  after_hash: string | null;
  request_id: string | null;
  result: 'ok' | 'failed';
  error: string | null;
}

export class AuditRepo {
  private readonly st: StatementCache;

  constructor(private readonly db: Db) {
    this.st = new StatementCache(db);
  }

  insert(row: Omit<AuditRow, 'id'>): void {
    this.st
      .get(
        `INSERT INTO audit_log (at, cluster_id, cluster_name, scope, resource_id, draft_id, action, diff_json, before_hash, after_hash, request_id, result, error)
         VALUES (@at, @cluster_id, @cluster_name, @scope, @resource_id, @draft_id, @action, @diff_json, @before_hash, @after_hash, @request_id, @result, @error)`,
      )
      .run(row);
  }

  list(filter: { clusterId?: string; draftId?: string; limit: number }): AuditRow[] {
    return this.st
      .get<[string | null, string | null, string | null, string | null, number], AuditRow>(
        `SELECT * FROM audit_log WHERE (? IS NULL OR cluster_id = ?) AND (? IS NULL OR draft_id = ?) ORDER BY id DESC LIMIT ?`,
      )
      .all(filter.clusterId ?? null, filter.clusterId ?? null, filter.draftId ?? null, filter.draftId ?? null, filter.limit);
  }

  *iterateAll(): IterableIterator<AuditRow> {
    // Not cached: a cached statement stays busy while a caller holds an unfinished iterator.
    yield* this.db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY id').iterate();
  }
}

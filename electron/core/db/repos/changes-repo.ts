// Owns change_log (written only by the triggers of migration 0008) and the connection's change counters: what the
// change feed reads to learn that another process on the data folder wrote something, and what.
import type { Db } from '../open.ts';
import { StatementCache } from './statement-cache.ts';

export interface ChangeRow {
  area: string;
  ref: string;
  seq: number;
}

export class ChangesRepo {
  private readonly st: StatementCache;

  constructor(private readonly db: Db) {
    this.st = new StatementCache(db);
  }

  /** Changes whenever ANOTHER connection commits to the file (never for this connection's own commits). O(1). */
  dataVersion(): number {
    return this.db.pragma('data_version', { simple: true }) as number;
  }

  /** Rows this connection changed since it was opened (its own writes). O(1). */
  ownChanges(): number {
    return this.st.get<[], { n: number }>('SELECT total_changes() AS n').get()!.n;
  }

  maxSeq(): number {
    return this.st.get<[], { s: number | null }>('SELECT MAX(seq) AS s FROM change_log').get()?.s ?? 0;
  }

  /** What changed after `seq`, oldest first (one row per thing, however often it changed). */
  since(seq: number): ChangeRow[] {
    return this.st.get<[number], ChangeRow>('SELECT area, ref, seq FROM change_log WHERE seq > ? ORDER BY seq').all(seq);
  }
}

// Prepared statements of one repo, prepared on first use and reused: preparing costs ~0.1–1 ms per call, which
// apply and plan paid on every repo call. Also one reusable transaction runner instead of a new wrapper per call.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../open.ts';

export class StatementCache {
  private readonly stmts = new Map<string, Statement>();
  private readonly runner: ReturnType<Db['transaction']>;

  constructor(private readonly db: Db) {
    this.runner = db.transaction((fn: () => unknown) => fn());
  }

  /** The statement for this SQL text (cache by the exact text: dynamic SQL gets one entry per distinct shape). */
  get<P extends unknown[] | object = unknown[], R = unknown>(sql: string): Statement<P, R> {
    let s = this.stmts.get(sql);
    if (!s) this.stmts.set(sql, (s = this.db.prepare(sql)));
    return s as unknown as Statement<P, R>;
  }

  /** Runs fn in a transaction (a savepoint when already inside one), as db.transaction(fn)() does. */
  transaction<T>(fn: () => T): T {
    return this.runner(fn) as T;
  }

  /**
   * Like transaction(), but takes the write lock at BEGIN (BEGIN IMMEDIATE), waiting up to busy_timeout for it. For
   * transactions that read and then write rows other processes write too: a deferred one that read before another
   * process committed fails with SQLITE_BUSY at its first write, without waiting.
   */
  immediate<T>(fn: () => T): T {
    return this.runner.immediate(fn) as T;
  }
}

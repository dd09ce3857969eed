// Rows a repo reads again and again (a cluster's profile before and after each of its requests, the reply limits
// before each request), kept between reads while nothing can have changed them: ~200 profile reads in an apply to 50
// clusters cost ~4 ms of its critical path (fan-out, tenth pass, in docs/benchmarks-history.md).
//
// What may change a kept row, and how each is seen:
// - another connection (another process on the same folder, or another connection of this one) commits:
//   `PRAGMA data_version` moves (SQLite: it changes on every commit of another connection), checked on every read;
// - this connection writes the table: only through the owning repo, which calls `clear()` on every write;
// - a transaction of this connection that wrote and then rolled back: rows are kept only when read outside any
//   transaction, so nothing read from an uncommitted state is ever kept.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../open.ts';

export class ReadCache<V> {
  private readonly rows = new Map<string, V>();
  private readonly version: Statement<[], number>;
  private seenVersion: number | null = null;

  constructor(
    private readonly db: Db,
    /** Bounds the map: a caller looking up many distinct keys (names typed by a person) cannot grow it for ever. */
    private readonly maxKeys = 1024,
  ) {
    this.version = db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  /** The kept value for `key`, else `read()`'s (kept when read outside a transaction). Kept values are frozen. */
  get(key: string, read: () => V): V {
    if (this.db.inTransaction) return read();
    const v = this.version.get()!;
    if (v !== this.seenVersion) {
      this.rows.clear();
      this.seenVersion = v;
    }
    if (this.rows.has(key)) return this.rows.get(key)!;
    const value = read();
    if (this.rows.size >= this.maxKeys) this.rows.clear();
    // Frozen: callers share one object, so a change by one of them would be another's wrong answer.
    if (value !== null && typeof value === 'object') Object.freeze(value);
    this.rows.set(key, value);
    return value;
  }

  /** Forgets every kept value: the owning repo calls it on each of its writes. */
  clear(): void {
    this.rows.clear();
  }
}

// Groups the small write transactions started in one turn of the event loop into one transaction. An apply to 50
// clusters claims a row and records a result per target, each a transaction of its own; the replies of many
// clusters arrive in the same turn, so their writes can share one BEGIN IMMEDIATE … COMMIT (one write of each page
// touched, one lock) instead of one each.
//
// Each piece still runs in a savepoint of its own: a piece that throws is undone alone and its caller gets the error,
// the others commit. A caller's promise settles only after the shared transaction has committed, so nothing is
// reported (or sent) before what it depends on is durable — exactly as with a transaction of its own; the only
// difference is that the commit waits for the end of the turn (setImmediate). A piece queued by a piece while the
// batch runs (apply's staging of a write starting its claim) joins the same transaction, after the pieces before it.

interface Piece {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class TurnBatch {
  private pieces: Piece[] = [];
  /** True while flush() runs the pieces: one queued meanwhile is taken into the same transaction. */
  private flushing = false;

  /**
   * @param transaction runs fn in one transaction, or in a savepoint when called inside one (better-sqlite3's
   *   transaction functions do both; see DraftsRepo.transaction, an immediate one).
   */
  constructor(private readonly transaction: <T>(fn: () => T) => T) {}

  /** Runs fn in the transaction of this turn's batch; resolves with its value once that transaction committed. */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.pieces.length === 0 && !this.flushing) setImmediate(() => this.flush());
      this.pieces.push({ fn, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /** Runs every queued piece now, in one transaction (called at the end of the turn; callers need not call it). */
  flush(): void {
    if (this.flushing || this.pieces.length === 0) return;
    const pieces = this.pieces;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    this.flushing = true;
    try {
      this.transaction(() => {
        // `pieces` is the live queue: a piece queued by a piece lands at its end and runs in this transaction too.
        for (let i = 0; i < pieces.length; i++) {
          try {
            outcomes.push({ ok: true, value: this.transaction(pieces[i]!.fn) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The shared transaction itself failed (no write lock within busy_timeout, a full disk): nothing was written.
      for (const p of pieces) p.reject(error);
      return;
    } finally {
      this.pieces = [];
      this.flushing = false;
    }
    pieces.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
  }
}

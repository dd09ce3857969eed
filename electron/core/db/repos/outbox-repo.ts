// Owns the outbox: durable remote operations with their attempts, next attempt time, lease and reason.
import type { Db } from '../open.ts';
import { StatementCache } from './statement-cache.ts';

export interface OutboxRow {
  id: number;
  target_id: string;
  op: 'create' | 'update' | 'delete';
  remote_id: string;
  doc_json: string | null;
  mine_json: string | null;
  expected_revision: string | null;
  content_hash: string | null;
  state: 'queued' | 'in_flight' | 'done' | 'failed' | 'superseded';
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  reason: string | null;
  created_at: number;
  updated_at: number;
}
export type NewOutbox = Pick<OutboxRow, 'target_id' | 'op' | 'remote_id' | 'doc_json' | 'mine_json' | 'expected_revision' | 'content_hash' | 'next_attempt_at' | 'reason'>;

export class OutboxRepo {
  private readonly st: StatementCache;

  constructor(db: Db) {
    this.st = new StatementCache(db);
  }

  /** Marks the target's unfinished rows superseded and adds the new one; returns its id. */
  enqueue(row: NewOutbox, at: number): number {
    this.supersede(row.target_id, at);
    const r = this.st
      .get(
        `INSERT INTO outbox (target_id, op, remote_id, doc_json, mine_json, expected_revision, content_hash, state, attempts, next_attempt_at, reason, created_at, updated_at)
         VALUES (@target_id, @op, @remote_id, @doc_json, @mine_json, @expected_revision, @content_hash, 'queued', 0, @next_attempt_at, @reason, @at, @at)`,
      )
      .run({ ...row, at });
    return Number(r.lastInsertRowid);
  }

  get(id: number): OutboxRow | undefined {
    return this.st.get<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?').get(id);
  }

  /** Supersedes the unfinished rows of a target (a new plan replaced them). */
  supersede(targetId: string, at: number): void {
    this.st.get("UPDATE outbox SET state = 'superseded', updated_at = ? WHERE target_id = ? AND state IN ('queued', 'in_flight')").run(at, targetId);
  }

  /** Takes a row for execution if it is still queued (or its in-flight lease expired); false if someone else has it. */
  claim(id: number, now: number, leaseMs: number): boolean {
    return (
      this.st
        .get(
          `UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, lease_until = ?, updated_at = ?
           WHERE id = ? AND (state = 'queued' OR (state = 'in_flight' AND lease_until < ?))`,
        )
        .run(now + leaseMs, now, id, now).changes > 0
    );
  }

  /** Rows ready to run: queued and due (any queued one when forced), or in flight with an expired lease (their process died). */
  due(now: number, limit = 500, force = false): OutboxRow[] {
    return this.st
      .get<[number, number, number, number], OutboxRow>(
        `SELECT * FROM outbox WHERE (state = 'queued' AND (? = 1 OR next_attempt_at <= ?)) OR (state = 'in_flight' AND lease_until < ?) ORDER BY id LIMIT ?`,
      )
      .all(force ? 1 : 0, now, now, limit);
  }

  /** When the next row becomes runnable (a queued row's next attempt, or an in-flight lease running out); null: none. */
  nextDue(): number | null {
    return (
      this.st
        .get<[], { t: number | null }>(
          "SELECT MIN(CASE WHEN state = 'queued' THEN next_attempt_at ELSE lease_until END) AS t FROM outbox WHERE state = 'queued' OR (state = 'in_flight' AND lease_until IS NOT NULL)",
        )
        .get()?.t ?? null
    );
  }

  finish(id: number, state: 'done' | 'failed', reason: string | null, at: number): void {
    this.st.get('UPDATE outbox SET state = ?, reason = ?, lease_until = NULL, updated_at = ? WHERE id = ?').run(state, reason, at, id);
  }

  requeue(id: number, nextAttemptAt: number, reason: string, at: number): void {
    this.st.get("UPDATE outbox SET state = 'queued', next_attempt_at = ?, reason = ?, lease_until = NULL, updated_at = ? WHERE id = ?").run(nextAttemptAt, reason, at, id);
  }

  list(all: boolean): OutboxRow[] {
    if (all) return this.st.get<[], OutboxRow>('SELECT * FROM outbox ORDER BY id DESC LIMIT 1000').all();
    // Unfinished work: each target's latest row, unless it is done (an old failure a later apply fixed is history).
    return this.st
      .get<[], OutboxRow>(
        "SELECT * FROM outbox o WHERE state IN ('queued', 'in_flight', 'failed') AND id = (SELECT MAX(id) FROM outbox WHERE target_id = o.target_id) ORDER BY id",
      )
      .all();
  }

  latestFor(targetId: string): OutboxRow | undefined {
    return this.st.get<[string], OutboxRow>('SELECT * FROM outbox WHERE target_id = ? ORDER BY id DESC LIMIT 1').get(targetId);
  }

  counts(): { queued: number; inFlight: number; failed: number } {
    const rows = this.st.get<[], { state: string; n: number }>("SELECT state, COUNT(*) AS n FROM outbox WHERE state IN ('queued', 'in_flight', 'failed') GROUP BY state").all();
    const get = (s: string) => rows.find((r) => r.state === s)?.n ?? 0;
    return { queued: get('queued'), inFlight: get('in_flight'), failed: get('failed') };
  }
}

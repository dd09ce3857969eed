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
  /** A queued row with a lease is reserved by the run that will send it; an in-flight one is being sent. */
  lease_until: number | null;
  lease_owner: string | null;
  lease_pid: number | null;
  lease_host: string | null;
  /** 1: a create planned without looking at what its scope holds (its cluster did not answer): look before sending. */
  check_existing: 0 | 1;
  reason: string | null;
  created_at: number;
  updated_at: number;
}
export type NewOutbox = Pick<OutboxRow, 'target_id' | 'op' | 'remote_id' | 'doc_json' | 'mine_json' | 'expected_revision' | 'content_hash' | 'next_attempt_at' | 'reason' | 'check_existing'>;
/** The holder of a lease (see sync/lease.ts). */
export interface LeaseHolder {
  owner: string;
  pid: number;
  host: string;
}

const LIVE = "state IN ('queued', 'in_flight')";

export class OutboxRepo {
  private readonly st: StatementCache;

  constructor(db: Db) {
    this.st = new StatementCache(db);
  }

  /**
   * Adds a row, reserved for `lease` until `leaseUntil` (null: free for any run); returns its id. The schema allows one live (queued or in
   * flight) row per target: the caller has superseded a queued one first, and never adds beside an in-flight one.
   */
  insert(row: NewOutbox, lease: LeaseHolder | null, leaseUntil: number | null, at: number): number {
    const r = this.st
      .get(
        `INSERT INTO outbox (target_id, op, remote_id, doc_json, mine_json, expected_revision, content_hash, state, attempts, next_attempt_at, lease_until, lease_owner, lease_pid, lease_host, check_existing, reason, created_at, updated_at)
         VALUES (@target_id, @op, @remote_id, @doc_json, @mine_json, @expected_revision, @content_hash, 'queued', 0, @next_attempt_at, @lease_until, @owner, @pid, @host, @check_existing, @reason, @at, @at)`,
      )
      .run({ ...row, lease_until: leaseUntil, owner: lease?.owner ?? null, pid: lease?.pid ?? null, host: lease?.host ?? null, at });
    return Number(r.lastInsertRowid);
  }

  get(id: number): OutboxRow | undefined {
    return this.st.get<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?').get(id);
  }

  /** The target's live row (queued or in flight), if any: there is at most one. */
  live(targetId: string): OutboxRow | undefined {
    return this.st.get<[string], OutboxRow>(`SELECT * FROM outbox WHERE target_id = ? AND ${LIVE}`).get(targetId);
  }

  /** Supersedes the target's queued row (a newer plan replaced it). An in-flight row is never superseded: it may be on the wire. */
  supersede(targetId: string, at: number): void {
    this.st.get("UPDATE outbox SET state = 'superseded', lease_until = NULL, lease_owner = NULL, updated_at = ? WHERE target_id = ? AND state = 'queued'").run(at, targetId);
  }

  /** Reserves a queued row for `lease` (it is free, ours already, or its reservation ran out); false if not. */
  reserve(id: number, lease: LeaseHolder, leaseUntil: number, now: number): boolean {
    return (
      this.st
        .get(
          `UPDATE outbox SET lease_until = @until, lease_owner = @owner, lease_pid = @pid, lease_host = @host, updated_at = @now
           WHERE id = @id AND state = 'queued' AND (lease_owner IS NULL OR lease_owner = @owner OR lease_until IS NULL OR lease_until < @now)`,
        )
        .run({ id, until: leaseUntil, owner: lease.owner, pid: lease.pid, host: lease.host, now }).changes > 0
    );
  }

  /** Ends the lease of a holder found dead (its process is gone), so the row can be reserved or claimed now. */
  voidLease(id: number, owner: string | null): void {
    this.st.get(`UPDATE outbox SET lease_until = 0 WHERE id = ? AND lease_owner IS ? AND ${LIVE}`).run(id, owner);
  }

  /**
   * Takes a row for sending: queued and free or reserved by `lease`, or in flight with a lease that ran out (its
   * holder stopped; the send is then a resumed one that looks first). Returns the row as claimed (one statement: the
   * executor reads it right after), or undefined if another run has it.
   */
  claimRow(id: number, lease: LeaseHolder, leaseUntil: number, now: number): OutboxRow | undefined {
    return this.st
      .get<[{ id: number; until: number; owner: string; pid: number; host: string; now: number }], OutboxRow>(
        `UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, lease_until = @until, lease_owner = @owner, lease_pid = @pid, lease_host = @host, updated_at = @now
         WHERE id = @id AND ((state = 'queued' AND (lease_owner IS NULL OR lease_owner = @owner OR lease_until IS NULL OR lease_until < @now))
                             OR (state = 'in_flight' AND lease_until < @now))
         RETURNING *`,
      )
      .get({ id, until: leaseUntil, owner: lease.owner, pid: lease.pid, host: lease.host, now });
  }

  /** Extends a lease its holder still has; false when the row is no longer held by `owner`. */
  renew(id: number, owner: string, until: number): boolean {
    return this.st.get(`UPDATE outbox SET lease_until = ? WHERE id = ? AND lease_owner = ? AND ${LIVE}`).run(until, id, owner).changes > 0;
  }

  /** True while `owner` holds the row (reserved or in flight). */
  holds(id: number, owner: string): boolean {
    return this.st.get<[number, string], { x: number }>(`SELECT 1 AS x FROM outbox WHERE id = ? AND lease_owner = ? AND ${LIVE}`).get(id, owner) !== undefined;
  }

  /**
   * Rows that may be ready to run: queued and due (any queued one when forced) without a reservation that is still
   * running, or in flight with a lease that ran out. Rows held by processes of this host are included so the caller
   * can tell a dead holder (see heldByOther).
   */
  due(now: number, host: string, limit = 500, force = false): OutboxRow[] {
    return this.st
      .get<[number, number, number, string, number, string, number], OutboxRow>(
        `SELECT * FROM outbox
         WHERE (state = 'queued' AND (? = 1 OR next_attempt_at <= ?) AND (lease_until IS NULL OR lease_until < ? OR lease_host = ?))
            OR (state = 'in_flight' AND (lease_until < ? OR lease_host = ?))
         ORDER BY id LIMIT ?`,
      )
      .all(force ? 1 : 0, now, now, host, now, host, limit);
  }

  /** When the next row becomes runnable (a queued row's next attempt, or a lease running out); null: none. */
  nextDue(): number | null {
    return (
      this.st
        .get<[], { t: number | null }>(
          `SELECT MIN(CASE WHEN state = 'queued' THEN MAX(next_attempt_at, COALESCE(lease_until, 0)) ELSE lease_until END) AS t FROM outbox
           WHERE state = 'queued' OR (state = 'in_flight' AND lease_until IS NOT NULL)`,
        )
        .get()?.t ?? null
    );
  }

  /** Records the end of a row its holder still holds; false (nothing written) when it lost the row. */
  finish(id: number, owner: string, state: 'done' | 'failed', reason: string | null, at: number): boolean {
    return (
      this.st
        .get(`UPDATE outbox SET state = ?, reason = ?, lease_until = NULL, lease_owner = NULL, updated_at = ? WHERE id = ? AND lease_owner = ? AND ${LIVE}`)
        .run(state, reason, at, id, owner).changes > 0
    );
  }

  /** Puts a row its holder still holds back in the queue (free for any run) for a later attempt. */
  requeue(id: number, owner: string, nextAttemptAt: number, reason: string, at: number): boolean {
    return (
      this.st
        .get(`UPDATE outbox SET state = 'queued', next_attempt_at = ?, reason = ?, lease_until = NULL, lease_owner = NULL, updated_at = ? WHERE id = ? AND lease_owner = ? AND ${LIVE}`)
        .run(nextAttemptAt, reason, at, id, owner).changes > 0
    );
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

  /** The target's newest row if it is still queued or in flight (what its state shows while work is on its way). */
  liveFor(targetId: string): Pick<OutboxRow, 'state' | 'reason' | 'attempts' | 'next_attempt_at' | 'lease_until'> | undefined {
    const r = this.st
      .get<[string], Pick<OutboxRow, 'state' | 'reason' | 'attempts' | 'next_attempt_at' | 'lease_until'>>(
        'SELECT state, reason, attempts, next_attempt_at, lease_until FROM outbox WHERE target_id = ? ORDER BY id DESC LIMIT 1',
      )
      .get(targetId);
    return r && (r.state === 'queued' || r.state === 'in_flight') ? r : undefined;
  }

  counts(): { queued: number; inFlight: number; failed: number } {
    const rows = this.st.get<[], { state: string; n: number }>("SELECT state, COUNT(*) AS n FROM outbox WHERE state IN ('queued', 'in_flight', 'failed') GROUP BY state").all();
    const get = (s: string) => rows.find((r) => r.state === s)?.n ?? 0;
    return { queued: get('queued'), inFlight: get('in_flight'), failed: get('failed') };
  }
}

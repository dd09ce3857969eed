// Leases on outbox rows: who holds a row (a token per run, with its process id and host), whether a holder is
// still alive, and the keeper that renews every lease this process holds so none runs out under a live request.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { OutboxRow } from '../db/repos/outbox-repo.ts';
import { processAlive } from '../process-alive.ts';
import type { SyncStore } from './store.ts';

export interface LeaseTiming {
  /** How long a lease lasts without renewal: a holder that stops renewing (killed on another host) loses it then. */
  leaseMs: number;
  /** The keeper renews well before a lease could run out, even with a busy event loop. */
  renewEveryMs: number;
}

export const DEFAULT_LEASE_TIMING: Readonly<LeaseTiming> = { leaseMs: 60_000, renewEveryMs: 15_000 };

export interface Lease {
  owner: string;
  pid: number;
  host: string;
}

export function newLease(): Lease {
  return { owner: randomUUID(), pid: process.pid, host: hostname() };
}

/**
 * True when another run holds the row: its lease has not run out and its process still exists. A row of a store
 * older than leases with owners (no owner, in flight) counts as held until its lease runs out, as it did then.
 */
export function heldByOther(row: OutboxRow, lease: Lease | null, now: number): boolean {
  if (row.state !== 'queued' && row.state !== 'in_flight') return false;
  if (row.lease_until === null || row.lease_until < now) return false;
  if (row.lease_owner === null) return row.state === 'in_flight';
  if (lease && row.lease_owner === lease.owner) return false;
  return row.lease_pid === null || row.lease_host === null || processAlive(row.lease_pid, row.lease_host);
}

/** Words for a report: which run holds (or held) a row. */
export function holderText(row: OutboxRow): string {
  if (row.lease_pid === null) return 'another run';
  if (row.lease_pid === process.pid && row.lease_host === hostname()) return 'another apply in this window or process';
  return `another Carrier Desk process (pid ${row.lease_pid}${row.lease_host && row.lease_host !== hostname() ? ` on ${row.lease_host}` : ''})`;
}

/** Renews the leases this process holds, every `renewEveryMs`, while it holds any. */
export class LeaseKeeper {
  private readonly held = new Map<number, string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: SyncStore,
    private readonly timing: LeaseTiming,
  ) {}

  hold(rowId: number, lease: Lease): void {
    this.held.set(rowId, lease.owner);
    if (!this.timer) {
      this.timer = setInterval(() => this.renew(), this.timing.renewEveryMs);
      // Renewal never keeps a process alive by itself.
      this.timer.unref?.();
    }
  }

  drop(rowId: number): void {
    this.held.delete(rowId);
    if (this.held.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  /** Extends every held lease; a row no longer ours (taken over, finished) is dropped. */
  renew(): void {
    if (!this.store.ctx.db.open) return this.stop();
    const until = this.store.now() + this.timing.leaseMs;
    const lost = this.store.drafts.transaction(() => [...this.held].filter(([id, owner]) => !this.store.outbox.renew(id, owner, until)).map(([id]) => id));
    for (const id of lost) this.drop(id);
  }

  stop(): void {
    this.held.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

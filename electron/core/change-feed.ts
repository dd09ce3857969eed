// Notices what other processes on the same data folder wrote (the CLI beside the app, a second window's host, a
// worker thread's connection) and hands it to per-area handlers, which drop what is cached and emit the events a
// change made here would emit, so every open view shows it. A background task: one O(1) check every POLL_MS.
import type { BackgroundTask } from './background.ts';
import type { ChangesRepo } from './db/repos/changes-repo.ts';
import type { Logger } from './platform.ts';

/** The areas the triggers of migration 0008 report, with what `ref` holds for each. */
export type ChangeArea =
  | 'clusters' // cluster id
  | 'settings' // setting key
  | 'drafts' // draft id (the draft, its versions or its targets)
  | 'outbox' // target id
  | 'snapshots' // cluster id
  | 'jobs' // job id
  | 'lists'; // number list id

export type ChangeHandlers = Partial<Record<ChangeArea, (refs: string[]) => void>>;

export const POLL_MS = 500;

export class ChangeFeed implements BackgroundTask {
  readonly name = 'changes';
  private version: number;
  private own: number;
  private seq: number;

  constructor(
    private readonly repo: ChangesRepo,
    private readonly handlers: ChangeHandlers,
    private readonly logger: Logger,
  ) {
    this.version = repo.dataVersion();
    this.own = repo.ownChanges();
    this.seq = repo.maxSeq();
  }

  async run(): Promise<number> {
    this.poll();
    return POLL_MS;
  }

  /** One look; returns how many changed things were handed to handlers. */
  poll(): number {
    const version = this.repo.dataVersion();
    if (version === this.version) {
      const own = this.repo.ownChanges();
      if (own === this.own) return 0;
      // Only this process wrote: its services emitted their events already. Skip past those rows, unless another
      // connection committed in between (then data_version moved and the next look reads them all).
      const seq = this.repo.maxSeq();
      if (this.repo.dataVersion() === version) {
        this.own = own;
        this.seq = seq;
      }
      return 0;
    }
    // Read the version before the rows: a commit after this point moves it again and is read next time.
    this.version = version;
    this.own = this.repo.ownChanges();
    const rows = this.repo.since(this.seq);
    if (rows.length === 0) return 0;
    this.seq = rows[rows.length - 1]!.seq;
    const byArea = new Map<string, string[]>();
    for (const r of rows) {
      const refs = byArea.get(r.area);
      if (refs) refs.push(r.ref);
      else byArea.set(r.area, [r.ref]);
    }
    for (const [area, refs] of byArea) {
      try {
        this.handlers[area as ChangeArea]?.(refs);
      } catch (e) {
        // A handler that fails (a row gone between two reads) must not stop the others or the feed.
        this.logger.warn('change feed handler failed', { area, error: (e as Error).message });
      }
    }
    return rows.length;
  }
}

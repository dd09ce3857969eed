// The core's background loop: named tasks (job watcher, outbox) that each say when they want to run again.
// Hosts start it (Electron main, browser host, `carrier-desk watch`); stop() drains running work.
import type { Logger } from './platform.ts';

export interface BackgroundTask {
  name: string;
  /**
   * Does one round of work; returns the delay in ms before the next round, or null when it has nothing to do: it is
   * then woken by its own process, or looks again after IDLE_RECHECK_MS.
   */
  run(signal: AbortSignal): Promise<number | null>;
}

/**
 * An idle task still looks again this often: another process on the same data folder (the CLI's `jobs submit` or
 * `apply` next to the app or to `carrier-desk watch`) may have queued work that nothing in this process announces.
 * A look is one or two SQLite queries.
 */
export const IDLE_RECHECK_MS = 3_000;

interface Slot {
  task: BackgroundTask;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  rerun: boolean;
}

export class BackgroundLoop {
  private readonly slots = new Map<string, Slot>();
  private controller = new AbortController();
  private started = false;

  constructor(private readonly logger: Logger) {}

  register(task: BackgroundTask): void {
    this.slots.set(task.name, { task, timer: null, running: null, rerun: false });
    if (this.started) this.wake(task.name);
  }

  get isRunning(): boolean {
    return this.started;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.controller = new AbortController();
    for (const name of this.slots.keys()) this.wake(name);
  }

  /** Runs the task as soon as possible (now, or right after its current round). */
  wake(name: string): void {
    const slot = this.slots.get(name);
    if (!slot || !this.started) return;
    if (slot.running) {
      slot.rerun = true;
      return;
    }
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.running = this.runOnce(slot);
  }

  /** Runs one round of a task in the foreground (used by `carrier-desk watch --until-idle` and tests). */
  async runNow(name: string): Promise<number | null> {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`No background task '${name}'.`);
    return slot.task.run(this.controller.signal);
  }

  private async runOnce(slot: Slot): Promise<void> {
    let delay: number | null = 1000;
    try {
      delay = await slot.task.run(this.controller.signal);
    } catch (e) {
      this.logger.error(`background task ${slot.task.name} failed`, { error: (e as Error).message });
      delay = 5000;
    }
    slot.running = null;
    if (!this.started) return;
    if (slot.rerun) {
      slot.rerun = false;
      this.wake(slot.task.name);
    } else {
      slot.timer = setTimeout(() => this.wake(slot.task.name), Math.max(0, delay ?? IDLE_RECHECK_MS));
      // The loop never keeps a process alive by itself: hosts decide how long they run.
      slot.timer.unref?.();
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    this.controller.abort();
    const running: Promise<void>[] = [];
    for (const slot of this.slots.values()) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      if (slot.running) running.push(slot.running);
    }
    await Promise.allSettled(running);
  }
}

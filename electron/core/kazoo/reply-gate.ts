// One large reply in memory at a time in this process. Each reply has its own size limit (limits.ts), but requests
// run side by side (a pull of every account keeps 8 listings in flight, plans and the job watcher read several
// documents at once), and eight listings of endless pages grew together to their limits, parsed: a pull --all took
// the CLI past 850 MB. So a reply, or a listing's pages together, may grow past SMALL_REPLY_BYTES only while it
// holds the gate, which it keeps until it has been parsed (a listing: until its last page). The others stop reading
// (their sockets apply backpressure to the server) and wait in turn, holding at most SMALL_REPLY_BYTES each; a
// waiting request still ends at its own deadline. The holder never waits for another holder, so no deadlock.
// Process-wide rather than per cluster, since memory is the process's.

/** What a reply or listing may hold without the gate: far above a Crossbar page or document, far below the limits. */
export const SMALL_REPLY_BYTES = 1024 * 1024;

export class ReplyGate {
  private busy = false;
  private readonly waiting: (() => void)[] = [];

  /** Resolves with the release function once this caller holds the gate; rejects when `signal` aborts first. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (!this.busy) {
      this.busy = true;
      return this.releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const go = () => {
        signal?.removeEventListener('abort', stop);
        resolve();
      };
      const stop = () => {
        const i = this.waiting.indexOf(go);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal?.reason instanceof Error ? signal.reason : new Error('The request was stopped while waiting to read its reply.'));
      };
      if (signal?.aborted) return stop();
      signal?.addEventListener('abort', stop, { once: true });
      this.waiting.push(go);
    });
    return this.releaser();
  }

  /** A holder that acquires at most once (a listing's pages share one) and releases what it holds. */
  ticket(): GateTicket {
    let release: (() => void) | undefined;
    return {
      ensure: async (signal) => {
        release ??= await this.acquire(signal);
      },
      release: () => {
        release?.();
        release = undefined;
      },
    };
  }

  /** Hands the gate to the next waiter (it stays busy) or frees it; calling it twice is harmless. */
  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.busy = false;
    };
  }
}

export interface GateTicket {
  /** Holds the gate from now on (waits for it the first time). */
  ensure(signal?: AbortSignal): Promise<void>;
  release(): void;
}

/** The gate every Transport and listing of this process shares. */
export const replyGate = new ReplyGate();

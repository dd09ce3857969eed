// Concurrency limits for requests to one cluster: `mapLimit` runs fn over items with at most `limit` in flight
// (keeping result order); `Limiter` caps the requests of a whole operation that runs many of those at once (a
// pull of every account shares one limit across accounts, so the cluster sees the same 8 requests in flight
// whether the accounts hold one resource each or a thousand).
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * At most `size` tasks running; the others wait in order of arrival. `close(e)` makes waiting and later tasks fail
 * with e, and aborts `signal`, which tasks give their requests so that those in flight stop too.
 */
export class Limiter {
  private readonly stopper = new AbortController();
  readonly signal: AbortSignal = this.stopper.signal;
  private running = 0;
  private readonly waiting: { go: () => void; stop: (e: unknown) => void }[] = [];
  private closed: { error: unknown } | null = null;

  constructor(readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.closed) throw this.closed.error;
    // A finishing task hands its place straight to the next waiting one, so no newcomer can slip in between.
    if (this.running < this.size) this.running++;
    else await new Promise<void>((go, stop) => this.waiting.push({ go, stop }));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next.go();
      else this.running--;
    }
  }

  close(error: unknown): void {
    if (this.closed) return;
    this.closed = { error };
    this.stopper.abort(error);
    for (const w of this.waiting.splice(0)) w.stop(error);
  }
}

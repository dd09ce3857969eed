// Work a later step needs, done in the time the process would otherwise spend waiting (on a request's reply).
//
// An apply sends a cluster's write and then waits ~a round trip for the reply; what it records once the reply comes
// has a part that does not depend on the reply (the audit's diff of the change). Worked out in the next turn of the
// event loop, after the writes of this turn have left, it is off the path from the last reply to the end of the
// command (fan-out, eighth pass, in docs/benchmarks-history.md).

/**
 * `fn`, run once: in the next turn of the event loop, or when first asked for if that comes sooner. A throw in the
 * early run is not lost: asked for, `fn` runs again and throws to the caller.
 */
export function whileWaiting<T>(fn: () => T): () => T {
  let result: { value: T } | null = null;
  const run = (): T => (result ??= { value: fn() }).value;
  const early = setImmediate(() => {
    try {
      run();
    } catch {
      // Reported where it is asked for (above).
    }
  });
  return () => {
    clearImmediate(early);
    return run();
  };
}

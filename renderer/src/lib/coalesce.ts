// Runs a reload once for a burst of change events (an apply to many targets emits one per target): the first call
// schedules it, later calls within `ms` join that run; a call while it runs schedules one more afterwards.
export function coalesce(fn: () => Promise<unknown> | void, ms = 50): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let again = false;
  const start = () => {
    timer = null;
    running = true;
    void Promise.resolve(fn()).finally(() => {
      running = false;
      if (again) {
        again = false;
        schedule();
      }
    });
  };
  const schedule = () => {
    if (running) again = true;
    else timer ??= setTimeout(start, ms);
  };
  return schedule;
}

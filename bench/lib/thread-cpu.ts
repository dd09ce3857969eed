// CPU time per thread on Linux, from /proc (utime + stime in clock ticks of 10 ms): figures the machine's load
// distorts far less than wall time, for benches whose work runs in worker threads. Elsewhere everything is undefined.
import { readdirSync, readFileSync } from 'node:fs';

/** USER_HZ: 100 on every Linux build Node supports. */
const TICK_MS = 10;

/** CPU milliseconds a thread ('thread-self' or a /proc/self/task id) has used so far; undefined off Linux. */
export function threadCpuMs(tid = 'thread-self'): number | undefined {
  try {
    const stat = readFileSync(tid === 'thread-self' ? '/proc/thread-self/stat' : `/proc/self/task/${tid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14 and stime 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return undefined;
  }
}

function taskIds(): string[] {
  try {
    return readdirSync('/proc/self/task');
  } catch {
    return [];
  }
}

/**
 * Watches the threads started after it (worker threads, their loader threads): samples each one's CPU every 50 ms
 * and keeps the last reading, since a worker's thread is gone once its task ends (at most one interval is lost).
 */
export class NewThreadsCpu {
  private readonly before = new Set(taskIds());
  private readonly last = new Map<string, number>();
  private readonly timer = setInterval(() => this.sample(), 50);

  private sample(): void {
    for (const tid of taskIds()) {
      if (this.before.has(tid)) continue;
      const ms = threadCpuMs(tid);
      if (ms !== undefined) this.last.set(tid, ms);
    }
  }

  /** Stops sampling; the CPU milliseconds of each new thread, busiest first (empty off Linux). */
  stop(): number[] {
    clearInterval(this.timer);
    this.sample();
    return [...this.last.values()].sort((a, b) => b - a);
  }
}

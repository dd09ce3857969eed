// Process resource sampling: the peak RSS over a stretch of work, and the CPU share (user + system time of
// this process divided by wall time, in % of one core).

export class RssPeak {
  private peak = process.memoryUsage.rss();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 25) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  }

  /** Stops sampling; the peak in MB. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak / 1024 / 1024;
  }
}

export class CpuShare {
  private readonly cpu0 = process.cpuUsage();
  private readonly t0 = performance.now();

  /** % of one core used by this process since construction. */
  read(): { percent: number; wallMs: number; cpuMs: number } {
    const c = process.cpuUsage(this.cpu0);
    const wallMs = performance.now() - this.t0;
    const cpuMs = (c.user + c.system) / 1000;
    return { percent: (cpuMs / wallMs) * 100, wallMs, cpuMs };
  }
}

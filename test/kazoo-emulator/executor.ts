// The jobs listener (spec §5.3, §5.5): one sequential worker with a per-number delay that saves the job
// after every number, kill/pause/resume for fault tests, and the stalled-job recovery timer.
import { createForJob } from './numbers.ts';
import { modbName, yyyymm } from './store.ts';
import type { Emu } from './context.ts';
import type { Doc, JsonObject } from './types.ts';

interface Message {
  db: string;
  id: string;
}

export class Executor {
  private queue: Message[] = [];
  private running = false;
  private dead = false;
  private paused = false;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private sleeper: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly em: () => Emu, private readonly delayMs: number) {}

  /** AMQP-like delivery: a dead worker drops the message (the job stays pending until recovery). */
  publish(db: string, id: string): void {
    if (this.dead || this.stopped) return;
    this.queue.push({ db, id });
    void this.loop();
  }

  kill(): void {
    this.dead = true;
    this.queue = [];
    this.kick();
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    this.dead = false;
    this.kick();
    void this.loop();
  }
  stop(): void {
    this.stopped = true;
    this.queue = [];
    if (this.timer) clearTimeout(this.timer);
    if (this.sleeper) clearTimeout(this.sleeper);
    this.kick();
  }

  state(): { dead: boolean; paused: boolean; busy: boolean; queued: number } {
    return { dead: this.dead, paused: this.paused, busy: this.running, queued: this.queue.length };
  }

  private kick(): void {
    if (this.sleeper) clearTimeout(this.sleeper);
    this.sleeper = undefined;
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private async wait(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      this.wake = resolve;
      // a paused worker waits for kick() only; the delay timer must never keep the process alive
      if (ms > 0 && ms < 0x7fffffff) this.sleeper = setTimeout(() => this.kick(), ms);
      else if (ms <= 0) setImmediate(() => this.kick());
    });
  }

  /** Resolves false when the worker died (or the emulator stopped) while waiting. */
  private async gate(): Promise<boolean> {
    await this.wait(this.delayMs);
    while (this.paused && !this.dead && !this.stopped) await this.wait(Infinity);
    return !this.dead && !this.stopped;
  }

  private async loop(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (!this.dead && !this.stopped && this.queue.length) {
        const msg = this.queue.shift()!;
        await this.handle(msg);
      }
    } finally {
      this.running = false;
    }
  }

  private async handle(msg: Message): Promise<void> {
    const em = this.em();
    const store = em.store;
    let job = store.get(msg.db, msg.id);
    if (!job || job['pvt_status'] !== 'pending') return; // complete: nothing; running: another node's
    job = store.save(msg.db, { ...job, pvt_status: 'running', pvt_node: em.node, pvt_modified: em.nowG() });
    const resourceId = String(job['resource_id']);
    const module = store.get('offnet', resourceId)?.['pvt_type'] === 'resource' ? 'knm_other' : 'knm_local';
    const numbers = (Array.isArray(job['numbers']) ? job['numbers'] : []) as unknown[];
    for (const entry of numbers) {
      const raw = String(entry);
      const cur = store.get(msg.db, msg.id) as Doc;
      const success = { ...(cur['success'] as JsonObject) };
      const errors = { ...(cur['errors'] as JsonObject) };
      if (raw in success || raw in errors) continue;
      if (!(await this.gate())) return; // the worker died: the job stays "running" for ever
      const r = createForJob(em, raw, {
        accountId: String(cur['pvt_account_id']), authAccountId: String(cur['pvt_auth_account_id']), resourceId, module,
      });
      if (r.ok) success[r.key] = r.value;
      else errors[raw] = r.value;
      store.save(msg.db, { ...cur, success, errors, pvt_status: 'running', pvt_modified: em.nowG() });
    }
    const last = store.get(msg.db, msg.id) as Doc;
    store.save(msg.db, { ...last, pvt_status: 'complete', pvt_modified: em.nowG() });
  }

  /** Re-arm the recovery timer (period job_recovery_timeout_s, first run one period after start). */
  startTimer(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const s = this.em().store.config.job_recovery_timeout_s;
    this.timer = setTimeout(() => {
      this.runRecovery();
      this.startTimer();
    }, Math.max(1, s) * 1000);
    this.timer.unref();
  }

  /** Walk every account's current-month MODB; touch stalled pending/running jobs and re-publish them. */
  runRecovery(): number {
    const em = this.em();
    const store = em.store;
    const now = em.nowG();
    const month = yyyymm(em.now());
    const threshold = store.config.job_recovery_threshold_s;
    let n = 0;
    for (const acc of store.accounts.values()) {
      const db = modbName(acc.id, month);
      const docs = store.dbs.get(db);
      if (!docs) continue;
      for (const d of [...docs.values()]) {
        if (d['pvt_type'] !== 'resource_job') continue;
        if (d['pvt_status'] !== 'pending' && d['pvt_status'] !== 'running') continue;
        if (now - Number(d['pvt_modified'] ?? 0) <= threshold) continue;
        store.save(db, { ...d, pvt_recovering: true, pvt_modified: now });
        this.publish(db, d._id);
        n++;
      }
    }
    return n;
  }
}

export const jobDb = (accountId: string, jobId: string): string | undefined => {
  const m = /^(\d{4})(\d{1,2})-/.exec(jobId);
  if (!m) return undefined;
  return modbName(accountId, `${m[1]}${m[2]!.padStart(2, '0')}`);
};

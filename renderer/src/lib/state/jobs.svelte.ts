// Jobs and batches as the core reports them, kept live from 'jobs.changed' / 'jobs.progress' (batched per frame);
// per-job progress series for the charts; the selected job's per-number results in a page cache; the actions.
import type { BatchView, JobNumberView, JobState, JobView, NumberOutcome, Preflight } from '../../../../electron/shared/contract/jobs.ts';
import type { ErrorValue } from '../../../../electron/shared/result.ts';
import { call, on, onConnectionState } from '../api.ts';
import { PagedRows } from './paged-rows.svelte.ts';
import type { SeriesPoint } from '../components/jobs/rate.ts';
import { isTerminalState } from '../components/jobs/batch-summary.ts';
import { carrierNames } from './carrier-names.svelte.ts';

export type OutcomeFilter = NumberOutcome | 'all';

export const isTerminal = isTerminalState;
export const isActive = (j: JobView) => !isTerminal(j.state);

export interface SubmitArgs {
  list: string;
  cluster: string;
  account?: string | undefined;
  global: boolean;
  resource: string;
  chunkSize?: number | undefined;
  checkExisting: boolean;
  skipPresent: boolean;
}

type Progress = { state: JobState; done: number; total: number; successes: number; failures: number };

export interface CarrierChoices {
  items: { id: string; name: string; enabled: boolean }[];
  /** When the scope's carriers were last pulled; null: never. */
  pulledAt: number | null;
}

class JobsState {
  jobs = $state.raw<JobView[]>([]);
  batches = $state.raw<BatchView[]>([]);
  loaded = $state(false);
  error = $state.raw<ErrorValue | null>(null);
  /** Progress points per job id (from jobs.series, then appended from events). */
  series = $state.raw<Record<string, SeriesPoint[]>>({});
  selectedJobId = $state<string | null>(null);
  outcome = $state<OutcomeFilter>('all');
  results = new PagedRows<JobNumberView>(async (offset, limit) => {
    const job = this.selectedJobId;
    if (!job) return { ok: true, value: { rows: [], total: 0 } };
    const r = await call('jobs.get', { job, offset, limit, ...(this.outcome === 'all' ? {} : { outcome: this.outcome }) });
    return r.ok ? { ok: true, value: { rows: r.value.numbers.rows, total: r.value.numbers.total } } : r;
  }, { pageSize: 200 });

  selectedJob = $derived(this.jobs.find((j) => j.id === this.selectedJobId) ?? null);
  byBatch = $derived.by(() => {
    // Built afresh on every change and never mutated afterwards, so a plain Map is right here.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const m = new Map<string, JobView[]>();
    for (const j of this.jobs) {
      const list = m.get(j.batchId);
      if (list) list.push(j);
      else m.set(j.batchId, [j]);
    }
    for (const list of m.values()) list.sort((a, b) => a.seq - b.seq || a.createdAt - b.createdAt);
    return m;
  });

  #pending = new Map<string, Progress>();
  #changed = new Map<string, JobView>();
  #frame = 0;
  #batchesTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    on('jobs.progress', (p) => {
      this.#pending.set(p.jobId, p);
      this.#schedule();
    });
    on('jobs.changed', ({ job }) => {
      this.#changed.set(job.id, job);
      this.#schedule();
    });
    onConnectionState((s) => {
      if (s === 'open') void this.load();
    });
  }

  /** Applies the events of one frame at once, so a thousand busy jobs cost one update per frame. */
  #schedule(): void {
    if (this.#frame) return;
    const run = () => {
      this.#frame = 0;
      this.#flush();
    };
    this.#frame = typeof requestAnimationFrame === 'function' && !document.hidden ? requestAnimationFrame(run) : (setTimeout(run, 100) as unknown as number);
  }

  #flush(): void {
    const now = Date.now();
    const known = new Set(this.jobs.map((j) => j.id));
    let next = this.jobs.map((j) => {
      const c = this.#changed.get(j.id);
      const p = this.#pending.get(j.id);
      let out = c ?? j;
      if (p && (!c || p.done >= c.done)) out = { ...out, state: p.state, done: p.done, total: p.total, successes: p.successes, failures: p.failures };
      return out;
    });
    const added = [...this.#changed.values()].filter((j) => !known.has(j.id));
    if (added.length) next = [...added, ...next];
    const series = { ...this.series };
    let seriesChanged = false;
    for (const [id, p] of this.#pending) {
      const pts = series[id];
      if (!pts) continue;
      const last = pts[pts.length - 1];
      if (!last || last.done !== p.done) {
        series[id] = [...pts.slice(-299), { at: now, done: p.done }];
        seriesChanged = true;
      }
    }
    const ended = [...this.#changed.values()].some((j) => isTerminal(j.state));
    const selected = this.selectedJobId && (this.#pending.has(this.selectedJobId) || this.#changed.has(this.selectedJobId));
    this.#pending.clear();
    this.#changed.clear();
    this.jobs = next;
    if (seriesChanged) this.series = series;
    if (selected) this.results.refreshVisible();
    this.#refreshBatchesSoon(added.length > 0 || ended ? 50 : 1000);
  }

  #refreshBatchesSoon(ms: number): void {
    if (this.#batchesTimer && ms > 0) return;
    clearTimeout(this.#batchesTimer);
    this.#batchesTimer = setTimeout(() => {
      this.#batchesTimer = undefined;
      void this.#loadBatchesOnce();
    }, ms);
  }

  #batchesLoading = false;
  #batchesAgain = false;
  /**
   * One batch read at a time: a batch of 190,000 numbers costs the core a few hundred ms to count, and cancelling its
   * 385 parts sends 385 events; a read per frame would keep the core busy for a minute. Asks made meanwhile are
   * served by one more read afterwards.
   */
  async #loadBatchesOnce(): Promise<void> {
    if (this.#batchesLoading) {
      this.#batchesAgain = true;
      return;
    }
    this.#batchesLoading = true;
    try {
      await this.loadBatches();
    } finally {
      this.#batchesLoading = false;
    }
    if (this.#batchesAgain) {
      this.#batchesAgain = false;
      this.#refreshBatchesSoon(200);
    }
  }

  async load(): Promise<void> {
    const [jobs] = await Promise.all([call('jobs.list', { limit: 2000 }), this.loadBatches()]);
    if (jobs.ok) {
      this.jobs = jobs.value;
      this.error = null;
    } else this.error = jobs.error;
    this.loaded = true;
  }

  async loadBatches(): Promise<void> {
    const r = await call('jobs.batches', {});
    if (r.ok) this.batches = r.value;
    else this.error = r.error;
  }

  /** Loads a job's progress series once; later points come from events. */
  async loadSeries(jobId: string): Promise<void> {
    if (this.series[jobId]) return;
    this.series = { ...this.series, [jobId]: [] };
    const r = await call('jobs.series', { job: jobId });
    if (r.ok) this.series = { ...this.series, [jobId]: r.value.points.slice(-300) };
  }

  select(jobId: string | null): void {
    this.selectedJobId = jobId;
    this.outcome = 'all';
    this.#resetResults();
  }

  setOutcome(o: OutcomeFilter): void {
    this.outcome = o;
    this.#resetResults();
  }

  #resetResults(): void {
    const j = this.selectedJob;
    this.results.count = j && this.outcome === 'all' ? j.total : 0;
    this.results.reset();
  }

  /** The carriers pulled from this cluster and scope (the ones a job there can use), and when that scope was pulled. */
  async carriers(cluster: string, scope: string): Promise<{ ok: true; value: CarrierChoices } | { ok: false; error: ErrorValue }> {
    const [list, pulled] = await Promise.all([call('resources.list', { cluster, scope }), call('resources.pulled', { cluster })]);
    if (!list.ok) return list;
    if (!pulled.ok) return pulled;
    const items = list.value.filter((i) => i.scope === scope).map((i) => ({ id: i.resourceId, name: i.name, enabled: i.enabled !== false }));
    return { ok: true, value: { items, pulledAt: pulled.value.find((p) => p.scope === scope)?.pulledAt ?? null } };
  }

  /** Pulls the carriers of one scope, so the job form can offer them. */
  async pull(cluster: string, scope: string): Promise<ErrorValue | null> {
    const r = await call('pull.run', { cluster, scope });
    carrierNames.refresh(cluster);
    return r.ok ? null : r.error;
  }

  preflight(a: SubmitArgs) {
    return call('jobs.preflight', a);
  }

  async submit(a: SubmitArgs): Promise<{ ok: true; batchId: string } | { ok: false; error: ErrorValue }> {
    const r = await call('jobs.submit', a);
    if (!r.ok) return r;
    const ids = new Set(r.value.jobs.map((j) => j.id));
    this.jobs = [...r.value.jobs, ...this.jobs.filter((j) => !ids.has(j.id))];
    this.batches = [r.value.batch, ...this.batches.filter((b) => b.id !== r.value.batch.id)];
    return { ok: true, batchId: r.value.batch.id };
  }

  async retryFailed(target: { job: string } | { batch: string }, includeExisting = false): Promise<ErrorValue | null> {
    const r = await call('jobs.retryFailed', { ...target, includeExisting });
    if (!r.ok) return r.error;
    for (const j of r.value) this.#changed.set(j.id, j);
    this.#flush();
    return null;
  }

  async resubmitRemainder(job: string, force = false): Promise<ErrorValue | null> {
    const r = await call('jobs.resubmitRemainder', { job, force });
    if (!r.ok) return r.error;
    this.#changed.set(r.value.id, r.value);
    this.#flush();
    return null;
  }

  async cancel(target: { job: string } | { batch: string }): Promise<{ ok: true; cancelled: number; stillTracked: number } | { ok: false; error: ErrorValue }> {
    const r = await call('jobs.cancel', target);
    if (!r.ok) return r;
    await this.load();
    return { ok: true, ...r.value };
  }
}

export const jobs = new JobsState();

export type { Preflight };

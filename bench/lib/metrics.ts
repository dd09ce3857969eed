// The result shape every bench returns, goal checking (goals are short strings such as '< 200 ms' or
// '<= 1.3x ideal': a number followed by 'x' is checked against the ratio, otherwise against the value).

export interface Metric {
  name: string;
  value: number;
  unit: string;
  /** What the figure is compared with, measured in the same run (same unit as value). */
  baseline?: number;
  /** value / baseline, always in that direction (so '>= 5x faster' is written as '<= 0.2x'). */
  ratio?: number;
  goal?: string;
  met?: boolean;
  /** What the baseline is, e.g. 'ideal bound 25 × 50 ms'. */
  baselineNote?: string;
}

export interface BenchResult {
  name: string;
  metrics: Metric[];
  /** Extra lines worth printing (what was measured, the environment, a diagnosis). */
  notes?: string[];
}

export interface BenchOptions {
  quick: boolean;
  /** Progress lines go here (stderr in the runner, so --json stays one clean document). */
  log: (line: string) => void;
}

const GOAL = /^\s*(<=|>=|<|>|≤|≥)\s*(\d+(?:\.\d+)?)\s*(x|×)?/i;

/** Whether the metric meets its goal; undefined when it has none or the goal cannot be read. */
export function goalMet(m: Pick<Metric, 'value' | 'ratio' | 'goal'>): boolean | undefined {
  if (!m.goal) return undefined;
  const g = GOAL.exec(m.goal);
  if (!g) return undefined;
  const limit = Number(g[2]);
  const subject = g[3] ? m.ratio : m.value;
  if (subject === undefined || !Number.isFinite(subject)) return undefined;
  switch (g[1]) {
    case '<':
      return subject < limit;
    case '<=':
    case '≤':
      return subject <= limit;
    case '>':
      return subject > limit;
    default:
      return subject >= limit;
  }
}

export function round(v: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Builds a metric with its ratio (value / baseline) and whether the goal is met. */
export function metric(
  name: string,
  value: number,
  unit: string,
  opts: { baseline?: number; goal?: string; digits?: number; ratioDigits?: number; baselineNote?: string } = {},
): Metric {
  const digits = opts.digits ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  const m: Metric = { name, value: round(value, digits), unit };
  if (opts.baseline !== undefined) {
    m.baseline = round(opts.baseline, digits);
    if (opts.baseline !== 0) m.ratio = round(value / opts.baseline, opts.ratioDigits ?? 2);
  }
  if (opts.baselineNote) m.baselineNote = opts.baselineNote;
  if (opts.goal) {
    m.goal = opts.goal;
    const met = goalMet({ value, ...(m.ratio !== undefined ? { ratio: value / opts.baseline! } : {}), goal: opts.goal });
    if (met !== undefined) m.met = met;
  }
  return m;
}

/** Fills `met` where a bench (e.g. one owned elsewhere) gave a goal but no verdict. */
export function withVerdicts(r: BenchResult): BenchResult {
  return {
    ...r,
    metrics: r.metrics.map((m) => {
      if (m.met !== undefined || !m.goal) return m;
      const met = goalMet(m);
      return met === undefined ? m : { ...m, met };
    }),
  };
}

// Plain-text tables for the terminal: one row per figure with its baseline, the ratio, the goal and the verdict.
import type { BenchResult, Metric } from './metrics.ts';
import type { MachineBaseline } from './machine.ts';

function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return v.toLocaleString('en-US', { maximumFractionDigits: digits });
}

function cells(m: Metric): string[] {
  return [
    m.name,
    `${num(m.value)} ${m.unit}`,
    m.baseline === undefined ? '' : `${num(m.baseline)}${m.baselineNote ? ` (${m.baselineNote})` : ''}`,
    m.ratio === undefined ? '' : `${m.ratio}x`,
    m.goal ?? '',
    m.met === undefined ? '' : m.met ? 'yes' : 'NO',
  ];
}

export function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

export function renderResult(r: BenchResult): string {
  const out = [`== ${r.name}`, renderTable(['figure', 'value', 'baseline', 'ratio', 'goal', 'met'], r.metrics.map(cells))];
  for (const n of r.notes ?? []) out.push(`  note: ${n}`);
  return out.join('\n');
}

export function renderMachine(m: MachineBaseline): string {
  const i = m.info;
  return [
    `== machine (${i.date})`,
    `${i.nproc} × ${i.cpuModel}, ${i.memoryGB} GB, Node ${i.node} on ${i.platform}, load average (1 min) at start ${i.loadAvg1m}`,
    renderTable(['machine baseline', 'value'], m.metrics.map((x) => [x.name, `${num(x.value)} ${x.unit}`])),
  ].join('\n');
}

/** Markdown tables of a saved `--json` document (for BENCHMARKS.md). */
export function renderMarkdown(doc: { machine: MachineBaseline; results: BenchResult[]; summary: { goals: number; met: number } }): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const table = (header: string[], rows: string[][]) =>
    [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
  const i = doc.machine.info;
  const out = [
    `Machine: ${i.nproc} × ${i.cpuModel}, ${i.memoryGB} GB, Node ${i.node} (${i.platform}); run started ${i.date}, load average ${i.loadAvg1m}.`,
    '',
    table(['machine baseline', 'value'], doc.machine.metrics.map((x) => [x.name, `${num(x.value)} ${x.unit}`])),
  ];
  for (const r of doc.results) {
    out.push('', `### ${r.name}`, '', table(['figure', 'value', 'baseline', 'ratio', 'goal', 'met'], r.metrics.map(cells)));
    if (r.notes?.length) out.push('', ...r.notes.map((n) => `- ${n}`));
  }
  out.push('', `${doc.summary.met} of ${doc.summary.goals} goals met.`);
  return out.join('\n');
}

// `npm run bench [-- --json] [--only NAME[,NAME]] [--quick]`: measures the machine once, then runs each bench in
// a fresh child process (so one bench's heap, RSS peak or CPU time never leaks into another's figures) and prints
// every figure beside its baseline, the ratio, the goal and whether it is met (tables on stdout; with --json one
// JSON document on stdout, progress on stderr).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { machineBaseline } from './lib/machine.ts';
import { withVerdicts, type BenchOptions, type BenchResult } from './lib/metrics.ts';
import { renderMachine, renderMarkdown, renderResult } from './lib/table.ts';
import { cleanupFixtures } from './lib/million.ts';

type Bench = (o: BenchOptions) => Promise<BenchResult>;

/** In run order: startup after ui, so both use the same 1,000,000-number store (BENCH_SHARED_DIR). */
const BENCHES: Record<string, Bench> = {
  plan: async (o) => (await import('./plan.ts')).run(o),
  apply: async (o) => (await import('./apply.ts')).run(o),
  pull: async (o) => (await import('./pull.ts')).run(o),
  watcher: async (o) => (await import('./watcher.ts')).run(o.quick ? { jobs: 100, windowS: 10 } : {}),
  import: async (o) => (await import('./import.ts')).run(o.quick ? { rows: 200_000 } : {}),
  ui: async (o) => (await import('./ui.ts')).run(o),
  startup: async (o) => (await import('./startup.ts')).run(o),
  cli: async (o) => (await import('./cli.ts')).run(o),
  routing: async (o) => (await import('./routing.ts')).run(o),
  fanout: async (o) => (await import('./fanout.ts')).run(o),
};

const program = new Command()
  .name('bench')
  .description(`Carrier Desk benchmarks: ${Object.keys(BENCHES).join(', ')}`)
  .option('--json', 'print one JSON document on stdout (progress goes to stderr)', false)
  .option('--only <names>', 'comma-separated subset to run')
  .option('--quick', 'smaller sizes (a smoke run; figures are not comparable with the goals)', false)
  .option('--in-process', 'run the benches in this process instead of one child process each', false)
  .option('--markdown <file>', 'print a saved --json document as markdown tables (runs nothing)')
  .addOption(new Command().createOption('--child <name>', 'internal: run one bench and write its result to --out').hideHelp())
  .addOption(new Command().createOption('--out <file>', 'internal').hideHelp());
program.parse();
const opts = program.opts<{ json: boolean; only?: string; quick: boolean; inProcess: boolean; markdown?: string; child?: string; out?: string }>();

const log = (line: string) => console.error(`[bench] ${line}`);

/** Child mode: one bench, its result (or error) as JSON in the --out file. */
async function child(name: string, out: string): Promise<void> {
  try {
    const r = await BENCHES[name]!({ quick: opts.quick, log });
    writeFileSync(out, JSON.stringify({ ok: true, result: r }));
  } catch (e) {
    writeFileSync(out, JSON.stringify({ ok: false, message: e instanceof Error ? (e.stack ?? e.message) : String(e) }));
  } finally {
    cleanupFixtures();
  }
}

function runChild(name: string, sharedDir: string): Promise<BenchResult> {
  const out = join(sharedDir, `${name}.result.json`);
  const script = fileURLToPath(import.meta.url);
  const args = ['--import', 'tsx', script, '--child', name, '--out', out, ...(opts.quick ? ['--quick'] : [])];
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, BENCH_SHARED_DIR: sharedDir } });
    p.once('error', reject);
    p.once('exit', (code, signal) => {
      let parsed: { ok: true; result: BenchResult } | { ok: false; message: string };
      try {
        parsed = JSON.parse(readFileSync(out, 'utf8')) as typeof parsed;
      } catch {
        return reject(new Error(`the ${name} bench process ended (${signal ?? `exit ${code}`}) without a result`));
      }
      if (parsed.ok) resolve(parsed.result);
      else reject(new Error(parsed.message));
    });
  });
}

async function main(): Promise<void> {
  const names = opts.only ? opts.only.split(',').map((s) => s.trim()).filter(Boolean) : Object.keys(BENCHES);
  const unknown = names.filter((n) => !BENCHES[n]);
  if (unknown.length > 0) {
    console.error(`Unknown bench ${unknown.map((n) => `'${n}'`).join(', ')}; choose from: ${Object.keys(BENCHES).join(', ')}.`);
    process.exit(2);
  }
  const print = (text: string) => {
    if (!opts.json) console.log(text + '\n');
  };
  const sharedDir = mkdtempSync(join(tmpdir(), 'cd-bench-run-'));
  const t0 = performance.now();
  const results: (BenchResult & { durationMs: number })[] = [];
  const errors: { name: string; message: string }[] = [];
  try {
    log('measuring the machine baseline');
    const machine = await machineBaseline();
    print(renderMachine(machine));
    for (const name of Object.keys(BENCHES).filter((n) => names.includes(n))) {
      log(`${name}: running${opts.quick ? ' (quick)' : ''}`);
      const b0 = performance.now();
      try {
        const raw = opts.inProcess ? await BENCHES[name]!({ quick: opts.quick, log }) : await runChild(name, sharedDir);
        const r = withVerdicts(raw);
        const durationMs = Math.round(performance.now() - b0);
        results.push({ ...r, durationMs });
        print(renderResult(r) + `\n  (${(durationMs / 1000).toFixed(1)} s)`);
      } catch (e) {
        const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
        errors.push({ name, message });
        log(`${name}: FAILED: ${message}`);
      }
    }
    const withGoal = results.flatMap((r) => r.metrics.filter((m) => m.met !== undefined).map((m) => ({ bench: r.name, ...m })));
    const missed = withGoal.filter((m) => !m.met);
    const summary = {
      goals: withGoal.length,
      met: withGoal.length - missed.length,
      missed: missed.map((m) => `${m.bench}: ${m.name} (${m.value} ${m.unit}${m.ratio !== undefined ? `, ratio ${m.ratio}` : ''}; goal ${m.goal})`),
    };
    const durationMs = Math.round(performance.now() - t0);
    const doc = JSON.stringify({ machine, quick: opts.quick, only: opts.only ? names : null, results, errors, summary, durationMs }, null, 2);
    // Also kept on disk: `npm run bench -- --json` prints npm's own banner before the JSON on stdout.
    const latest = fileURLToPath(new URL('./results/latest.json', import.meta.url));
    mkdirSync(dirname(latest), { recursive: true });
    writeFileSync(latest, doc + '\n');
    if (opts.json) {
      console.log(doc);
      process.stderr.write(`(also written to ${latest})\n`);
    } else {
      console.log(`== summary: ${summary.met}/${summary.goals} goals met in ${(durationMs / 1000).toFixed(0)} s${opts.quick ? ' (quick sizes: not comparable with the goals)' : ''}`);
      for (const m of summary.missed) console.log(`  missed: ${m}`);
      for (const e of errors) console.log(`  FAILED: ${e.name}: ${e.message.split('\n')[0]}`);
    }
  } finally {
    cleanupFixtures();
    rmSync(sharedDir, { recursive: true, force: true });
  }
  process.exitCode = errors.length > 0 ? 1 : 0;
}

if (opts.markdown) {
  const text = readFileSync(opts.markdown, 'utf8');
  // Tolerates npm's banner lines before the document.
  console.log(renderMarkdown(JSON.parse(text.slice(text.indexOf('{'))) as Parameters<typeof renderMarkdown>[0]));
} else if (opts.child) {
  if (!BENCHES[opts.child] || !opts.out) {
    console.error(`--child needs a bench name (${Object.keys(BENCHES).join(', ')}) and --out FILE`);
    process.exit(2);
  }
  await child(opts.child, opts.out);
} else {
  await main();
}

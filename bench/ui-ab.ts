// Same-process A/B of renderer builds for the number list's steady scroll (not part of `npm run bench`): the static
// scroller of bench/ui.ts and each build alternate in one unthrottled Chromium, round after round (order reversed
// every other round), so all meet the same moments of a shared machine's load. Per build: unthrottled frame
// intervals, and the renderer main thread's CPU per frame from a Chromium trace with its split by phase
// (bench/lib/chrome-trace.ts) — CPU time is what the load distorts least, so it is the figure to decide by — and
// from the same trace the main thread's garbage collections (a major one is a task of several ms between two frames:
// it lengthens an interval without showing in the CPU per frame) and the CPU of the other threads per frame.
//
//   npx tsx bench/ui-ab.ts [--rounds 3] [--frames 150] [--cached] NAME=REF [NAME=REF ...]
//
// REF is a git commit or branch (its renderer sources and configs are taken with `git archive`) or `.` for the working tree.
// --cached scrolls every run once before it is measured and back to the top, so each measured frame finds its rows
// loaded: the cost of drawing rows alone, without pages arriving or frames drawn as 'loading…' (the bench proper
// scrolls onto rows not loaded yet). Set BENCH_SHARED_DIR to keep the 1,000,000-row store between runs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { chromium, type Page } from 'playwright-core';
import { startWebHost, type WebHost } from '../electron/web/server.ts';
import { CHROMIUM_PATH } from '../test/support/browser.ts';
import { ROOT } from './lib/emulator.ts';
import { millionStore, cleanupFixtures } from './lib/million.ts';
import { openCore, tempDir } from './lib/core.ts';
import { FRAME_TRACE_CATEGORIES, frameBreakdown } from './lib/chrome-trace.ts';
import { median, percentile } from './lib/stats.ts';
import { FRAMES_SCRIPT, serveBlank } from './ui.ts';

const ROWS = 1_000_000;
const STEP = 20 * 28;
const LIST = '[data-testid="number-rows"]';

function args(): { rounds: number; frames: number; cached: boolean; variants: { name: string; ref: string }[] } {
  const a = process.argv.slice(2);
  const num = (flag: string, dflt: number) => {
    const i = a.indexOf(flag);
    return i >= 0 ? Number(a.splice(i, 2)[1]) : dflt;
  };
  const rounds = num('--rounds', 3);
  const frames = num('--frames', 150);
  const cached = a.includes('--cached');
  const variants = a.filter((x) => !x.startsWith('--')).map((x) => ({ name: x.split('=')[0]!, ref: x.split('=').slice(1).join('=') }));
  if (variants.length === 0 || variants.some((v) => !v.name || !v.ref)) throw new Error('usage: npx tsx bench/ui-ab.ts [--rounds N] [--frames N] [--cached] NAME=REF ...');
  return { rounds, frames, cached, variants };
}

/** Renderer sources of REF: the working tree, or the commit's files (renderer + the shared contract) in `dir`. */
function sources(ref: string, dir: string): string {
  if (ref === '.') return ROOT;
  mkdirSync(dir, { recursive: true });
  const tar = execFileSync('git', ['archive', ref, 'renderer', 'electron/shared', 'svelte.config.js', 'package.json', 'tsconfig*.json'], { cwd: ROOT, maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', dir], { input: tar });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

interface Tally {
  deltas: number[];
  cpu: number[];
  busy: number;
  phases: Record<string, number>[];
  gc: { minor: number; major: number; ms: number; frames: number };
  offMain: Record<string, number>[];
}

async function main(): Promise<void> {
  const { rounds, frames, cached, variants } = args();
  const dir = tempDir('ui-ab');
  const store = await millionStore(ROWS, (l) => console.error(l));
  const core = openCore(store.dataDir);
  const hosts: WebHost[] = [];
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-frame-rate-limit', '--disable-gpu-vsync'],
  });
  const blank = await serveBlank(ROWS);
  try {
    // One host per build, all with the same token: each build's page lives in a browser context of its own.
    const token = 'ui-ab-'.padEnd(40, 'x');
    for (const v of variants) {
      const out = join(dir.path, 'out', v.name);
      const src = sources(v.ref, join(dir.path, 'src', v.name));
      console.error(`ui-ab: building ${v.name} (${v.ref})`);
      await build({
        configFile: false,
        root: join(src, 'renderer'),
        base: './',
        logLevel: 'warn',
        plugins: [svelte({ configFile: join(src, 'svelte.config.js') })],
        build: { outDir: out, emptyOutDir: true, target: 'es2022', sourcemap: false, reportCompressedSize: false },
      });
      hosts.push(await startWebHost({ core, rendererDir: out, token }));
    }
    const staticUrl = blank.url + 'static';
    const pages: Page[] = [];
    for (const h of [null, ...hosts]) {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      if (h) await page.goto(h.url);
      pages.push(page);
    }
    const names = ['static', ...variants.map((v) => v.name)];
    const tally: Tally[] = names.map(() => ({ deltas: [], cpu: [], busy: 0, phases: [], gc: { minor: 0, major: 0, ms: 0, frames: 0 }, offMain: [] }));
    const run = (page: Page, selector: string) => page.evaluate(`(${FRAMES_SCRIPT})(${JSON.stringify({ frames, mode: 'steady', step: STEP, selector })})`) as Promise<{ deltas: number[]; busy: number }>;
    const toTop = (page: Page, selector: string) => page.evaluate(`new Promise((r) => { document.querySelector(${JSON.stringify(selector)}).scrollTop = 0; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50))); })`);
    let traces = 0;
    for (let round = 0; round < rounds; round++) {
      const order = names.map((_, i) => i);
      if (round % 2) order.reverse();
      for (const i of order) {
        const page = pages[i]!;
        const selector = i === 0 ? '#static' : LIST;
        if (i === 0) await page.goto(staticUrl);
        else {
          // A fresh page each run: no page of rows cached from the previous round.
          await page.goto(new URL('/#/numbers', hosts[i - 1]!.url.replace(/\?.*/, '')).href);
          await page.reload();
          await page.getByTestId('list-item').filter({ hasText: 'million' }).first().click();
          await page.getByTestId('number-row').first().waitFor({ state: 'attached', timeout: 60_000 });
        }
        // The same pointer state for every page (see bench/ui.ts parkPointer).
        await page.mouse.move(1279, 799);
        if (cached && i > 0) {
          await run(page, selector);
          await toTop(page, selector);
        }
        const timed = await run(page, selector);
        if (cached && i > 0) await toTop(page, selector);
        const path = join(dir.path, `trace-${traces++}.json`);
        await browser.startTracing(page, { path, categories: FRAME_TRACE_CATEGORIES });
        const traced = await run(page, selector);
        await browser.stopTracing();
        const t = tally[i]!;
        const breakdown = frameBreakdown(path);
        t.deltas.push(...timed.deltas);
        t.busy += timed.busy + traced.busy;
        t.cpu.push(...breakdown.cpu.slice(2));
        t.phases.push(breakdown.phases);
        t.offMain.push(breakdown.offMain);
        t.gc.minor += breakdown.gc.minor;
        t.gc.major += breakdown.gc.major;
        t.gc.ms += breakdown.gc.ms;
        t.gc.frames += breakdown.cpu.length;
      }
    }
    const floor = percentile(tally[0]!.deltas, 95);
    console.log(`${rounds} rounds × ${frames} steady frames timed + ${frames} traced per build${cached ? ', rows cached' : ''}; ms`);
    names.forEach((name, i) => {
      const t = tally[i]!;
      const phases: Record<string, number> = {};
      for (const p of t.phases) for (const [k, v] of Object.entries(p)) phases[k.split(' ')[0]!] = (phases[k.split(' ')[0]!] ?? 0) + v / t.phases.length;
      const p95 = percentile(t.deltas, 95);
      const split = Object.entries(phases)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v.toFixed(2)}`)
        .join(', ');
      const off: Record<string, number> = {};
      for (const o of t.offMain) for (const [k, v] of Object.entries(o)) off[k] = (off[k] ?? 0) + v / t.offMain.length;
      const per100 = (n: number) => ((100 * n) / Math.max(1, t.gc.frames)).toFixed(1);
      console.log(
        `${name.padEnd(12)} interval p50 ${median(t.deltas).toFixed(1)} p95 ${p95.toFixed(1)} (${(p95 / floor).toFixed(2)}×) max ${Math.max(...t.deltas).toFixed(1)} | ` +
          `CPU p50 ${median(t.cpu).toFixed(2)} p95 ${percentile(t.cpu, 95).toFixed(2)} | loading ${t.busy} | ${split}\n` +
          `${''.padEnd(12)} GCs per 100 traced frames: ${per100(t.gc.major)} major, ${per100(t.gc.minor)} minor (${per100(t.gc.ms)} ms) | other threads per frame: ` +
          Object.entries(off)
            .map(([k, v]) => `${k} ${v.toFixed(2)}`)
            .join(', '),
      );
    });
  } finally {
    await browser.close();
    for (const h of hosts) await h.close();
    await new Promise((r) => blank.server.close(r));
    await core.close();
    dir.remove();
    cleanupFixtures();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);

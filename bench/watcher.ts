// Benchmark: the watcher's cost while tracking 1,000 active jobs against an emulator in a separate process
// (requests per minute, CPU share of this process) and the latency for a server-side change (a job starting)
// to show up locally. Run standalone: npx tsx bench/watcher.ts [--jobs N] [--window S]
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { createCore } from '../electron/core/index.ts';
import { FileKeyBox } from '../electron/core/secrets/file-key-box.ts';
import type { BenchResult } from './lib/metrics.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ACME = 'c0000000000000000000000000000003';
const RESOURCE = 'f1000000000000000000000000000001';

async function startEmulatorProcess(): Promise<{ url: string; admin: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/kazoo-emulator/cli.ts'), '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let url = '';
  let admin = '';
  await new Promise<void>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      const m = /(http:\/\/127\.0\.0\.1:\d+)\s/.exec(line + ' ');
      if (!url && m && /listening/.test(line)) url = m[1]!;
      const a = /Admin API: (\S+)/.exec(line);
      if (a) admin = a[1]!;
      if (url && admin) resolve();
    });
    child.on('exit', (c) => reject(new Error(`emulator exited (${c})`)));
  });
  return { url, admin, stop: () => child.kill('SIGTERM') };
}

const adminCall = async (admin: string, method: 'GET' | 'POST' | 'DELETE', path: string) => {
  const r = await request(admin + path, { method });
  return r.body.json() as Promise<unknown>;
};

export async function run(opts: { jobs?: number; windowS?: number } = {}): Promise<BenchResult> {
  const jobs = opts.jobs ?? 1000;
  const windowS = opts.windowS ?? 60;
  const emu = await startEmulatorProcess();
  const dir = mkdtempSync(join(tmpdir(), 'cd-bench-watch-'));
  mkdirSync(join(dir, 'data'));
  const core = createCore({ dataDir: join(dir, 'data'), secrets: new FileKeyBox(join(dir, 'data')), host: 'bench' });
  try {
    const must = async (m: string, a: unknown): Promise<unknown> => {
      const r = await core.dispatch(m, a);
      if (!r.ok) throw new Error(`${m}: ${r.error.message}`);
      return r.value;
    };
    await must('clusters.add', { name: 'bench', url: emu.url, auth: { kind: 'user', accountName: 'Master', username: 'admin', password: 'demo-admin-pass' } });
    await must('settings.set', { key: 'jobs.maxActivePerCluster', value: jobs });
    const lines = Array.from({ length: jobs * 2 }, (_, i) => `+1312${String(3000000 + i).padStart(7, '0')}`);
    await must('numbers.import', { name: 'bench', text: lines.join('\n'), wait: true });
    // Paused executor: every job stays active (pending) while we measure the cost of following them.
    await adminCall(emu.admin, 'POST', '/executor/pause');
    await must('jobs.submit', { list: 'bench', cluster: 'bench', account: ACME, resource: RESOURCE, chunkSize: 2, checkExisting: false });
    core.background.start();
    const t0 = Date.now();
    while (core.services.jobs.repo.unfinished().some((j) => j.state === 'queued' || j.state === 'submitting')) {
      if (Date.now() - t0 > 300_000) throw new Error('submission did not finish');
      await new Promise((r) => setTimeout(r, 200));
    }
    const submitMs = Date.now() - t0;

    await adminCall(emu.admin, 'DELETE', '/requests');
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    await new Promise((r) => setTimeout(r, windowS * 1000));
    const cpu = process.cpuUsage(cpu0);
    const wallMs = performance.now() - w0;
    const log = (await adminCall(emu.admin, 'GET', '/requests')) as unknown[];
    const perMin = (log.length * 60_000) / wallMs;
    const cpuShare = (cpu.user + cpu.system) / 1000 / wallMs;

    // Latency: the executor resumes; how long until the first job's progress is seen locally.
    const seen = new Promise<number>((resolve) => {
      const off = core.events.subscribe((m) => {
        if (m.event === 'jobs.progress' && (m.payload as { done: number }).done > 0) {
          off();
          resolve(performance.now());
        }
      });
    });
    const l0 = performance.now();
    await adminCall(emu.admin, 'POST', '/executor/resume');
    const latencyMs = (await seen) - l0;
    return {
      name: 'watcher',
      metrics: [
        { name: `requests while tracking ${jobs} active jobs`, value: Math.round(perMin), unit: 'requests/min' },
        { name: 'CPU share of the core process while tracking', value: +(cpuShare * 100).toFixed(1), unit: '% of one core' },
        { name: 'latency: server-side change seen locally', value: Math.round(latencyMs), unit: 'ms' },
        { name: `submitting ${jobs} jobs`, value: Math.round(submitMs), unit: 'ms' },
      ],
    };
  } finally {
    await core.close();
    emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (n: string) => {
    const i = process.argv.indexOf(n);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const jobs = arg('--jobs');
  const windowS = arg('--window');
  run({ ...(jobs ? { jobs } : {}), ...(windowS ? { windowS } : {}) }).then((r) => console.log(JSON.stringify(r, null, 2)));
}

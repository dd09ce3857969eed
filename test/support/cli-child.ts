// Runs the `carrier-desk` CLI as a child process (asynchronously, so emulators in the test process keep answering)
// and reports its exit code, output, duration and peak resident memory (getrusage maxRSS, written at exit by a
// preload), for tests that hold the CLI to memory and time bounds.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/carrier-desk.js', import.meta.url));
const PRELOAD = join(tmpdir(), 'cd-report-rss.cjs');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident set size of the child in MB (undefined if it died before it could say). */
  peakRssMb: number | undefined;
}

export function runCli(dataDir: string, args: string[], opts: { env?: NodeJS.ProcessEnv; killAfterMs?: number } = {}): Promise<CliRun> {
  if (!existsSync(PRELOAD)) {
    writeFileSync(PRELOAD, "process.on('exit', () => { try { require('fs').writeFileSync(process.env.CD_RSS_FILE, String(process.resourceUsage().maxRSS)); } catch {} });\n");
  }
  const rssFile = join(tmpdir(), `cd-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--require', PRELOAD, BIN, '--data-dir', dataDir, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...opts.env, CD_RSS_FILE: rssFile },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const killer = opts.killAfterMs ? setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs) : undefined;
    child.on('exit', (code, signal) => {
      if (killer) clearTimeout(killer);
      let peakRssMb: number | undefined;
      try {
        peakRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
        rmSync(rssFile);
      } catch {
        peakRssMb = undefined;
      }
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, peakRssMb });
    });
  });
}

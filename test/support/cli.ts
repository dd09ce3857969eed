// Runs the `carrier-desk` command line in a child process (a second process on a data folder, as a user would).
import { spawn } from 'node:child_process';

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

export function runCliProcess(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/carrier-desk.js', ...args], { env: { ...process.env, ...opts.env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.stdin.end(opts.input ?? '');
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Runs a command with --json and returns its parsed output; a non-zero exit fails with the command's stderr. */
export async function cliJson<T>(dataDir: string, args: string[], env?: NodeJS.ProcessEnv): Promise<T> {
  const r = await runCliProcess(['--data-dir', dataDir, '--json', ...args], env ? { env } : {});
  if (r.code !== 0) throw new Error(`carrier-desk ${args.join(' ')} exited ${r.code}: ${r.err}${r.out}`);
  return JSON.parse(r.out) as T;
}

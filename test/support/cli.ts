// Runs the `carrier-desk` command line in a child process (a second process on a data folder, as a user would).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

/** `uid`: run as that user (only root may; tests run as root here, and root reads and writes any file). */
export function runCliProcess(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; uid?: number } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/carrier-desk.js', ...args], {
      env: { ...process.env, ...opts.env },
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.stdin.end(opts.input ?? '');
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/**
 * Whether user `uid` can start the CLI from this checkout. Tests running as root meet file modes by running the CLI as
 * another user; a checkout inside a private folder (mode 0700, as mktemp makes them) is out of that user's reach.
 */
export function canRunCliAs(uid: number): boolean {
  const bin = resolve('bin/carrier-desk.js');
  return spawnSync(process.execPath, ['-e', `require('node:fs').accessSync(${JSON.stringify(bin)}, 4)`], { uid, gid: uid }).status === 0;
}

/** Runs a command with --json and returns its parsed output; a non-zero exit fails with the command's stderr. */
export async function cliJson<T>(dataDir: string, args: string[], env?: NodeJS.ProcessEnv): Promise<T> {
  const r = await runCliProcess(['--data-dir', dataDir, '--json', ...args], env ? { env } : {});
  if (r.code !== 0) throw new Error(`carrier-desk ${args.join(' ')} exited ${r.code}: ${r.err}${r.out}`);
  return JSON.parse(r.out) as T;
}

/**
 * The CLI on one data folder, asynchronously (emulators in the test's process keep answering): `cli(...args)` runs a
 * command, `ok(...args)` also fails the test when it does not exit 0.
 */
export function cliOn(dataDir: string): {
  cli: (...args: string[]) => Promise<{ status: number | null; stdout: string; stderr: string }>;
  ok: (...args: string[]) => Promise<{ status: number | null; stdout: string; stderr: string }>;
} {
  const cli = async (...args: string[]) => {
    const r = await runCliProcess(['--data-dir', dataDir, ...args]);
    return { status: r.code, stdout: r.out, stderr: r.err };
  };
  const ok = async (...args: string[]) => {
    const r = await cli(...args);
    assert.equal(r.status, 0, `${args.join(' ')} → ${r.status}\n${r.stderr}\n${r.stdout}`);
    return r;
  };
  return { cli, ok };
}

// Emulator clusters for the sync benches, each in its own process (as a real cluster is: its CPU does not slow
// the measured process), started through the emulator's CLI with a seed file and added latency.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { request } from 'undici';
import { demoSeed, type Seed } from '../../test/kazoo-emulator/index.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const MASTER = 'a0000000000000000000000000000001';
export const ACME = 'c0000000000000000000000000000003';
export const ADMIN_LOGIN = { kind: 'user' as const, accountName: 'Master', username: 'admin', password: 'demo-admin-pass' };

export interface EmulatorProcess {
  url: string;
  admin: string;
  flavor: '4.3' | '5.0';
  stop(): Promise<void>;
}

/** Writes the demo seed plus `extra` resources (and accounts) to `dir/name.json`; returns the path. */
export function writeSeed(dir: string, name: string, extra: Seed['resources'] = [], accounts: Seed['accounts'] = []): string {
  const seed = demoSeed();
  seed.resources = [...(seed.resources ?? []), ...(extra ?? [])];
  seed.accounts = [...(seed.accounts ?? []), ...(accounts ?? [])];
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(seed));
  return path;
}

export async function startEmulatorProcess(opts: { flavor: '4.3' | '5.0'; latencyMs: number; seedPath?: string }): Promise<EmulatorProcess> {
  const args = ['--import', 'tsx', join(ROOT, 'test/kazoo-emulator/cli.ts'), '--port', '0', '--flavor', opts.flavor, '--latency-ms', String(opts.latencyMs)];
  if (opts.seedPath) args.push('--seed', opts.seedPath);
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  let url = '';
  let admin = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the emulator did not start in 60 s: ${stderr}`)), 60_000);
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (m) url = m[1]!;
      const a = /Admin API: (\S+)/.exec(line);
      if (a) admin = a[1]!;
      if (url && admin) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited (${code}): ${stderr}`));
    });
  });
  return {
    url,
    admin,
    flavor: opts.flavor,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A token of the Master admin, for the plain request loops of the baselines. */
export async function login(url: string): Promise<string> {
  const credentials = createHash('md5').update('admin:demo-admin-pass').digest('hex');
  const r = await request(`${url}/v2/user_auth`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: { account_name: 'Master', credentials } }),
  });
  const body = (await r.body.json()) as { auth_token?: string };
  if (r.statusCode !== 201 || !body.auth_token) throw new Error(`login to ${url} failed with HTTP ${r.statusCode}`);
  return body.auth_token;
}

export function scopePath(scope: string): string {
  return scope === 'global' ? '/v2/resources' : `/v2/accounts/${scope}/resources`;
}

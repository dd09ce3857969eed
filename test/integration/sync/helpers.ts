/* eslint-disable @typescript-eslint/no-explicit-any -- remote documents are free-form JSON read by assertions */
// Helpers of the sync integration tests: a core on a temp data dir, emulator clusters, and raw Crossbar calls
// made as another login (the out-of-band edits a colleague would make).
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { request } from 'undici';
import { createCore, type Core } from '../../../electron/core/index.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import type { Clock } from '../../../electron/core/platform.ts';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';

import { addCluster } from '../../support/core-calls.ts';
export { call, addCluster } from '../../support/core-calls.ts';

export const MASTER = 'a0000000000000000000000000000001';
export const ACME = 'c0000000000000000000000000000003';
export const GLOBEX = 'c0000000000000000000000000000004';

/** Real time plus an offset tests can move forward (to make queued outbox rows due). */
export class ShiftClock implements Clock {
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `cd-sync-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Lists a test file fills with what it opened; all of it is closed once the file's tests are done. */
export function closedAfterAll(): { emus: EmulatorHandle[]; cores: Core[]; dirs: { cleanup: () => void }[] } {
  const opened = { emus: [] as EmulatorHandle[], cores: [] as Core[], dirs: [] as { cleanup: () => void }[] };
  after(async () => {
    for (const c of opened.cores) await c.close();
    for (const e of opened.emus) await e.close();
    for (const d of opened.dirs) d.cleanup();
  });
  return opened;
}

/**
 * One emulator per entry of `emulators` (its options), a fresh data folder named after `prefix`, and a core on it with
 * each emulator added as a cluster (`names`, else k0, k1, …). All of it is closed once the file's tests are done.
 */
export async function coreWithClusters(
  opened: ReturnType<typeof closedAfterAll>,
  prefix: string,
  emulators: Parameters<typeof startEmulator>[0][],
  names: string[] = [],
): Promise<{ emus: EmulatorHandle[]; tmp: { dir: string; cleanup: () => void }; core: Core }> {
  const emus = await Promise.all(emulators.map((o) => startEmulator(o)));
  opened.emus.push(...emus);
  const tmp = tempDir(prefix);
  opened.dirs.push(tmp);
  const core = openCore(tmp.dir);
  opened.cores.push(core);
  for (const [i, em] of emus.entries()) await addCluster(core, names[i] ?? `k${i}`, em);
  return { emus, tmp, core };
}

export function openCore(dataDir: string, clock: Clock = new ShiftClock()): Core {
  return createCore({ dataDir, secrets: new FileKeyBox(dataDir), clock, host: 'test' });
}

/** A token of another login (the API key of the master account), for out-of-band edits. */
export async function otherLogin(emu: EmulatorHandle): Promise<string> {
  const creds = createHash('md5').update('admin:demo-admin-pass').digest('hex');
  const r = await request(`${emu.url}/v2/user_auth`, { method: 'PUT', body: JSON.stringify({ data: { account_name: 'Master', credentials: creds } }), headers: { 'content-type': 'application/json' } });
  const body = (await r.body.json()) as { auth_token: string };
  assert.equal(r.statusCode, 201);
  return body.auth_token;
}

export async function raw(emu: EmulatorHandle, token: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, data?: unknown): Promise<{ status: number; body: any }> {
  const r = await request(`${emu.url}${path}`, {
    method,
    headers: { 'x-auth-token': token, 'content-type': 'application/json' },
    ...(data !== undefined ? { body: JSON.stringify({ data }) } : {}),
  });
  const text = await r.body.text();
  return { status: r.statusCode, body: text ? JSON.parse(text) : undefined };
}

export function scopePath(scope: string): string {
  return scope === 'global' ? '/v2/resources' : `/v2/accounts/${scope}/resources`;
}

/** Full documents of a scope, read through the listing then GET each (as another login). */
export async function remoteDocs(emu: EmulatorHandle, token: string, scope: string): Promise<any[]> {
  const out: any[] = [];
  let startKey: string | undefined;
  for (;;) {
    const q = startKey ? `?start_key=${encodeURIComponent(startKey)}` : '';
    const r = await raw(emu, token, 'GET', scopePath(scope) + q);
    assert.equal(r.status, 200, `listing ${scope}: ${JSON.stringify(r.body)}`);
    for (const item of r.body.data) out.push((await raw(emu, token, 'GET', `${scopePath(scope)}/${item.id}`)).body.data);
    startKey = r.body.next_start_key;
    if (!startKey) break;
  }
  return out;
}

/** Out-of-band edit: GET, change, POST back (no If-Match: what a colleague's script does). */
export async function editRemote(emu: EmulatorHandle, token: string, scope: string, id: string, change: (doc: any) => void): Promise<void> {
  const got = await raw(emu, token, 'GET', `${scopePath(scope)}/${id}`);
  assert.equal(got.status, 200);
  const doc = got.body.data;
  change(doc);
  const r = await raw(emu, token, 'POST', `${scopePath(scope)}/${id}`, doc);
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

/** Polls until cond() is true, failing after the deadline. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, deadlineMs = 15000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await cond())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const BIN = fileURLToPath(new URL('../../../bin/carrier-desk.js', import.meta.url));

/**
 * Runs the CLI as a child process on a data folder (asynchronously: emulators in this process keep answering);
 * kills it with SIGKILL after killAfterMs if given. Resolves with the exit code (null if killed) and its output.
 */
export function runCli(dataDir: string, args: string[], killAfterMs?: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

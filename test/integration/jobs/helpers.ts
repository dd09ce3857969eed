// Helpers of the jobs integration tests: a core on a temp dir with fast watcher timings, an emulator
// cluster, list import from text, driving the watcher round by round, and reading the emulator's numbers.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { createCore, type Core } from '../../../electron/core/index.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import type { Clock } from '../../../electron/core/platform.ts';
import type { EmulatorHandle } from '../../kazoo-emulator/index.ts';
import { call } from '../../support/core-calls.ts';

export { call, addCluster } from '../../support/core-calls.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Crossbar replies and CLI JSON lines are read loosely in tests
export type Loose = any;

export const MASTER = 'a0000000000000000000000000000001';
export const ACME = 'c0000000000000000000000000000003';
export const ACME_RESOURCE = 'f1000000000000000000000000000001';
/** Seeded on the demo cluster: +14155550100 in_service in Acme (→ number_exists). */
export const EXISTING = '+14155550100';

export const FAST_TIMING = { pollMinMs: 30, pollMaxMs: 200, idlePollMaxMs: 300, errorBaseMs: 50, errorMaxMs: 400, verifyGraceMs: 50 };

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `cd-jobs-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function openCore(dataDir: string, clock?: Clock, timing: Record<string, unknown> = FAST_TIMING): Promise<Core> {
  const core = createCore({ dataDir, secrets: new FileKeyBox(dataDir), host: 'test', ...(clock ? { clock } : {}) });
  await call(core, 'settings.set', { key: 'jobs.timing', value: timing });
  return core;
}

/** n distinct valid US numbers starting at a base (Chicago 312-555-01xx style ranges, not seeded). */
export function numbers(n: number, base = 3125550000, offset = 1000): string[] {
  return Array.from({ length: n }, (_, i) => `+1${base + offset + i}`);
}

export async function importList(core: Core, name: string, lines: string[]): Promise<void> {
  const h = await call(core, 'numbers.import', { name, text: lines.join('\n'), country: 'US', wait: true });
  assert.equal(h.list?.state, 'ready');
}

/** Runs watcher rounds until nothing is left that the watcher can move, or the deadline passes. */
export async function runUntilIdle(core: Core, opts: { deadlineMs?: number; between?: () => void | Promise<void> } = {}): Promise<void> {
  const deadline = Date.now() + (opts.deadlineMs ?? 20_000);
  for (;;) {
    const delay = await core.background.runNow('jobs');
    if (core.services.jobs.watcher.activeJobs().length === 0) return;
    if (Date.now() > deadline) assert.fail(`jobs still active after the deadline: ${JSON.stringify(core.services.jobs.watcher.activeJobs().map((j) => [j.id, j.state, j.done, j.total, j.last_error]))}`);
    await opts.between?.();
    await new Promise((r) => setTimeout(r, Math.min(100, Math.max(5, delay ?? 20))));
  }
}

export async function token(emu: EmulatorHandle): Promise<string> {
  const creds = createHash('md5').update('admin:demo-admin-pass').digest('hex');
  const r = await request(`${emu.url}/v2/user_auth`, { method: 'PUT', body: JSON.stringify({ data: { account_name: 'Master', credentials: creds } }), headers: { 'content-type': 'application/json' } });
  const body = (await r.body.json()) as { auth_token: string };
  return body.auth_token;
}

export async function raw(emu: EmulatorHandle, tok: string, path: string): Promise<{ status: number; body: Loose }> {
  const r = await request(`${emu.url}${path}`, { headers: { 'x-auth-token': tok } });
  const text = await r.body.text();
  return { status: r.statusCode, body: text ? JSON.parse(text) : undefined };
}

/** The phone numbers of an account on the emulator (all pages). */
export async function accountNumbers(emu: EmulatorHandle, accountId: string): Promise<Record<string, Loose>> {
  const tok = await token(emu);
  const out: Record<string, Loose> = {};
  let startKey: string | undefined;
  for (;;) {
    const q = startKey ? `?start_key=${encodeURIComponent(startKey)}` : '';
    const r = await raw(emu, tok, `/v2/accounts/${accountId}/phone_numbers${q}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    Object.assign(out, r.body.data.numbers ?? {});
    startKey = r.body.next_start_key;
    if (!startKey) break;
  }
  return out;
}

/** Every job document the emulator holds for an account over the last months (listing with a filter). */
export async function remoteJobs(emu: EmulatorHandle, accountId: string, fromMs: number, toMs: number): Promise<Loose[]> {
  const tok = await token(emu);
  const g = (ms: number) => Math.floor(ms / 1000) + 62_167_219_200;
  const out: Loose[] = [];
  // Month-sized windows inside Crossbar's maximum range.
  for (let start = fromMs; start < toMs; start += 30 * 86_400_000) {
    const end = Math.min(toMs, start + 30 * 86_400_000);
    let startKey: string | undefined;
    for (;;) {
      const q = `?has_key=numbers&created_from=${g(start)}&created_to=${g(end)}${startKey ? `&start_key=${encodeURIComponent(startKey)}` : ''}`;
      const r = await raw(emu, tok, `/v2/accounts/${accountId}/resources/jobs${q}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      out.push(...r.body.data);
      startKey = r.body.next_start_key;
      if (!startKey) break;
    }
  }
  const seen = new Set<string>();
  return out.filter((j) => (seen.has(j.id) ? false : (seen.add(j.id), true)));
}

// `pull --all` across many accounts: the accounts are read side by side under one limit of 8 requests in flight
// (not one account after another at ~2 in flight), with progress events, the same snapshot as before, a second
// pull answered by conditional GETs, and a failing account stopping the pull with its error.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { demoSeed, startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import type { RequestLogEntry } from '../../kazoo-emulator/types.ts';
import type { Core } from '../../../electron/core/index.ts';
import type { EventMessage } from '../../../electron/shared/contract.ts';
import { PULL_CONCURRENCY } from '../../../electron/core/sync/pull.ts';
import { addCluster, call, MASTER, openCore, tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../../bin/carrier-desk.js', import.meta.url));
const EXTRA = 40;
const accountId = (i: number) => `d1${i.toString(16).padStart(30, '0')}`;
const resourceId = (i: number) => `e1${i.toString(16).padStart(30, '0')}`;

function seed() {
  const s = demoSeed();
  s.accounts.push(...Array.from({ length: EXTRA }, (_, i) => ({ id: accountId(i), name: `Customer ${i}`, realm: `c${i}.sip.example.com`, parent_id: MASTER })));
  s.resources = [...(s.resources ?? []), ...Array.from({ length: EXTRA }, (_, i) => ({ id: resourceId(i), account_id: accountId(i), name: `Local carrier ${i}`, enabled: true, gateways: [{ server: `sip.c${i}.example.net` }] }))];
  return s;
}

/** The most requests the emulator held at one time ([received, at] of each logged request). */
function maxInFlight(log: RequestLogEntry[]): number {
  const edges = log.flatMap((e) => [[e.received, 1], [e.at, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (cur += d));
  return most;
}

let emu: EmulatorHandle | undefined;
let core: Core | undefined;
const tmp = tempDir('pull-accounts');
after(async () => {
  await core?.close();
  await emu?.close();
  tmp.cleanup();
});

test('pull --all reads every account side by side, at most 8 requests in flight, with progress; the second pull is all 304s', async () => {
  emu = await startEmulator({ flavor: '5.0', seed: seed(), faults: { latencyMs: 40 } });
  core = openCore(tmp.dir);
  await addCluster(core, 'reseller', emu);
  const events: EventMessage<'pull.progress'>['payload'][] = [];
  core.events.subscribe((m) => {
    if (m.event === 'pull.progress') events.push(m.payload as (typeof events)[number]);
  });

  emu.clearRequestLog();
  const first = await call(core, 'pull.run', { cluster: 'reseller', all: true });
  const firstLog = emu.requestLog();
  // global, the master account and its 4 + 40 descendants
  assert.equal(first.scopes.length, 46);
  assert.deepEqual(first.scopes.flatMap((s) => s.errors), []);
  for (const i of [0, 17, EXTRA - 1]) {
    const items: { name: string }[] = await call(core, 'resources.list', { cluster: 'reseller', scope: accountId(i) });
    assert.deepEqual(items.map((x: { name: string }) => x.name), [`Local carrier ${i}`]);
  }
  const most = maxInFlight(firstLog);
  assert.ok(most <= PULL_CONCURRENCY, `at most ${PULL_CONCURRENCY} requests in flight, saw ${most}`);
  assert.ok(most >= 4, `accounts are read side by side (one after another kept ~2 in flight), saw ${most}`);

  assert.deepEqual(events[0], { clusterId: events[0]!.clusterId, cluster: 'reseller', done: 0, total: 46 });
  assert.equal(events.length, 47);
  assert.deepEqual(events.map((e) => e.done), Array.from({ length: 47 }, (_, i) => i));
  assert.ok(events.every((e) => e.total === 46 && e.cluster === 'reseller'));

  emu.clearRequestLog();
  const second = await call(core, 'pull.run', { cluster: 'reseller', all: true });
  const fetched = (r: typeof first, k: 'fetched' | 'unchanged' | 'listed') => r.scopes.reduce((n, s) => n + s[k], 0);
  assert.equal(fetched(second, 'fetched'), 0);
  assert.equal(fetched(second, 'unchanged'), fetched(first, 'fetched'));
  assert.equal(emu.requestLog().filter((e) => e.status === 304).length, fetched(first, 'fetched'));
});

test('an account that cannot be read stops the pull with its error; the CLI shows progress on stderr', async () => {
  assert.ok(emu && core);
  emu.setFaults({ failPaths: `^GET /v2/accounts/${accountId(7)}/resources$`, errorRate: 1 });
  try {
    await assert.rejects(call(core, 'pull.run', { cluster: 'reseller', all: true }), /unknown failure|datastore/i);
  } finally {
    emu.setFaults({ failPaths: '', errorRate: 0 });
  }

  // Not spawnSync: the emulator answers from this process.
  const child = spawn(process.execPath, [BIN, '--data-dir', tmp.dir, 'pull', 'reseller', '--all'], { env: { ...process.env } });
  const r = { stderr: '', status: null as number | null };
  child.stderr.on('data', (d) => (r.stderr += String(d)));
  child.stdout.resume();
  r.status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('pull: '));
  assert.equal(lines.at(-1), 'pull: 46 of 46 scopes done (global and accounts)');
  assert.ok(lines.length >= 2 && lines.length <= 12, `a line each tenth of the way, got ${lines.length}`);
});

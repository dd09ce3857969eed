// Benchmark: pulling 2,000 global resources from an emulator cluster with 50 ms added latency through the real
// path (core.dispatch('pull.run')): the listing pages one after the other, then one GET per resource
// (PULL_CONCURRENCY at a time). Compared with the ideal bound (pages + ceil(resources / concurrency)) × 50 ms, for
// a first pull (every document read) and a second one (conditional GETs answered 304). Then `pull --all` across
// 505 accounts (one resource each) at 20 ms latency, first and second time, beside its ideal bound
// requests × latency / PULL_CONCURRENCY (every request the pull made, from the emulator's log).
// Run standalone: npx tsx bench/pull.ts [--quick]
import { Pool } from 'undici';
import { PULL_CONCURRENCY } from '../electron/core/sync/pull.ts';
import { metric, type BenchOptions, type BenchResult, type Metric } from './lib/metrics.ts';
import { carrierDoc, resourceId } from './lib/resources.ts';
import { ADMIN_LOGIN, MASTER, startEmulatorProcess, writeSeed, type EmulatorProcess } from './lib/emulator.ts';
import { must, openCore, tempDir } from './lib/core.ts';

const LATENCY_MS = 50;
/** Global resources in the demo seed, counted in the total. */
const DEMO_GLOBALS = 3;

interface LogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
}

async function admin(emu: EmulatorProcess, method: 'GET' | 'DELETE', path: string): Promise<unknown> {
  const u = new URL(emu.admin);
  const pool = new Pool(u.origin);
  try {
    const r = await pool.request({ method, path: u.pathname + path });
    const text = await r.body.text();
    return text ? JSON.parse(text) : null;
  } finally {
    await pool.close();
  }
}

const ACCOUNTS_LATENCY_MS = 20;

/** `pull.run --all` over the demo's 5 accounts plus `extra` more under the master account, one resource each. */
export async function manyAccounts(extra: number, log: (l: string) => void): Promise<{ metrics: Metric[]; note: string }> {
  const dir = tempDir('pull-accounts');
  let emu: EmulatorProcess | undefined;
  const core = openCore(`${dir.path}/data`);
  try {
    const accounts = Array.from({ length: extra }, (_, i) => ({ id: resourceId(i, 0x11), name: `Customer ${i}`, realm: `c${i}.sip.example.com`, parent_id: MASTER }));
    const resources = accounts.map((a, i) => ({ ...carrierDoc(i, 'Local carrier'), id: resourceId(i, 0x12), account_id: a.id }));
    log(`pull: starting an emulator with ${extra + 5} accounts (${ACCOUNTS_LATENCY_MS} ms latency)`);
    emu = await startEmulatorProcess({ flavor: '5.0', latencyMs: ACCOUNTS_LATENCY_MS, seedPath: writeSeed(dir.path, 'accounts-seed', resources, accounts) });
    await must(core, 'clusters.add', { name: 'reseller', url: emu.url, auth: ADMIN_LOGIN });
    const measure = async (label: string) => {
      await admin(emu!, 'DELETE', '/requests');
      log(`pull: ${label}`);
      let events = 0;
      const off = core.events.subscribe((m) => void (m.event === 'pull.progress' && events++));
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const res = await must(core, 'pull.run', { cluster: 'reseller', all: true });
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      off();
      const failed = res.scopes.find((x) => x.errors.length > 0);
      if (failed) throw new Error(`pull --all (${label}): ${failed.errors[0]!.error.message}`);
      const requests = ((await admin(emu!, 'GET', '/requests')) as LogEntry[]).length;
      return { ms, cpuMs, requests, scopes: res.scopes.length, events, ideal: (requests * ACCOUNTS_LATENCY_MS) / PULL_CONCURRENCY };
    };
    const first = await measure(`pull --all over ${extra + 5} accounts`);
    const second = await measure(`pull --all again (unchanged)`);
    const note = (p: typeof first) => `${p.requests} requests × ${ACCOUNTS_LATENCY_MS} ms / ${PULL_CONCURRENCY}`;
    return {
      metrics: [
        metric(`pull --all, ${first.scopes} scopes (${extra + 5} accounts), first pull vs ideal`, first.ms, 'ms', { baseline: first.ideal, goal: '<= 1.5x ideal', baselineNote: note(first) }),
        metric(`pull --all, ${second.scopes} scopes, second pull (unchanged: 304s) vs ideal`, second.ms, 'ms', { baseline: second.ideal, goal: '<= 1.5x ideal', baselineNote: note(second) }),
        metric('pull --all: second pull vs first (no slower)', second.ms, 'ms', { baseline: first.ms, goal: '<= 1.1x', baselineNote: 'first pull' }),
        metric('pull --all: CPU of the core process per request (first pull)', first.cpuMs / first.requests, 'ms'),
        metric('pull --all: CPU of the core process per request (second pull)', second.cpuMs / second.requests, 'ms'),
      ],
      note: `pull --all: ${first.requests} requests the first time, ${second.requests} the second; ${first.events} progress events; ${ACCOUNTS_LATENCY_MS} ms latency`,
    };
  } finally {
    await core.close();
    await emu?.stop();
    dir.remove();
  }
}

export async function run(opts: Partial<BenchOptions> = {}): Promise<BenchResult> {
  const log = opts.log ?? (() => undefined);
  const total = opts.quick ? 400 : 2000;
  const dir = tempDir('pull');
  let emu: EmulatorProcess | undefined;
  const core = openCore(`${dir.path}/data`);
  try {
    const extra = Array.from({ length: total - DEMO_GLOBALS }, (_, i) => ({ ...carrierDoc(i, 'Pulled carrier'), id: resourceId(i, 7) }));
    log(`pull: starting an emulator seeded with ${total} global resources (${LATENCY_MS} ms latency)`);
    emu = await startEmulatorProcess({ flavor: '5.0', latencyMs: LATENCY_MS, seedPath: writeSeed(dir.path, 'pull-seed', extra) });
    await must(core, 'clusters.add', { name: 'big', url: emu.url, auth: ADMIN_LOGIN });

    const measure = async (label: string) => {
      await admin(emu!, 'DELETE', '/requests');
      log(`pull: ${label}`);
      const t0 = performance.now();
      const res = await must(core, 'pull.run', { cluster: 'big', scope: 'global' });
      const ms = performance.now() - t0;
      const s = res.scopes[0]!;
      if (s.errors.length > 0) throw new Error(`pull (${label}): ${s.errors[0]!.error.message}`);
      if (s.listed !== total) throw new Error(`pull (${label}): listed ${s.listed}, expected ${total}`);
      const entries = (await admin(emu!, 'GET', '/requests')) as LogEntry[];
      const pages = entries.filter((e) => e.method === 'GET' && /^\/v2\/resources$/.test(e.path)).length;
      const gets = entries.filter((e) => e.method === 'GET' && /^\/v2\/resources\/[^/]+$/.test(e.path)).length;
      const other = entries.length - pages - gets;
      const ideal = (pages + Math.ceil(total / PULL_CONCURRENCY)) * LATENCY_MS;
      return { ms, pages, gets, other, ideal, fetched: s.fetched, unchanged: s.unchanged };
    };
    const first = await measure(`first pull of ${total}`);
    const second = await measure(`second pull of ${total} (unchanged)`);
    if (first.fetched !== total || second.unchanged !== total) throw new Error(`pull: fetched ${first.fetched} then unchanged ${second.unchanged}, expected ${total} each`);

    const note = (p: typeof first) => `(${p.pages} pages + ceil(${total}/${PULL_CONCURRENCY})) × ${LATENCY_MS} ms`;
    const metrics: Metric[] = [
      metric(`pull ${total} resources (first: every document read) vs ideal`, first.ms, 'ms', { baseline: first.ideal, goal: '<= 1.3x ideal', baselineNote: note(first) }),
      metric(`pull ${total} resources (second: conditional GETs, 304) vs ideal`, second.ms, 'ms', { baseline: second.ideal, goal: '<= 1.3x ideal', baselineNote: note(second) }),
      metric('pull throughput (first pull)', (total * 1000) / first.ms, 'resources/s', { baseline: (total * 1000) / first.ideal, baselineNote: 'at the ideal bound' }),
      metric('requests besides listing pages and GETs (first pull)', first.other, 'requests', { digits: 0 }),
    ];
    const many = await manyAccounts(opts.quick ? 100 : 500, log);
    return {
      name: 'pull',
      metrics: [...metrics, ...many.metrics],
      notes: [`listing pages: ${first.pages}, resource GETs: ${first.gets}, other requests (login, schemas): ${first.other}; emulator in a child process`, many.note],
    };
  } finally {
    await core.close();
    await emu?.stop();
    dir.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run({ quick: process.argv.includes('--quick'), log: (l) => console.error(l) }).then((r) => console.log(JSON.stringify(r, null, 2)));
}

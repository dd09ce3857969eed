// Integration: `carrier-desk apply --yes` in a child process, killed with SIGKILL at random points while the
// clusters inject errors and connection resets; after each kill a draft is edited; the final rerun converges:
// exactly one resource per target, the last edit everywhere, no draft or version lost.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import { ACME, addCluster, call, openCore, otherLogin, remoteDocs, runCli, tempDir } from './helpers.ts';

const DRAFTS = 5;
const ITERATIONS = 8;
const emus: EmulatorHandle[] = [];
const dirs: { cleanup: () => void }[] = [];
after(async () => {
  for (const e of emus) await e.close();
  for (const d of dirs) d.cleanup();
});

test('apply killed with SIGKILL at random points converges on rerun (faults on)', { timeout: 240_000 }, async () => {
  const [e5, e4] = await Promise.all([startEmulator({ flavor: '5.0', randomSeed: 7 }), startEmulator({ flavor: '4.3', randomSeed: 11 })]);
  emus.push(e5!, e4!);
  const tmp = tempDir('kill');
  dirs.push(tmp);
  const expected = new Map<string, number>();
  {
    const core = openCore(tmp.dir);
    await addCluster(core, 'five', e5!);
    await addCluster(core, 'four', e4!);
    for (let i = 0; i < DRAFTS; i++) {
      const name = `Kill Carrier ${i}`;
      await call(core, 'drafts.create', { name, from: { kind: 'json', doc: { name, gateways: [{ server: `gw${i}.example`, password: `pw-${i}-secret` }], rules: ['^\\+1(\\d{10})$'], weight_cost: 50 } } });
      await call(core, 'targets.add', { draft: name, cluster: 'five', scope: 'global' });
      await call(core, 'targets.add', { draft: name, cluster: 'four', scope: ACME });
      expected.set(name, 50);
    }
    await core.close();
  }
  const faults = { errorRate: 0.15, resetRate: 0.1, latencyMs: 80 };
  e5!.setFaults(faults);
  e4!.setFaults(faults);

  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let it = 0; it < ITERATIONS; it++) {
    // Between runs: a new carrier (so every run has creates to interrupt) and an edit that must survive and win.
    const core = openCore(tmp.dir);
    const late = `Late Carrier ${it}`;
    await call(core, 'drafts.create', { name: late, from: { kind: 'json', doc: { name: late, gateways: [{ server: `late${it}.example` }], rules: ['^\\+44(\\d+)$'] } } });
    await call(core, 'targets.add', { draft: late, cluster: 'five', scope: 'global' });
    await call(core, 'targets.add', { draft: late, cluster: 'four', scope: ACME });
    expected.set(late, 50);
    const name = `Kill Carrier ${it % DRAFTS}`;
    await call(core, 'drafts.edit', { draft: name, set: [{ path: 'weight_cost', value: 10 + it }] });
    expected.set(name, 10 + it);
    await core.close();
    const r = await runCli(tmp.dir, ['apply', '--yes', '--json'], 600 + Math.floor(rand() * 1800));
    if (process.env.KILL_DEBUG) process.stdout.write(`# iteration ${it}: exit ${r.code}, PUTs ${e5!.requestLog().filter((l) => l.method === 'PUT' && l.path.includes('resources')).map((l) => l.status).join(',')}\n`);
  }

  e5!.setFaults({ errorRate: 0, resetRate: 0, latencyMs: 0 });
  e4!.setFaults({ errorRate: 0, resetRate: 0, latencyMs: 0 });
  let last: { code: number | null; stdout: string; stderr: string } | null = null;
  for (let i = 0; i < 4 && last?.code !== 0; i++) last = await runCli(tmp.dir, ['apply', '--yes', '--json']);
  assert.equal(last!.code, 0, `final apply: ${last!.stderr}\n${last!.stdout.slice(0, 3000)}`);

  for (const [emu, scope] of [[e5!, 'global'], [e4!, ACME]] as const) {
    const docs = await remoteDocs(emu, await otherLogin(emu), scope);
    for (const [name, wc] of expected) {
      const mine = docs.filter((d) => d.name === name);
      assert.equal(mine.length, 1, `${name} on ${emu.flavor}: ${mine.length} copies`);
      assert.equal(mine[0].weight_cost, wc, `${name} on ${emu.flavor} has the last edit`);
    }
  }
  const core = openCore(tmp.dir);
  try {
    const drafts = await call(core, 'drafts.list', {});
    assert.equal(drafts.length, expected.size, 'no draft lost');
    for (const d of drafts) assert.equal((await call(core, 'drafts.get', { draft: d.id })).doc.weight_cost ?? 50, expected.get(d.name));
    assert.equal((await call(core, 'sync.plan', {})).summary.noop, expected.size * 2);
  } finally {
    await core.close();
  }
});

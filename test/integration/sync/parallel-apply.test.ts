// Integration: applies running at the same time on one data folder (issue 15 item 1). N CLI processes, concurrent
// applies in one process beside the background outbox task and a CLI apply, a run whose request outlives its lease,
// a plan made while another run's create is on the wire, a saved plan applied while another run's creates await
// their replies, and a delete racing an update. Every case ends with exactly
// one resource per target on the cluster, every target bound to it, and each run's report true: one run says done,
// the others say joined (or, when they planned after it finished, unchanged) — never two creates.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import type { Core } from '../../../electron/core/index.ts';
import type { ApplyResult, ApplyTargetResult } from '../../../electron/shared/contract/sync.ts';
import { startProxy, type Proxy } from '../kazoo-client/proxy.ts';
import { ACME, addCluster, call, openCore, otherLogin, remoteDocs, runCli, tempDir, until } from './helpers.ts';

const emus: EmulatorHandle[] = [];
const proxies: Proxy[] = [];
const cores: Core[] = [];
const dirs: { cleanup: () => void }[] = [];
after(async () => {
  for (const c of cores) await c.close();
  for (const p of proxies) await p.close();
  for (const e of emus) await e.close();
  for (const d of dirs) d.cleanup();
});

const SCOPES = [ACME, 'global'] as const;

/** Drafts with a target in an account and one global on an emulated 5.0 cluster (reached through `via`, if given). */
async function setup(prefix: string, drafts: number, latencyMs: number, via?: (emu: EmulatorHandle) => Promise<string>): Promise<{ emu: EmulatorHandle; dir: string; names: string[] }> {
  const emu = await startEmulator({ flavor: '5.0' });
  emus.push(emu);
  const tmp = tempDir(prefix);
  dirs.push(tmp);
  const core = openCore(tmp.dir);
  const names: string[] = [];
  try {
    if (via) await call(core, 'clusters.add', { name: 'five', url: await via(emu), auth: { kind: 'user', accountName: 'Master', username: 'admin', password: 'demo-admin-pass' } });
    else await addCluster(core, 'five', emu);
    for (let i = 0; i < drafts; i++) {
      const name = `${prefix} Carrier ${i}`;
      names.push(name);
      await call(core, 'drafts.create', { name, from: { kind: 'json', doc: { name, gateways: [{ server: `gw${i}.${prefix}.example`, password: `pw-${i}` }], rules: ['^\\+1(\\d{10})$'] } } });
      for (const scope of SCOPES) await call(core, 'targets.add', { draft: name, cluster: 'five', scope });
    }
  } finally {
    await core.close();
  }
  emu.setFaults({ latencyMs });
  return { emu, dir: tmp.dir, names };
}

/** Creates (PUT on a resources collection) the emulator answered, by status. */
function creates(emu: EmulatorHandle): { ok: number; conflict: number } {
  const puts = emu.requestLog().filter((l) => l.method === 'PUT' && /\/resources$/.test(l.path));
  return { ok: puts.filter((l) => l.status === 201).length, conflict: puts.filter((l) => l.status === 409).length };
}

/**
 * The cluster holds exactly one resource per draft and scope, every target is bound to it (confirmed revision, no
 * live outbox row), nothing with those names is untracked, and a new plan has nothing to do.
 */
async function assertConverged(emu: EmulatorHandle, dir: string, names: string[]): Promise<void> {
  emu.setFaults({ latencyMs: 0 });
  const token = await otherLogin(emu);
  const core = openCore(dir);
  try {
    const drafts = await call(core, 'drafts.list', {});
    for (const scope of SCOPES) {
      const docs = (await remoteDocs(emu, token, scope)).filter((d) => names.includes(d.name));
      for (const name of names) {
        const mine = docs.filter((d) => d.name === name);
        assert.equal(mine.length, 1, `${name} in ${scope}: ${mine.length} copies on the cluster`);
        const target = drafts.find((d) => d.name === name)!.targets.find((t) => t.scope === scope)!;
        assert.equal(target.remoteId, mine[0].id, `${name} in ${scope} is bound to the resource on the cluster (no orphan)`);
        assert.ok(target.baseRevision, `${name} in ${scope} has a confirmed revision`);
      }
    }
    const live = core.services.sync.store.outbox.list(true).filter((r) => r.state === 'queued' || r.state === 'in_flight');
    assert.deepEqual(live, [], 'no outbox row is left queued or in flight');
    const plan = await call(core, 'sync.plan', {});
    assert.equal(plan.summary.noop, names.length * SCOPES.length, JSON.stringify(plan.summary));
  } finally {
    await core.close();
  }
}

/** Across every run's report: each target was done by exactly one run; every other run joined it or found it done. */
function assertTruthfulReports(reports: ApplyResult[], targets: number): void {
  const byTarget = new Map<string, ApplyTargetResult[]>();
  for (const r of reports) for (const t of r.targets) byTarget.set(t.targetId, [...(byTarget.get(t.targetId) ?? []), t]);
  assert.equal(byTarget.size, targets);
  for (const [id, results] of byTarget) {
    const done = results.filter((t) => t.outcome === 'done');
    assert.equal(done.length, 1, `target ${id}: ${results.map((t) => t.outcome).join(', ')} — exactly one run says done`);
    for (const t of results.filter((x) => x.outcome !== 'done')) {
      assert.ok(
        (t.outcome === 'joined' && t.joinedOutcome === 'done') || t.outcome === 'noop',
        `target ${id}: another run reports ${t.outcome}/${t.joinedOutcome ?? ''} (${t.reason ?? ''})`,
      );
    }
  }
  for (const r of reports) assert.equal(r.ok, true, JSON.stringify(r.targets.filter((t) => !['done', 'noop', 'joined'].includes(t.outcome))));
}

test('N CLI processes applying at once under latency create each carrier once and report it once', { timeout: 240_000 }, async () => {
  const { emu, dir, names } = await setup('Par', 8, 150);
  const runs = await Promise.all(Array.from({ length: 4 }, () => runCli(dir, ['--json', 'apply', '--yes'])));
  for (const r of runs) assert.equal(r.code, 0, `apply: ${r.stderr}\n${r.stdout.slice(0, 2000)}`);
  const reports = runs.map((r) => JSON.parse(r.stdout) as ApplyResult);
  assertTruthfulReports(reports, names.length * SCOPES.length);
  assert.deepEqual(creates(emu), { ok: names.length * SCOPES.length, conflict: 0 }, 'one PUT per target, none repeated');
  // The text report counts a joined target as joined, never as done.
  const text = await runCli(dir, ['apply', '--yes']);
  assert.match(text.stdout, /0 done, 16 unchanged/);
  await assertConverged(emu, dir, names);
});

test('concurrent applies in one process, the background outbox task and a CLI apply beside them', { timeout: 240_000 }, async () => {
  const { emu, dir, names } = await setup('Mix', 6, 120);
  const core = openCore(dir);
  cores.push(core);
  // The app's background loop runs its outbox task meanwhile (it takes every due row it can).
  core.background.start();
  const [a, b, c, cli] = await Promise.all([
    call(core, 'sync.apply', {}),
    call(core, 'sync.apply', {}),
    call(core, 'sync.apply', {}),
    runCli(dir, ['--json', 'apply', '--yes']),
  ]);
  assert.equal(cli.code, 0, cli.stderr);
  await core.background.stop();
  assertTruthfulReports([a, b, c, JSON.parse(cli.stdout) as ApplyResult].map((r) => ({ ...r, targets: r.targets })), names.length * SCOPES.length);
  assert.deepEqual(creates(emu), { ok: names.length * SCOPES.length, conflict: 0 });
  await core.close();
  cores.pop();
  await assertConverged(emu, dir, names);
});

test('a request slower than the lease keeps its row: the other run waits and joins instead of taking it over', { timeout: 120_000 }, async () => {
  const { emu, dir, names } = await setup('Slow', 1, 1500);
  const first = openCore(dir);
  const second = openCore(dir);
  cores.push(first, second);
  for (const c of [first, second]) Object.assign(c.services.sync.sync.executor.timing, { leaseMs: 300, renewEveryMs: 75 });
  const applying = call(first, 'sync.apply', {});
  const outbox = first.services.sync.store.outbox;
  await until(() => outbox.list(false).some((r) => r.state === 'in_flight'), 'the first run to send', 60_000);
  // Well past the lease: without renewal the row would look abandoned now.
  await new Promise((r) => setTimeout(r, 700));
  const drained = await call(second, 'outbox.drain', {});
  assert.equal(drained.attempted, 0, 'the background outbox leaves a row whose holder is alive and renewing');
  const [mine, theirs] = await Promise.all([applying, call(second, 'sync.apply', {})]);
  // The first run recorded its own sends (a takeover would have recorded them and left it "joined").
  assert.deepEqual(mine.targets.map((t) => t.outcome), ['done', 'done']);
  for (const t of theirs.targets) assert.ok(t.outcome === 'noop' || (t.outcome === 'joined' && t.joinedOutcome === 'done'), JSON.stringify(t));
  assert.deepEqual(creates(emu), { ok: 2, conflict: 0 });
  const audit = await call(first, 'audit.list', {});
  assert.deepEqual(audit.map((e) => [e.action, e.result]), [['create', 'ok'], ['create', 'ok']], 'each create recorded once');
  for (const c of [first, second]) await c.close();
  cores.length = 0;
  await assertConverged(emu, dir, names);
});

test('a plan made while another run\'s creates are on the wire waits for them and joins instead of sending again', { timeout: 120_000 }, async () => {
  // Creates take 1.5 s to reach the cluster (held by a proxy); reads go straight through.
  const { emu, dir, names } = await setup('Window', 1, 0, async (e) => {
    const proxy = await startProxy(e.url, (req) => (req.method === 'PUT' && /\/resources$/.test(req.url ?? '') ? { kind: 'delay', ms: 1500 } : { kind: 'forward' }));
    proxies.push(proxy);
    return proxy.url;
  });
  const first = openCore(dir);
  const second = openCore(dir);
  cores.push(first, second);
  const applying = call(first, 'sync.apply', {});
  await until(() => first.services.sync.store.outbox.list(false).filter((r) => r.state === 'in_flight').length === 2, 'both creates on the wire', 60_000);
  // The second run sees the ids the first chose; its plan reads the cluster before the creates arrive there. It
  // answers only once the first run has recorded them (it waited), not while they are still on the wire, and it
  // never supersedes a row whose request is on the wire.
  let liveWhenAnswered: string[] = [];
  const [mine, theirs] = await Promise.all([
    applying,
    call(second, 'sync.apply', {}).then((r) => {
      liveWhenAnswered = second.services.sync.store.outbox.list(true).filter((o) => o.state !== 'done').map((o) => o.state);
      return r;
    }),
  ]);
  assert.deepEqual(liveWhenAnswered, []);
  assert.ok(first.services.sync.store.outbox.list(true).every((o) => o.state === 'done'), 'the rows of the first run were neither superseded nor repeated');
  assert.deepEqual(mine.targets.map((t) => t.outcome), ['done', 'done']);
  for (const t of theirs.targets) assert.ok(t.outcome === 'noop' || (t.outcome === 'joined' && t.joinedOutcome === 'done'), JSON.stringify(t));
  assert.deepEqual(creates(emu), { ok: 2, conflict: 0 });
  for (const c of [first, second]) await c.close();
  cores.length = 0;
  await assertConverged(emu, dir, names);
});

test('a saved plan applied while another run\'s creates are stored on the cluster but not yet answered: joined, not "unchanged"', { timeout: 120_000 }, async () => {
  // The cluster stores the creates at once; their replies are held until the second run waits for the rows.
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let hold = false;
  const { emu, dir, names } = await setup('Saved', 1, 0, async (e) => {
    const proxy = await startProxy(e.url, (req) => (hold && req.method === 'PUT' && /\/resources$/.test(req.url ?? '') ? { kind: 'hold-reply', until: released } : { kind: 'forward' }));
    proxies.push(proxy);
    return proxy.url;
  });
  const first = openCore(dir);
  const second = openCore(dir);
  cores.push(first, second);
  // The second run's plan is made (and shown) before anything is applied: two creates.
  const saved = (await call(second, 'sync.plan', {})).saved;
  hold = true;
  const applying = call(first, 'sync.apply', {});
  await until(() => creates(emu).ok === 2, 'both creates stored on the cluster', 60_000);
  // Applying the saved plan now reads the carriers already there (under the ids the first run chose), so its fresh
  // plan has nothing to send; the first run's rows are still in flight. Seen, not changed: which targets it waits for.
  const executor = second.services.sync.sync.executor;
  const waiting = new Set<string>();
  const awaitRelease = executor.awaitRelease.bind(executor);
  executor.awaitRelease = (id, lease) => {
    waiting.add(id);
    return awaitRelease(id, lease);
  };
  const applyingSaved = call(second, 'sync.apply', { plan: saved });
  await until(() => waiting.size === 2, 'the second run waits for both rows of the first', 60_000);
  release();
  const [mine, theirs] = await Promise.all([applying, applyingSaved]);
  assert.deepEqual(mine.targets.map((t) => t.outcome), ['done', 'done']);
  // The change the saved plan asked for is the one the first run sent: reported as joined, with how it ended.
  for (const t of theirs.targets) assert.deepEqual([t.outcome, t.joinedOutcome], ['joined', 'done'], t.reason);
  assert.deepEqual(creates(emu), { ok: 2, conflict: 0 });
  for (const c of [first, second]) await c.close();
  cores.length = 0;
  await assertConverged(emu, dir, names);
});

test('a delete racing an update: the delete waits, plans again against the update and removes the carrier', { timeout: 120_000 }, async () => {
  // Updates take 2.5 s to reach the cluster (held by a proxy): the delete is planned while they are on the wire.
  let holdUpdates = false;
  const { emu, dir, names } = await setup('Race', 1, 0, async (e) => {
    const proxy = await startProxy(e.url, (req) => (holdUpdates && req.method === 'POST' && /\/resources\/[0-9a-f]{32}$/.test(req.url ?? '') ? { kind: 'delay', ms: 2500 } : { kind: 'forward' }));
    proxies.push(proxy);
    return proxy.url;
  });
  {
    const core = openCore(dir);
    assert.equal((await call(core, 'sync.apply', {})).ok, true);
    await call(core, 'drafts.edit', { draft: names[0]!, set: [{ path: 'weight_cost', value: 7 }] });
    await core.close();
  }
  holdUpdates = true;
  const updater = runCli(dir, ['--json', 'apply', '--yes']);
  const core = openCore(dir);
  cores.push(core);
  // The CLI starts from the TypeScript sources under npm test: give it time on a busy machine.
  await until(() => core.services.sync.store.outbox.list(false).some((r) => r.state === 'in_flight' && r.op === 'update'), 'the update on the wire', 90_000);
  await call(core, 'drafts.markDelete', { draft: names[0]!, deleted: true });
  const deleting = await call(core, 'sync.apply', {});
  const updated = await updater;
  assert.equal(updated.code, 0, updated.stderr);
  const upd = JSON.parse(updated.stdout) as ApplyResult;
  // Each run reports its own operation: the CLI updated (or, if it planned after the mark, deleted) and the app
  // deleted what was there after it; the cluster ends without the carrier either way.
  for (const t of deleting.targets) assert.ok(['done', 'noop'].includes(t.outcome) || (t.outcome === 'joined' && t.joinedOutcome === 'done'), JSON.stringify(t));
  for (const t of upd.targets) assert.ok(['done', 'noop', 'joined'].includes(t.outcome), JSON.stringify(t));
  const token = await otherLogin(emu);
  for (const scope of SCOPES) assert.deepEqual((await remoteDocs(emu, token, scope)).filter((d) => d.name === names[0]), [], `deleted in ${scope}`);
  const deletes = emu.requestLog().filter((l) => l.method === 'DELETE');
  assert.ok(deletes.every((l) => l.status === 200), `no delete refused: ${deletes.map((l) => l.status).join(',')}`);
  const plan = await call(core, 'sync.plan', {});
  assert.equal(plan.summary.noop, SCOPES.length);
});

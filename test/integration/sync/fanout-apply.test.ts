// Integration: one draft applied to several clusters (the fan-out of issue 16 item 2) over real HTTP to emulators.
// Each cluster's requests of one apply travel over one keep-alive connection: the write right after its read, and
// the first request right after a login, reuse the connection the previous reply came on instead of opening another.
// `apply --yes` skips the rule linter's advice it never shows (its first run costs a CLI process ~40 ms), yet an
// error still blocks the change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EmulatorHandle, RequestLogEntry } from '../../kazoo-emulator/index.ts';
import { runCliProcess } from '../../support/cli.ts';
import { call, closedAfterAll, coreWithClusters, openCore } from './helpers.ts';
import { PER_CLUSTER_CONCURRENCY } from '../../../electron/core/sync/executor.ts';

const opened = closedAfterAll();
const CLUSTERS = 3;

/** The emulator's Crossbar requests since the last call (its log is cleared). */
function drain(em: EmulatorHandle): RequestLogEntry[] {
  const log = em.requestLog();
  em.clearRequestLog();
  return log;
}

/** Each cluster's requests since the last look came over one connection; `check` looks at them first. */
function oneConnectionEach(emus: EmulatorHandle[], what: string, check: (log: RequestLogEntry[]) => void): void {
  for (const em of emus) {
    const log = drain(em);
    check(log);
    assert.notEqual(log[0]?.connection, undefined);
    assert.equal(new Set(log.map((e) => e.connection)).size, 1, `${what} on one connection: ${JSON.stringify(log)}`);
  }
}

test('one connection per cluster carries an apply: the read and the write, and the login before them', async () => {
  const started = await coreWithClusters(opened, 'fanout-conn', Array.from({ length: CLUSTERS }, () => ({ flavor: '5.0' as const, faults: { latencyMs: 5 } })));
  const { emus, tmp } = started;
  let core = started.core;
  const name = 'Fan-out connections';
  await call(core, 'drafts.create', { name, from: { kind: 'json', doc: { name, gateways: [{ server: 'sip.fanout.example' }], rules: ['^\\+1(\\d{10})$'] } } });
  await call(core, 'targets.addMany', { draft: name, allClusters: true, scope: 'global' });
  await call(core, 'sync.plan', {});
  for (const em of emus) drain(em);

  // Creates: the scope's listing (is the carrier there already?), then the PUT.
  const created = await call(core, 'sync.apply', {});
  assert.deepEqual(created.targets.map((t) => t.outcome), Array(CLUSTERS).fill('done'));
  oneConnectionEach(emus, 'listing and create', (log) => assert.deepEqual(log.map((e) => e.method), ['GET', 'PUT'], JSON.stringify(log)));

  // A new process on the folder (its stored tokens reused): the conditional read, then the update.
  await core.close();
  core = openCore(tmp.dir);
  opened.cores.push(core);
  await call(core, 'drafts.edit', { draft: name, set: [{ path: 'weight_cost', value: 20 }] });
  const updated = await call(core, 'sync.apply', {});
  assert.deepEqual(updated.targets.map((t) => t.outcome), Array(CLUSTERS).fill('done'));
  oneConnectionEach(emus, 'read and write', (log) => assert.deepEqual(log.map((e) => e.method), ['GET', 'POST'], JSON.stringify(log)));

  // The clusters no longer accept the tokens (crossbar-spec §6.3: 401): the login and what follows it share it too.
  await call(core, 'drafts.edit', { draft: name, set: [{ path: 'weight_cost', value: 30 }] });
  for (const em of emus) em.revokeTokens();
  const relogged = await call(core, 'sync.apply', {});
  assert.deepEqual(relogged.targets.map((t) => t.outcome), Array(CLUSTERS).fill('done'));
  oneConnectionEach(emus, 'login, read and write', (log) => {
    assert.ok(log.some((e) => e.method === 'PUT' && /_auth$/.test(e.path)), `a login: ${JSON.stringify(log)}`);
    assert.equal(log.at(-1)!.method, 'POST');
  });
});

test('apply --yes leaves out the rule linter (warnings only) but not the errors that block a change; plan shows both', { timeout: 120_000 }, async () => {
  const { emus, tmp, core } = await coreWithClusters(opened, 'fanout-lint', [{ flavor: '5.0' }]);
  const em = emus[0]!;
  // No capture group: the rule linter warns that Kazoo sends the matched text itself (routing-spec §5.3, §11.10).
  await call(core, 'drafts.create', { name: 'Advised', from: { kind: 'json', doc: { name: 'Advised', gateways: [{ server: 'sip.advised.example' }], rules: ['^\\+1\\d{10}$'] } } });
  await call(core, 'targets.add', { draft: 'Advised', cluster: 'k0', scope: 'global' });
  await core.close();

  const cli = async (args: string[]) => {
    const loaded = join(tmp.dir, 'loaded.txt');
    const env = { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import "${pathToFileURL(resolve('test/support/loaded-modules.mjs')).href}"`, CARRIER_DESK_TEST_LOADED: loaded };
    const r = await runCliProcess(['--data-dir', tmp.dir, '--json', ...args], { env });
    return { ...r, modules: readFileSync(loaded, 'utf8').split('\n') };
  };
  const usesLinter = (modules: string[]) => modules.some((m) => /[\\/]node_modules[\\/]refa[\\/]/.test(m));

  const plan = await cli(['plan']);
  assert.equal(plan.code, 0, plan.err);
  const planned = JSON.parse(plan.out) as { targets: { warnings: { rule: string }[] }[] };
  assert.ok(planned.targets[0]!.warnings.some((w) => w.rule === 'no_capture_group'), plan.out);
  assert.ok(usesLinter(plan.modules), 'plan runs the rule linter');

  const applied = await cli(['apply', '--yes']);
  assert.equal(applied.code, 0, applied.err);
  assert.deepEqual((JSON.parse(applied.out) as { targets: { outcome: string }[] }).targets.map((t) => t.outcome), ['done']);
  assert.ok(!usesLinter(applied.modules), 'apply does not load the rule linter');

  // A rule Kazoo cannot compile is an error (routing-spec §5.2): apply still refuses it and sends nothing.
  em.clearRequestLog();
  const edit = await runCliProcess(['--data-dir', tmp.dir, 'drafts', 'edit', 'Advised', '--set', 'rules=["^(\\\\+1"]']);
  assert.equal(edit.code, 0, edit.err);
  const refused = await cli(['apply', '--yes']);
  assert.notEqual(refused.code, 0);
  const r = JSON.parse(refused.out) as { targets: { outcome: string; reason?: string }[] };
  assert.equal(r.targets[0]!.outcome, 'failed');
  assert.match(r.targets[0]!.reason ?? '', /rules\.0: .*does not compile/);
  assert.equal(em.requestLog().filter((e) => e.method !== 'GET').length, 0, 'nothing written to the cluster');
});

test('many creates on one cluster: never more than PER_CLUSTER_CONCURRENCY writes on the wire, each carrier created once and recorded', async () => {
  const { emus, core } = await coreWithClusters(opened, 'fanout-lane', [{ flavor: '5.0', faults: { latencyMs: 20 } }], ['lane']);
  const em = emus[0]!;
  const names = Array.from({ length: 3 * PER_CLUSTER_CONCURRENCY + 2 }, (_, i) => `Lane carrier ${i}`);
  for (const name of names) {
    await call(core, 'drafts.create', { name, from: { kind: 'json', doc: { name, gateways: [{ server: 'sip.lane.example' }] } } });
    await call(core, 'targets.addMany', { draft: name, allClusters: true, scope: 'global' });
  }
  drain(em);
  const created = await call(core, 'sync.apply', {});
  assert.deepEqual(created.targets.map((t) => t.outcome), Array(names.length).fill('done'));
  const puts = drain(em).filter((e) => e.method === 'PUT');
  assert.equal(puts.length, names.length, 'one create per carrier');
  // The most writes the cluster held at one time ([received, at] of each logged request).
  const edges = puts.flatMap((e) => [[e.received, 1], [e.at, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let cur = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (cur += d));
  assert.ok(most <= PER_CLUSTER_CONCURRENCY, `at most ${PER_CLUSTER_CONCURRENCY} writes in flight, saw ${most}`);
  // Every result was recorded before apply answered: each target is bound to its carrier, no row is left in flight.
  const plan = await call(core, 'sync.plan', {});
  assert.deepEqual(plan.targets.map((t: { action: string }) => t.action), Array(names.length).fill('noop'));
  const remote = await call(core, 'resources.list', { cluster: 'lane', scope: 'global' });
  assert.deepEqual(remote.map((r: { name: string }) => r.name).sort(), [...names].sort());
});

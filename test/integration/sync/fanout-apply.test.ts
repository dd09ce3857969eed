// Integration: one draft applied to several clusters (the fan-out of issue 16 item 2) over real HTTP to emulators.
// Each cluster's requests of one apply travel over one keep-alive connection: the write right after its read, and
// the first request right after a login, reuse the connection the previous reply came on instead of opening another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type EmulatorHandle, type RequestLogEntry } from '../../kazoo-emulator/index.ts';
import { addCluster, call, closedAfterAll, openCore, tempDir } from './helpers.ts';

const opened = closedAfterAll();
const CLUSTERS = 3;

/** The emulator's Crossbar requests since the last call (its log is cleared). */
function drain(em: EmulatorHandle): RequestLogEntry[] {
  const log = em.requestLog();
  em.clearRequestLog();
  return log;
}

function connectionsOf(log: RequestLogEntry[]): Set<number | undefined> {
  return new Set(log.map((e) => e.connection));
}

test('one connection per cluster carries an apply: the read and the write, and the login before them', async () => {
  const emus = await Promise.all(Array.from({ length: CLUSTERS }, () => startEmulator({ flavor: '5.0', faults: { latencyMs: 5 } })));
  opened.emus.push(...emus);
  const tmp = tempDir('fanout-conn');
  opened.dirs.push(tmp);
  let core = openCore(tmp.dir);
  for (const [i, em] of emus.entries()) await addCluster(core, `k${i}`, em);
  const name = 'Fan-out connections';
  await call(core, 'drafts.create', { name, from: { kind: 'json', doc: { name, gateways: [{ server: 'sip.fanout.example' }], rules: ['^\\+1(\\d{10})$'] } } });
  await call(core, 'targets.addMany', { draft: name, allClusters: true, scope: 'global' });
  await call(core, 'sync.plan', {});
  for (const em of emus) drain(em);

  // Creates: the scope's listing (is the carrier there already?), then the PUT.
  const created = await call(core, 'sync.apply', {});
  assert.deepEqual(created.targets.map((t) => t.outcome), Array(CLUSTERS).fill('done'));
  for (const em of emus) {
    const log = drain(em);
    assert.deepEqual(log.map((e) => e.method), ['GET', 'PUT'], JSON.stringify(log));
    assert.equal(connectionsOf(log).size, 1, `listing and create on one connection: ${JSON.stringify(log)}`);
    assert.notEqual(log[0]!.connection, undefined);
  }

  // A new process on the folder (its stored tokens reused): the conditional read, then the update.
  await core.close();
  core = openCore(tmp.dir);
  opened.cores.push(core);
  await call(core, 'drafts.edit', { draft: name, set: [{ path: 'weight_cost', value: 20 }] });
  const updated = await call(core, 'sync.apply', {});
  assert.deepEqual(updated.targets.map((t) => t.outcome), Array(CLUSTERS).fill('done'));
  for (const em of emus) {
    const log = drain(em);
    assert.deepEqual(log.map((e) => e.method), ['GET', 'POST'], JSON.stringify(log));
    assert.equal(connectionsOf(log).size, 1, `read and write on one connection: ${JSON.stringify(log)}`);
  }

  // The clusters no longer accept the tokens (crossbar-spec §6.3: 401): the login and what follows it share it too.
  await call(core, 'drafts.edit', { draft: name, set: [{ path: 'weight_cost', value: 30 }] });
  for (const em of emus) em.revokeTokens();
  const relogged = await call(core, 'sync.apply', {});
  assert.deepEqual(relogged.targets.map((t) => t.outcome), Array(CLUSTERS).fill('done'));
  for (const em of emus) {
    const log = drain(em);
    assert.ok(log.some((e) => e.method === 'PUT' && /_auth$/.test(e.path)), `a login: ${JSON.stringify(log)}`);
    assert.equal(log.at(-1)!.method, 'POST');
    assert.equal(connectionsOf(log).size, 1, `login, read and write on one connection: ${JSON.stringify(log)}`);
  }
});

// Integration: writes that change a target never race a change on its way to the cluster (issue 15: the unit of
// exclusion is the carrier in the world). A second connection to the real SQLite file (another process, as another
// apply would be) holds a queued or in-flight outbox row for the target: binding it to an existing carrier, "create
// anyway", removing the target, its draft or its cluster, resolving its conflict refuse with one clear message and
// change nothing. The exact interleaving
// (the row committed after the old check and before the write) is reproduced with a child process that holds the
// write lock with the row not yet committed while the bind runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import { DB_FILE, type Core } from '../../../electron/core/index.ts';
import { addCluster, call, editRemote, openCore, otherLogin, tempDir, closedAfterAll } from './helpers.ts';

const BANDWIDTH = 'f0000000000000000000000000000002';
const OTHER_ID = 'e0000000000000000000000000000009';
const { emus, cores, dirs } = closedAfterAll();

/** A draft "Bandwidth US" targeted, unbound, at five global, where a carrier of that name is (pulled). */
async function setup(prefix: string): Promise<{ core: Core; emu: EmulatorHandle; dbPath: string; targetId: string }> {
  const emu = await startEmulator({ flavor: '5.0' });
  emus.push(emu);
  const tmp = tempDir(prefix);
  dirs.push(tmp);
  const core = openCore(tmp.dir);
  cores.push(core);
  await addCluster(core, 'five', emu);
  await call(core, 'pull.run', { cluster: 'five', scope: 'global' });
  await call(core, 'drafts.create', { from: { kind: 'json', doc: { name: 'Bandwidth US', gateways: [{ server: 'sip.bw.example' }], rules: ['^\\+1'] } } });
  const added = await call(core, 'targets.add', { draft: 'Bandwidth US', cluster: 'five', scope: 'global' });
  assert.equal(added.notice?.kind, 'exists');
  return { core, emu, dbPath: join(tmp.dir, DB_FILE), targetId: added.targets[0]!.id };
}

/** The SQL of a live outbox row of the target, as another run's apply writes it (a create under its own id). */
const LIVE_ROW = `INSERT INTO outbox (target_id, op, remote_id, doc_json, state, attempts, next_attempt_at, lease_until, lease_owner, lease_pid, lease_host, created_at, updated_at)
  VALUES (@target, 'create', @remote, '{}', @state, 1, 0, @until, 'other-run', @pid, @host, 0, 0)`;

function other(dbPath: string): Database.Database {
  const db = new Database(dbPath);
  db.pragma('busy_timeout = 5000');
  return db;
}

async function refused(core: Core, method: 'targets.add' | 'targets.remove' | 'drafts.remove' | 'clusters.remove', args: object, pattern: RegExp): Promise<void> {
  const r = await core.dispatch(method, args as never);
  assert.equal(r.ok, false, `${method} ${JSON.stringify(args)} must be refused`);
  assert.match(!r.ok ? r.error.message : '', pattern);
}

test('a change in flight from another connection: bind, create anyway, removing the target, draft or cluster refuse and change nothing', async () => {
  const { core, dbPath, targetId } = await setup('in-flight');
  const db = other(dbPath);
  db.prepare(LIVE_ROW).run({ target: targetId, remote: OTHER_ID, state: 'in_flight', until: Date.now() + 600_000, pid: process.pid, host: hostname() });
  const row = () => db.prepare('SELECT * FROM draft_targets WHERE id = ?').get(targetId);
  const before = row();
  const sending = /A change to draft 'Bandwidth US' on five global is being sent; try again when it is done/;
  await refused(core, 'targets.add', { draft: 'Bandwidth US', cluster: 'five', scope: 'global', resourceId: BANDWIDTH }, sending);
  await refused(core, 'targets.add', { draft: 'Bandwidth US', cluster: 'five', scope: 'global', createAnyway: true }, sending);
  await refused(core, 'targets.remove', { draft: 'Bandwidth US', cluster: 'five', scope: 'global' }, sending);
  await refused(core, 'drafts.remove', { draft: 'Bandwidth US' }, sending);
  await refused(core, 'clusters.remove', { cluster: 'five' }, /A change to a carrier on five is being sent; try again when it is done/);
  assert.deepEqual(row(), before, 'the target is exactly as it was');
  assert.deepEqual(db.prepare("SELECT state FROM outbox WHERE target_id = ?").all(targetId), [{ state: 'in_flight' }], 'the row in flight is kept');

  // Once the other run recorded its end, the bind goes through.
  db.prepare("UPDATE outbox SET state = 'done', lease_owner = NULL WHERE target_id = ?").run(targetId);
  const bound = await call(core, 'targets.add', { draft: 'Bandwidth US', cluster: 'five', scope: 'global', resourceId: BANDWIDTH });
  assert.equal(bound.targets[0]!.remoteId, BANDWIDTH);
  db.close();
});

test('a queued change: bind and create anyway refuse; removing the target takes the queued row with it', async () => {
  const { core, dbPath, targetId } = await setup('queued');
  const db = other(dbPath);
  db.prepare(LIVE_ROW).run({ target: targetId, remote: OTHER_ID, state: 'queued', until: null, pid: null, host: null });
  const queued = /A change to draft 'Bandwidth US' on five global is queued to be sent; try again when it is done/;
  await refused(core, 'targets.add', { draft: 'Bandwidth US', cluster: 'five', scope: 'global', resourceId: BANDWIDTH }, queued);
  await refused(core, 'targets.add', { draft: 'Bandwidth US', cluster: 'five', scope: 'global', createAnyway: true }, queued);
  assert.deepEqual(db.prepare('SELECT remote_id, create_anyway FROM draft_targets WHERE id = ?').get(targetId), { remote_id: null, create_anyway: 0 });
  // Nothing of a queued row is on the wire: the delete removes both at once, and no run can take the row afterwards.
  await call(core, 'targets.remove', { draft: 'Bandwidth US', cluster: 'five', scope: 'global' });
  assert.deepEqual(db.prepare('SELECT COUNT(*) AS n FROM outbox').get(), { n: 0 });
  db.close();
});

test('interleaved: another process commits a change in flight after the bind looked and before it writes; the bind refuses', async () => {
  const { core, dbPath, targetId } = await setup('interleave');
  // The child takes the write lock, writes the row without committing it (invisible to the bind's reads), says so,
  // and commits a moment later: the bind's reads see no row; its write waits for the lock and comes after the commit.
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1]);
    db.pragma('busy_timeout = 5000');
    db.prepare('BEGIN IMMEDIATE').run();
    db.prepare(process.argv[2]).run(JSON.parse(process.argv[3]));
    process.stdout.write('locked\\n');
    setTimeout(() => { db.prepare('COMMIT').run(); db.close(); }, 1500);`;
  const params = { target: targetId, remote: OTHER_ID, state: 'in_flight', until: Date.now() + 600_000, pid: process.pid, host: hostname() };
  const child = spawn(process.execPath, ['-e', script, dbPath, LIVE_ROW, JSON.stringify(params)], { stdio: ['ignore', 'pipe', 'inherit'], cwd: process.cwd() });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => b.toString().includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`the child ended (${code}) before it held the lock`)));
  });
  const r = await core.dispatch('targets.add', { draft: 'Bandwidth US', cluster: 'five', scope: 'global', resourceId: BANDWIDTH });
  assert.equal(await exited, 0);
  assert.equal(r.ok, false, 'the bind must not land beside the send');
  assert.match(!r.ok ? r.error.message : '', /is being sent; try again when it is done/);
  const db = other(dbPath);
  assert.deepEqual(db.prepare('SELECT remote_id, base_revision, create_anyway FROM draft_targets WHERE id = ?').get(targetId), { remote_id: null, base_revision: null, create_anyway: 0 });
  db.close();
});

test('resolving a conflict while a change to the target is in flight refuses and saves nothing', async () => {
  const { core, emu, dbPath } = await setup('resolve');
  const bound = await call(core, 'drafts.create', { from: { kind: 'snapshot', cluster: 'five', scope: 'global', id: BANDWIDTH, bind: true }, name: 'BW bound' });
  const targetId = bound.targets[0]!.id;
  await editRemote(emu, await otherLogin(emu), 'global', BANDWIDTH, (d) => (d.weight_cost = 7));
  await call(core, 'drafts.edit', { draft: 'BW bound', set: [{ path: 'weight_cost', value: 9 }] });
  assert.equal((await call(core, 'sync.plan', { draft: 'BW bound' })).targets[0]!.action, 'conflict');
  const db = other(dbPath);
  db.prepare(LIVE_ROW).run({ target: targetId, remote: BANDWIDTH, state: 'in_flight', until: Date.now() + 600_000, pid: process.pid, host: hostname() });
  const target = () => db.prepare('SELECT * FROM draft_targets WHERE id = ?').get(targetId);
  const before = target();
  const versions = () => db.prepare('SELECT COUNT(*) AS n FROM draft_versions WHERE draft_id = ?').get(bound.id);
  const saved = versions();
  const r = await core.dispatch('sync.resolve', { draft: 'BW bound', cluster: 'five', scope: 'global', choices: {}, default: 'theirs' });
  assert.equal(r.ok, false, 'resolve must not land beside the send');
  assert.match(!r.ok ? r.error.message : '', /A change to draft 'BW bound' on five global is being sent; try again when it is done/);
  assert.deepEqual([target(), versions()], [before, saved], 'neither the target nor the draft changed');
  db.prepare("UPDATE outbox SET state = 'done', lease_owner = NULL WHERE target_id = ?").run(targetId);
  await call(core, 'sync.resolve', { draft: 'BW bound', cluster: 'five', scope: 'global', choices: {}, default: 'theirs' });
  db.close();
});

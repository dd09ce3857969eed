// Integration: one carrier pushed to three emulator clusters of mixed flavors (5.0 global, 4.3 account, 5.0
// global): create everywhere, noop, update, merge and conflict after out-of-band edits, resolve, saved plans,
// a cluster offline then back (outbox), delete; audit, export/import and secrets at rest.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import type { Core } from '../../../electron/core/index.ts';
import { ACME, addCluster, call, editRemote, openCore, otherLogin, remoteDocs, ShiftClock, tempDir, until } from './helpers.ts';

const PASSWORD = 'gw-Secret-Pass-77';
const emus: EmulatorHandle[] = [];
const dirs: { cleanup: () => void }[] = [];
const cores: Core[] = [];
after(async () => {
  for (const c of cores) await c.close();
  for (const e of emus) await e.close();
  for (const d of dirs) d.cleanup();
});

test('plan/apply across three clusters with merges, conflicts, offline and delete', async () => {
  const [a, b, c] = await Promise.all([startEmulator({ flavor: '5.0' }), startEmulator({ flavor: '4.3' }), startEmulator({ flavor: '5.0' })]);
  emus.push(a!, b!, c!);
  const tmp = tempDir('multi');
  dirs.push(tmp);
  const clock = new ShiftClock();
  const core = openCore(tmp.dir, clock);
  cores.push(core);
  await addCluster(core, 'alpha', a!);
  await addCluster(core, 'beta', b!);
  await addCluster(core, 'gamma', c!);
  const tokens = { a: await otherLogin(a!), b: await otherLogin(b!), c: await otherLogin(c!) };
  const targets = [
    { emu: a!, token: tokens.a, cluster: 'alpha', scope: 'global' },
    { emu: b!, token: tokens.b, cluster: 'beta', scope: ACME },
    { emu: c!, token: tokens.c, cluster: 'gamma', scope: 'global' },
  ];
  const named = async (t: (typeof targets)[number], name: string) => (await remoteDocs(t.emu, t.token, t.scope)).filter((d) => d.name === name);

  // ---- create everywhere
  const draft = await call(core, 'drafts.create', {
    name: 'Carrier X',
    from: {
      kind: 'json',
      doc: {
        name: 'Carrier X',
        gateways: [{ server: 'sip1.x.example', username: 'u1', password: PASSWORD }, { server: 'sip2.x.example', prefix: '9' }],
        rules: ['^\\+?1?(\\d{10})$'], cid_rules: ['^\\+1'], flags: ['wholesale'], classifiers: { tollfree_us: { weight_cost: 10 } },
        custom_unknown_field: { kept: true },
      },
    },
  });
  for (const t of targets) await call(core, 'targets.add', { draft: draft.id, cluster: t.cluster, scope: t.scope });
  const v = await call(core, 'drafts.validate', { draft: draft.id });
  assert.equal(v.ok, true, JSON.stringify(v));
  let plan = await call(core, 'sync.plan', {});
  assert.deepEqual(plan.summary, { create: 3, update: 0, delete: 0, noop: 0, conflict: 0, blocked: 0 });
  assert.ok(!JSON.stringify(plan).includes(PASSWORD), 'plans never show secrets');
  let res = await call(core, 'sync.apply', {});
  assert.equal(res.ok, true, JSON.stringify(res));
  for (const t of targets) {
    const docs = await named(t, 'Carrier X');
    assert.equal(docs.length, 1, `exactly one on ${t.cluster}`);
    assert.deepEqual(docs[0].custom_unknown_field, { kept: true }, 'unknown fields are sent untouched');
    assert.equal(docs[0].gateways[0].password, PASSWORD);
  }

  // ---- a fresh create is a noop on the next plan (server defaults ignored)
  plan = await call(core, 'sync.plan', {});
  assert.deepEqual(plan.summary, { create: 0, update: 0, delete: 0, noop: 3, conflict: 0, blocked: 0 }, JSON.stringify(plan.targets.map((t) => t.changes)));

  // ---- update
  await call(core, 'drafts.edit', { draft: 'Carrier X', set: [{ path: 'gateways.1.server', value: 'sip3.x.example' }] });
  plan = await call(core, 'sync.plan', {});
  assert.equal(plan.summary.update, 3);
  assert.deepEqual(plan.targets[0]!.changes.map((ch) => ch.path), ['gateways.1.server']);
  res = await call(core, 'sync.apply', {});
  assert.equal(res.ok, true, JSON.stringify(res));
  for (const t of targets) assert.equal((await named(t, 'Carrier X'))[0].gateways[1].server, 'sip3.x.example');

  // ---- out-of-band edits: alpha changes another field (merge), beta the same field (conflict)
  const ids = Object.fromEntries(await Promise.all(targets.map(async (t) => [t.cluster, (await named(t, 'Carrier X'))[0].id])));
  await editRemote(a!, tokens.a, 'global', ids.alpha, (d) => (d.weight_cost = 7));
  await editRemote(b!, tokens.b, ACME, ids.beta, (d) => (d.gateways[0].server = 'theirs.x.example'));
  await call(core, 'drafts.edit', { draft: 'Carrier X', set: [{ path: 'gateways.0.server', value: 'mine.x.example' }] });
  plan = await call(core, 'sync.plan', {});
  const by = Object.fromEntries(plan.targets.map((t) => [t.clusterName, t]));
  assert.equal(by.alpha!.action, 'update');
  assert.deepEqual(by.alpha!.merged, ['weight_cost']);
  assert.equal(by.beta!.action, 'conflict');
  assert.deepEqual(by.beta!.conflicts.map((x) => [x.path, x.mine, x.theirs]), [['gateways.0.server', 'mine.x.example', 'theirs.x.example']]);
  assert.equal(by.gamma!.action, 'update');
  res = await call(core, 'sync.apply', {});
  assert.equal(res.ok, false, 'a conflict is not success');
  const alphaDoc = (await named(targets[0]!, 'Carrier X'))[0];
  assert.equal(alphaDoc.weight_cost, 7, 'the out-of-band change was kept, not overwritten');
  assert.equal(alphaDoc.gateways[0].server, 'mine.x.example');
  assert.equal((await named(targets[1]!, 'Carrier X'))[0].gateways[0].server, 'theirs.x.example', 'nothing sent to the conflicting target');

  // ---- resolve field by field: keep mine
  await call(core, 'sync.resolve', { draft: 'Carrier X', cluster: 'beta', scope: ACME, choices: { 'gateways.0.server': 'mine' } });
  plan = await call(core, 'sync.plan', { cluster: 'beta' });
  assert.equal(plan.targets[0]!.action, 'update');
  res = await call(core, 'sync.apply', { cluster: 'beta' });
  assert.equal(res.ok, true, JSON.stringify(res));
  assert.equal((await named(targets[1]!, 'Carrier X'))[0].gateways[0].server, 'mine.x.example');

  // ---- a saved plan refuses a target changed since, applies the others
  await call(core, 'drafts.edit', { draft: 'Carrier X', set: [{ path: 'flags', value: ['wholesale', 'cheap'] }] });
  const saved = (await call(core, 'sync.plan', {})).saved;
  await editRemote(c!, tokens.c, 'global', ids.gamma, (d) => (d.emergency = false, d.grace_period = 9));
  res = await call(core, 'sync.apply', { plan: saved });
  const out = Object.fromEntries(res.targets.map((t) => [t.clusterName, t.outcome]));
  assert.deepEqual(out, { alpha: 'done', beta: 'done', gamma: 'refused' });
  assert.equal((await named(targets[2]!, 'Carrier X'))[0].grace_period, 9);
  res = await call(core, 'sync.apply', {});
  assert.equal(res.ok, true, JSON.stringify(res));
  const gammaDoc = (await named(targets[2]!, 'Carrier X'))[0];
  assert.deepEqual([gammaDoc.grace_period, gammaDoc.flags], [9, ['wholesale', 'cheap']]);

  // ---- a cluster offline: queued in the outbox, drained by the background task once it answers
  await c!.goOffline();
  await call(core, 'drafts.edit', { draft: 'Carrier X', set: [{ path: 'cid_rules.1', value: '^\\+44' }] });
  res = await call(core, 'sync.apply', {});
  assert.equal(res.ok, false);
  const gammaRes = res.targets.find((t) => t.clusterName === 'gamma')!;
  assert.equal(gammaRes.outcome, 'queued', JSON.stringify(gammaRes));
  const queued = await call(core, 'outbox.list', {});
  assert.equal(queued.length, 1);
  assert.equal(queued[0]!.state, 'queued');
  assert.match(queued[0]!.reason ?? gammaRes.reason ?? '', /did not answer|unreachable|refused/i);
  await c!.goOnline();
  core.background.start();
  clock.offset += 3_600_000;
  core.background.wake('outbox');
  await until(async () => (await call(core, 'outbox.list', {})).length === 0, 'the outbox to drain');
  assert.deepEqual((await named(targets[2]!, 'Carrier X'))[0].cid_rules, ['^\\+1', '^\\+44']);
  await core.background.stop();
  plan = await call(core, 'sync.plan', {});
  assert.equal(plan.summary.noop, 3, JSON.stringify(plan.targets.map((t) => [t.clusterName, t.action, t.changes])));

  // ---- matrix
  const m = await call(core, 'sync.matrix', {});
  const draftRows = m.rows.filter((r) => r.draftId);
  assert.equal(draftRows.length, 1);
  assert.deepEqual(Object.values(draftRows[0]!.cells).map((c) => c.state), ['in-sync', 'in-sync', 'in-sync']);

  // ---- audit: every change recorded, secrets redacted
  const audit = await call(core, 'audit.export', {});
  assert.ok(audit.count >= 9, `audit count ${audit.count}`);
  assert.ok(!audit.text.includes(PASSWORD));
  const first = JSON.parse(audit.text.split('\n')[0]!);
  assert.equal(first.action, 'create');
  assert.ok(first.diff.some((d: { path: string }) => d.path === 'gateways'));

  // ---- export/import: deterministic, secrets only on request
  const ex1 = await call(core, 'bundle.export', {});
  const ex2 = await call(core, 'bundle.export', {});
  assert.equal(ex1.text, ex2.text, 'deterministic');
  assert.ok(!ex1.text.includes(PASSWORD));
  const withSecrets = await call(core, 'bundle.export', { includeSecrets: true });
  assert.ok(withSecrets.text.includes(PASSWORD));
  const other = tempDir('import');
  dirs.push(other);
  const core2 = openCore(other.dir);
  cores.push(core2);
  const imp = await call(core2, 'bundle.import', { text: ex1.text });
  assert.deepEqual(imp.created, ['Carrier X']);
  const v2 = await call(core2, 'drafts.validate', { draft: 'Carrier X' });
  assert.ok(v2.local.some((i) => i.rule === 'secret_missing' && i.path === 'gateways.0.password'));
  // re-importing into the original keeps its secret
  const again = await call(core, 'bundle.import', { text: ex1.text });
  assert.deepEqual(again.unchanged, ['Carrier X']);

  // ---- delete everywhere
  await call(core, 'drafts.markDelete', { draft: 'Carrier X', deleted: true });
  plan = await call(core, 'sync.plan', {});
  assert.equal(plan.summary.delete, 3);
  res = await call(core, 'sync.apply', {});
  assert.equal(res.ok, true, JSON.stringify(res));
  for (const t of targets) assert.equal((await named(t, 'Carrier X')).length, 0);
  assert.equal((await call(core, 'sync.plan', {})).summary.noop, 3);

  // ---- history: every save is a version, any can be restored
  const hist = await call(core, 'drafts.history', { draft: 'Carrier X' });
  assert.ok(hist.length >= 6);
  const restored = await call(core, 'drafts.restore', { draft: 'Carrier X', version: 1 });
  assert.equal(restored.version, hist.length + 1);
  assert.equal((restored.doc.gateways as { server: string }[])[1]!.server, 'sip2.x.example');

  // ---- secrets at rest: the store never holds the gateway password in clear
  core.db.pragma('wal_checkpoint(TRUNCATE)');
  for (const f of readdirSync(tmp.dir)) {
    if (!f.startsWith('carrier-desk.sqlite')) continue;
    assert.ok(!readFileSync(join(tmp.dir, f)).includes(PASSWORD), `${f} holds the password in clear`);
  }
});

test('a cluster answering like the public docs (numbers as strings, successes) still plans noop after create', async () => {
  const emu = await startEmulator({ flavor: '4.3', faults: { docsQuirks: true } });
  emus.push(emu);
  const tmp = tempDir('quirks');
  dirs.push(tmp);
  const core = openCore(tmp.dir);
  cores.push(core);
  await addCluster(core, 'quirky', emu);
  await call(core, 'drafts.create', { name: 'Quirk', from: { kind: 'json', doc: { name: 'Quirk', gateways: [{ server: 'q.example', port: 5080 }], rules: ['^1'], weight_cost: 20 } } });
  await call(core, 'targets.add', { draft: 'Quirk', cluster: 'quirky', scope: ACME });
  assert.equal((await call(core, 'sync.apply', {})).ok, true);
  const plan = await call(core, 'sync.plan', {});
  assert.equal(plan.summary.noop, 1, JSON.stringify(plan.targets[0]));
  await call(core, 'drafts.edit', { draft: 'Quirk', set: [{ path: 'gateways.0.port', value: 5090 }] });
  const p2 = await call(core, 'sync.plan', {});
  assert.deepEqual(p2.targets[0]!.changes.map((c) => c.path), ['gateways.0.port']);
  assert.equal((await call(core, 'sync.apply', {})).ok, true);
  assert.equal((await call(core, 'sync.plan', {})).summary.noop, 1);
});

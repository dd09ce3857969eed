// Two processes on one data folder: an app host runs (in this process) while `carrier-desk` commands run in child
// processes. What a command changes is what the app then uses (a cluster edited to another address is checked
// there), and every change reaches the app's WebSocket clients as the event a change made in the app would send.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../../kazoo-emulator/index.ts';
import { tempDir } from '../../support/temp.ts';
import { startInProcessHost, stubRenderer } from '../../support/app-host.ts';
import { runCliProcess } from '../../support/cli.ts';
import { addCluster, call } from '../../support/core-calls.ts';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { connectEvents } from '../../support/ws-client.ts';
import { startHostileCluster } from '../../support/hostile-cluster.ts';

test('a cluster moved to another address by the CLI is checked at the new address by the running app', async (t) => {
  const [oldEmu, newEmu] = await Promise.all([startEmulator({ flavor: '5.0' }), startEmulator({ flavor: '5.0' })]);
  const dir = tempDir();
  const data = join(dir.path, 'data');
  mkdirSync(data);
  const host = await startInProcessHost(data, { rendererDir: stubRenderer(dir.path), background: false });
  t.after(async () => {
    await host.close();
    await Promise.all([oldEmu.close(), newEmu.close()]);
    dir.remove();
  });
  await addCluster(host.core, 'lab', oldEmu);
  // The app has a client for the old address, with a session.
  await call(host.core, 'clusters.check', { cluster: 'lab' });

  const edit = await runCliProcess(['--data-dir', data, 'clusters', 'edit', 'lab', '--url', newEmu.url, '--no-check']);
  assert.equal(edit.code, 0, edit.err);
  oldEmu.clearRequestLog();
  newEmu.clearRequestLog();

  const checked = await call(host.core, 'clusters.check', { cluster: 'lab' });
  assert.equal(checked.baseUrl, newEmu.url);
  assert.equal(checked.status.kind, 'ready');
  assert.ok(newEmu.requestLog().length > 0, 'the check went to the new address');
  assert.deepEqual(oldEmu.requestLog(), [], 'nothing more goes to the old address');
});

test('profiles, drafts, targets, the outbox, settings and number lists changed by the CLI reach the app\'s views as events', async (t) => {
  const emu = await startEmulator({ flavor: '5.0' });
  const dir = tempDir();
  const data = join(dir.path, 'data');
  mkdirSync(data);
  const host = await startInProcessHost(data, { rendererDir: stubRenderer(dir.path) });
  const ws = await connectEvents(host.web);
  t.after(async () => {
    ws.close();
    await host.close();
    await emu.close();
    dir.remove();
  });
  const cli = async (...args: string[]) => {
    const r = await runCliProcess(['--data-dir', data, ...args]);
    assert.equal(r.code, 0, `carrier-desk ${args.join(' ')}: ${r.err}${r.out}`);
    return r.out;
  };
  await addCluster(host.core, 'lab', emu);
  const clusterId = host.core.services.clusters.get('lab').id;
  ws.clear();

  await cli('clusters', 'edit', 'lab', '--rename', 'lab-2', '--no-check');
  await ws.next('clusters.changed', (p) => p.cluster.id === clusterId && p.cluster.name === 'lab-2');

  await cli('drafts', 'create', '--name', 'From the CLI');
  const draft = host.core.services.sync.drafts.list().find((d) => d.name === 'From the CLI')!;
  await ws.next('drafts.changed', (p) => p.draftId === draft.id);
  ws.clear();
  await cli('drafts', 'edit', 'From the CLI', '--set', 'gateways=[{"server":"gw.example.com"}]', '--set', 'rules=["^1?([0-9]{10})$"]');
  await ws.next('drafts.changed', (p) => p.draftId === draft.id);
  ws.clear();
  await cli('targets', 'add', 'From the CLI', 'lab-2', '--global');
  await ws.next('drafts.changed', (p) => p.draftId === draft.id);

  // An apply from the CLI while the cluster does not answer: queued in the outbox; the app hears of it, and its own
  // outbox task sends it once the cluster is back (nothing in the app process was told by a call).
  await emu.goOffline();
  ws.clear();
  const applied = await runCliProcess(['--data-dir', data, 'apply', '--yes']);
  assert.equal(applied.code, 1, applied.out);
  assert.match(applied.out, /^QUEUED\s+blocked\s+From the CLI → lab-2 global/m);
  await ws.next('outbox.changed', (p) => p.queued === 1);
  await ws.next('drafts.changed', (p) => p.draftId === draft.id);
  await emu.goOnline();
  await ws.next('outbox.changed', (p) => p.queued === 0 && p.inFlight === 0, 60_000);
  assert.equal(host.core.services.sync.store.outbox.list(false).length, 0, 'sent by the app after the CLI queued it');

  ws.clear();
  await cli('settings', 'set', 'jobs.chunkSize', '250');
  await ws.next('settings.changed', (p) => p.keys.includes('jobs.chunkSize'));
  assert.equal(host.core.ctx.settings.current<number>('jobs.chunkSize'), 250);

  const csv = join(dir.path, 'numbers.csv');
  writeFileSync(csv, '+14155550100\n+14155550101\n');
  await cli('numbers', 'import', csv, '--list', 'from-cli');
  const lists = await ws.next('numbers.listsChanged');
  assert.equal(lists.listIds.length, 1);

  ws.clear();
  await cli('clusters', 'remove', 'lab-2');
  await ws.next('clusters.removed', (p) => p.clusterId === clusterId);
  await ws.next('drafts.changed', (p) => p.draftId === draft.id);
});

test('a check the old address answers after the CLI moved the cluster is not kept: neither its token (never sent to the new address) nor its status', async (t) => {
  const [oldEmu, newEmu] = await Promise.all([startEmulator({ flavor: '5.0' }), startEmulator({ flavor: '5.0' })]);
  // In front of the old address: once armed, a request with a token is refused (the app then logs in again) and that
  // login's reply is held back until the test lets it through, after the move.
  let armed = false;
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const proxy = await startHostileCluster(oldEmu.url, (req) =>
    !armed ? { kind: 'forward' } : req.url?.startsWith('/v2/user_auth') ? { kind: 'forward', until: held } : { kind: 'unauthorized' },
  );
  const dir = tempDir();
  const data = join(dir.path, 'data');
  mkdirSync(data);
  const host = await startInProcessHost(data, { rendererDir: stubRenderer(dir.path), background: false });
  t.after(async () => {
    release();
    await host.close();
    await proxy.close();
    await Promise.all([oldEmu.close(), newEmu.close()]);
    dir.remove();
  });
  await call(host.core, 'clusters.add', { name: 'lab', url: proxy.url, auth: { kind: 'user', accountName: 'Master', username: 'admin', password: 'demo-admin-pass' } });
  const probedAt = host.core.ctx.clusters.find('lab')!.probed_at;
  armed = true;
  const mark = proxy.seen.length;
  const inFlight = call(host.core, 'clusters.check', { cluster: 'lab' }).catch(() => undefined);
  while (!proxy.seen.slice(mark).includes('PUT /v2/user_auth')) await new Promise((r) => setTimeout(r, 20));

  const edit = await runCliProcess(['--data-dir', data, 'clusters', 'edit', 'lab', '--url', newEmu.url, '--no-check']);
  assert.equal(edit.code, 0, edit.err);
  // The old address now answers the login: that request was already running there and finishes there.
  armed = false;
  release();
  await inFlight;
  // What the old address answered says nothing about the new one: the profile still reads "not checked yet".
  const moved = host.core.ctx.clusters.find('lab')!;
  assert.equal(moved.base_url, newEmu.url);
  assert.deepEqual([moved.reachability, moved.login, moved.probed_at], ['unknown', 'unknown', probedAt], 'the old address’s late answer is not shown as the new one’s status');

  newEmu.clearRequestLog();
  const checked = await call(host.core, 'clusters.check', { cluster: 'lab' });
  assert.equal(checked.status.kind, 'ready');
  const refused = newEmu.requestLog().filter((r) => r.status === 401);
  assert.deepEqual(refused, [], 'the new address was never sent the old address\u2019s token');
});

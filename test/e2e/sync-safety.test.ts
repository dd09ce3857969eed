// End-to-end (Chromium): plans that read like the change made and an apply that asks first (issue 14 item 8), a
// carrier that already exists on the target cluster (item 7), and the app's apply beside a CLI apply on the same
// data folder (issue 15 item 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { tempDir } from '../support/temp.ts';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser.ts';
import { startInProcessHost, type InProcessHost } from '../support/app-host.ts';
import { startEmulator, type EmulatorHandle } from '../kazoo-emulator/index.ts';
import { ClustersPage } from './pages/ClustersPage.ts';
import { DraftsPage } from './pages/DraftsPage.ts';
import { runCli } from '../integration/sync/helpers.ts';
import { startProxy } from '../integration/kazoo-client/proxy.ts';
import type { ApplyResult } from '../../electron/shared/contract/sync.ts';

const login = { accountName: 'Master', username: 'admin', password: 'demo-admin-pass' };

/** Full global documents of an emulator, read as another admin would (plain Crossbar HTTP). */
async function globalDocs(emu: EmulatorHandle): Promise<Record<string, unknown>[]> {
  const credentials = createHash('md5').update(`${login.username}:${login.password}`).digest('hex');
  const auth = await fetch(`${emu.url}/v2/user_auth`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { account_name: login.accountName, credentials } }) });
  const headers = { 'x-auth-token': ((await auth.json()) as { auth_token: string }).auth_token };
  const list = ((await (await fetch(`${emu.url}/v2/resources?page_size=500`, { headers })).json()) as { data: { id: string }[] }).data;
  return Promise.all(list.map(async (i) => ((await (await fetch(`${emu.url}/v2/resources/${i.id}`, { headers })).json()) as { data: Record<string, unknown> }).data));
}

interface Setup {
  page: BrowserSession['page'];
  host: InProcessHost;
  dir: string;
  drafts: DraftsPage;
}

async function setup(t: { after: (fn: () => Promise<void>) => void }, name: string, emus: [string, EmulatorHandle][]): Promise<Setup> {
  const dir = tempDir();
  const host = await startInProcessHost(dir.path);
  const browser = await openBrowser({ width: 1280, height: 900 });
  let passed = false;
  t.after(async () => {
    if (!passed) await screenshot(browser.page, `${name}-failure`).catch(() => {});
    await browser.close();
    await host.close();
    await Promise.all(emus.map(([, e]) => e.close()));
    dir.remove();
  });
  await browser.page.goto(host.web.url);
  const clusters = new ClustersPage(browser.page);
  await clusters.open();
  for (const [n, e] of emus) await clusters.add({ name: n, url: e.url, ...login });
  const done = () => {
    assert.deepEqual(browser.problems, []);
    passed = true;
  };
  return Object.assign({ page: browser.page, host, dir: dir.path, drafts: new DraftsPage(browser.page) }, { done });
}

test('plan diffs: a new carrier as a field tree, a reordered gateway as a move; apply asks first with the counts', async (t) => {
  const e50 = await startEmulator({ flavor: '5.0' });
  const s = (await setup(t, 'sync-diffs', [['prod-50', e50]])) as Setup & { done: () => void };
  const { page, drafts } = s;
  await drafts.open();
  await drafts.create('Move Carrier');
  await drafts.addGateway({ server: 'gw1.move.example', username: 'one', password: 'First#Secret1' });
  await drafts.addGateway({ server: 'gw2.move.example', password: 'Second#Secret2' });
  await drafts.addGateway({ server: 'gw3.move.example', password: 'Third#Secret3' });
  await drafts.addRule('^\\+1(\\d{10})$');
  await drafts.save('three gateways');
  await drafts.tab('Targets & sync');
  await drafts.addTarget('prod-50');
  assert.match(await drafts.plan(), /1 to create/);

  // The new carrier's gateways read as fields, secrets masked, never as one line of JSON.
  const gateways = drafts.planTarget('prod-50').getByTestId('diff-gateways');
  const tree = gateways.getByTestId('value-tree');
  await tree.getByText('"gw3.move.example"').or(tree.getByText('gw3.move.example')).first().waitFor();
  const treeText = (await tree.textContent()) ?? '';
  assert.match(treeText, /\[0\][\s\S]*server[\s\S]*gw1\.move\.example/);
  assert.doesNotMatch(treeText, /\{"/, 'not a JSON blob');
  assert.doesNotMatch((await page.content()) ?? '', /Secret[123]/, 'no gateway password on the page');
  await screenshot(page, 'plan-create-tree');

  // Apply asks first, with what will happen per cluster; Cancel sends nothing.
  assert.deepEqual(await drafts.startApply(), { 'prod-50': { create: 1, update: 0, delete: 0, queued: 0, blocked: 0, conflict: 0 } });
  await screenshot(page, 'apply-confirm');
  await drafts.confirmDialog.getByRole('button', { name: 'Cancel' }).click();
  await drafts.confirmDialog.getByRole('table').waitFor({ state: 'detached' });
  assert.equal((await globalDocs(e50)).filter((d) => d.name === 'Move Carrier').length, 0, 'cancelled: nothing sent');
  await drafts.startApply();
  assert.match(await drafts.confirmApply(), /every target succeeded/);

  // Gateway 3 to the top: the plan shows one move, nothing removed, and no password in any row.
  await drafts.tab('Edit');
  await page.getByRole('button', { name: 'Move gateway 3 up' }).click();
  await page.getByRole('button', { name: 'Move gateway 2 up' }).click();
  await drafts.save('gateway 3 first');
  await drafts.tab('Targets & sync');
  assert.match(await drafts.plan(), /1 to update/);
  const rows = await drafts.diffRows('prod-50');
  assert.deepEqual(
    rows.map((r) => [r.path, r.kind]),
    [['gateways.0', 'moved']],
    JSON.stringify(rows),
  );
  assert.match(rows[0]!.text, /gateway gw3\.move\.example:5060.*position 3.*position 1/);
  await screenshot(page, 'plan-moved-gateway');
  assert.deepEqual(await drafts.startApply(), { 'prod-50': { create: 0, update: 1, delete: 0, queued: 0, blocked: 0, conflict: 0 } });
  assert.match(await drafts.confirmApply(), /every target succeeded/);
  const stored = (await globalDocs(e50)).find((d) => d.name === 'Move Carrier')!;
  const gws = stored.gateways as { server: string; password: string }[];
  assert.deepEqual(gws.map((g) => [g.server, g.password]), [['gw3.move.example', 'Third#Secret3'], ['gw1.move.example', 'First#Secret1'], ['gw2.move.example', 'Second#Secret2']]);
  s.done();
});

test('a carrier that already exists: same id binds and updates; same name is held back until bound', async (t) => {
  const [e43, e50] = await Promise.all([startEmulator({ flavor: '4.3' }), startEmulator({ flavor: '5.0' })]);
  const s = (await setup(t, 'sync-existing', [['lab-43', e43], ['prod-50', e50]])) as Setup & { done: () => void };
  const { page, drafts, host } = s;
  // Telia Wholesale drafted from lab-43 (bound there); prod-50 has it under the same id.
  const telia = await host.core.dispatch('drafts.create', { from: { kind: 'snapshot', cluster: 'lab-43', scope: 'global', id: 'f0000000000000000000000000000001' } });
  assert.ok(telia.ok);
  await drafts.open();
  await drafts.select('Telia Wholesale');
  await drafts.tab('Targets & sync');
  await drafts.addTarget('prod-50');
  await drafts.plan();
  assert.notEqual(await drafts.planAction('prod-50'), 'create');
  await drafts.planTarget('prod-50').getByText('resource f0000000000000000000000000000001').waitFor();

  // Bandwidth US drafted from scratch: prod-50 (pulled) has a carrier of that name under its own id.
  assert.ok((await host.core.dispatch('pull.run', { cluster: 'prod-50', scope: 'global', all: false })).ok);
  assert.ok((await host.core.dispatch('drafts.create', { from: { kind: 'json', doc: { name: 'Bandwidth US', gateways: [{ server: 'sip.bw.example' }], rules: ['^\\+1'] } } })).ok);
  await drafts.select('Bandwidth US');
  await drafts.tab('Targets & sync');
  await drafts.addTarget('prod-50');
  await page.getByTestId('target-notice').filter({ hasText: "prod-50 global already has a carrier of this name: 'Bandwidth US'" }).waitFor();
  await drafts.plan();
  assert.equal(await drafts.planAction('prod-50'), 'blocked');
  await drafts.planTarget('prod-50').getByText(/Kazoo does not refuse a second carrier with the same name \(crossbar-spec §1\.5\)/).waitFor();
  await screenshot(page, 'plan-exists-unbound');
  await drafts.planTarget('prod-50').getByRole('button', { name: /^Update 'Bandwidth US' \(f0000000…\) instead$/ }).click();
  await drafts.planTarget('prod-50').getByTestId('plan-action').filter({ hasText: 'update' }).waitFor();
  assert.deepEqual(await drafts.startApply(), { 'prod-50': { create: 0, update: 1, delete: 0, queued: 0, blocked: 0, conflict: 0 } });
  assert.match(await drafts.confirmApply(), /every target succeeded/);
  const bw = (await globalDocs(e50)).filter((d) => d.name === 'Bandwidth US');
  assert.deepEqual(bw.map((d) => [d.id, (d.gateways as { server: string }[])[0]!.server]), [['f0000000000000000000000000000002', 'sip.bw.example']]);
  s.done();
});

test("the app's apply beside a CLI apply on the same folder: one carrier, the app says it joined", { timeout: 240_000 }, async (t) => {
  const e50 = await startEmulator({ flavor: '5.0' });
  // Creates reach the cluster through a proxy that can hold them; reads go straight through.
  let holdCreates = false;
  const proxy = await startProxy(e50.url, (req) => (holdCreates && req.method === 'PUT' && /\/resources$/.test(req.url ?? '') ? { kind: 'delay', ms: 4000 } : { kind: 'forward' }));
  t.after(() => proxy.close());
  const s = (await setup(t, 'sync-beside-cli', [['prod-50', { ...e50, url: proxy.url }]])) as Setup & { done: () => void };
  const { page, drafts, host, dir } = s;
  assert.ok((await host.core.dispatch('drafts.create', { from: { kind: 'json', doc: { name: 'Shared Carrier', gateways: [{ server: 'sip.shared.example' }], rules: ['^\\+1'] } } })).ok);
  assert.ok((await host.core.dispatch('targets.add', { draft: 'Shared Carrier', cluster: 'prod-50', scope: 'global' })).ok);
  await drafts.open();
  await drafts.select('Shared Carrier');
  await drafts.tab('Targets & sync');
  assert.match(await drafts.plan(), /1 to create/);
  // The CLI applies first; its create is slow to reach the cluster, so the app's apply meets it on the wire.
  holdCreates = true;
  const cli = runCli(dir, ['--json', 'apply', '--yes']);
  const outbox = host.core.services.sync.store.outbox;
  for (let i = 0; i < 2400 && !outbox.list(false).some((r) => r.state === 'in_flight'); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(outbox.list(false).some((r) => r.state === 'in_flight'), 'the CLI is sending');
  await drafts.startApply();
  assert.match(await drafts.confirmApply(), /every target succeeded/);
  assert.equal(await drafts.outcome('prod-50'), 'done by another run');
  const r = await cli;
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual((JSON.parse(r.stdout) as ApplyResult).targets.map((x) => x.outcome), ['done']);
  assert.equal((await globalDocs(e50)).filter((d) => d.name === 'Shared Carrier').length, 1);
  await screenshot(page, 'apply-joined');
  s.done();
});

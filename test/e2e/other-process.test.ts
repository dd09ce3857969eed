// End-to-end: what another process (the `carrier-desk` command line on the same data folder) changes reaches the
// open app in Chromium without a reload (issue 14 item 5): a cluster moved to another address shows its new URL, a
// draft created and renamed there appears in the Drafts list, and an apply pressed in the page then writes to the new
// address only — the app's client for the old address (it checked the cluster there) is not used again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { tempDir } from '../support/temp.ts';
import { openBrowser, screenshot } from '../support/browser.ts';
import { startInProcessHost } from '../support/app-host.ts';
import { cliOn } from '../support/cli.ts';
import { startEmulator } from '../kazoo-emulator/index.ts';
import { ClustersPage } from './pages/ClustersPage.ts';
import { DraftsPage } from './pages/DraftsPage.ts';

const login = { accountName: 'Master', username: 'admin', password: 'demo-admin-pass' };

test('other process: a URL edit and a draft made by the CLI show in the open page, and its apply goes to the new address', async (t) => {
  const dir = tempDir();
  const data = join(dir.path, 'data');
  mkdirSync(data);
  const [oldEmu, newEmu] = await Promise.all([startEmulator({ flavor: '5.0' }), startEmulator({ flavor: '5.0' })]);
  const host = await startInProcessHost(data);
  const browser = await openBrowser({ width: 1280, height: 900 });
  let passed = false;
  t.after(async () => {
    if (!passed) await screenshot(browser.page, 'other-process-failure').catch(() => {});
    await browser.close();
    await host.close();
    await Promise.all([oldEmu.close(), newEmu.close()]);
    dir.remove();
  });
  const { ok } = cliOn(data);
  const { page } = browser;
  await page.goto(host.web.url);

  // The cluster is added in the page: the app checked it (and holds a logged-in client) at the old address.
  const clusters = new ClustersPage(page);
  await clusters.open();
  await clusters.add({ name: 'lab', url: oldEmu.url, ...login });
  await clusters.row('lab').getByText(oldEmu.url).waitFor();

  // (a) The CLI moves it to another address: the open Clusters screen shows the new URL, no reload.
  await ok('clusters', 'edit', 'lab', '--url', newEmu.url, '--no-check');
  await clusters.row('lab').getByText(newEmu.url, { exact: true }).waitFor();
  assert.equal(await clusters.row('lab').getByText(oldEmu.url, { exact: true }).count(), 0, 'the old URL is gone from the row');

  // (b) The CLI creates a draft, then gives it a gateway, a rule and a target on the cluster: the open Drafts list
  // shows it, no reload (a draft's name is set when it is created; there is no rename).
  const drafts = new DraftsPage(page);
  await drafts.open();
  await ok('drafts', 'create', '--name', 'Moved Carrier');
  await page.getByTestId('draft-item-Moved Carrier').waitFor();
  await ok('drafts', 'edit', 'Moved Carrier', '--set', 'gateways=[{"server":"gw.moved.example"}]', '--set', 'rules=["^1?([0-9]{10})$"]');
  await ok('targets', 'add', 'Moved Carrier', 'lab', '--global');

  // (c) Apply from the page: the create goes to the new address; the old one receives no write at all.
  oldEmu.clearRequestLog();
  newEmu.clearRequestLog();
  await drafts.select('Moved Carrier');
  await drafts.tab('Targets & sync');
  assert.match(await drafts.plan(), /1 to create/);
  assert.match(await drafts.apply(), /every target succeeded/);
  assert.equal(await drafts.outcome('lab'), 'done');
  const writes = (log: { method: string; path: string }[]) => log.filter((r) => r.method !== 'GET' && !/user_auth|api_auth/.test(r.path));
  assert.deepEqual(writes(oldEmu.requestLog()), [], 'the old address received no write');
  assert.deepEqual(oldEmu.requestLog(), [], 'nothing at all went to the old address');
  const created = writes(newEmu.requestLog()).filter((r) => r.method === 'PUT' && /\/resources$/.test(r.path));
  assert.equal(created.length, 1, `one create at the new address: ${JSON.stringify(newEmu.requestLog().map((r) => `${r.method} ${r.path}`))}`);
  passed = true;
});

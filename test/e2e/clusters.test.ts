// End-to-end: clusters and accounts screens against two emulator clusters (Kazoo 4.3 and 5.0) in Chromium:
// adding both, plain-words check failures (credentials, unreachable, not Crossbar), offline state, the
// account tree with search, and screenshots (light and dark).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tempDir } from '../support/temp.ts';
import { openBrowser, screenshot } from '../support/browser.ts';
import { startInProcessHost } from '../support/app-host.ts';
import { startEmulator } from '../kazoo-emulator/index.ts';
import { ClustersPage } from './pages/ClustersPage.ts';
import { AccountsPage } from './pages/AccountsPage.ts';

const login = { accountName: 'Master', username: 'admin', password: 'demo-admin-pass' };

async function listenHtml(): Promise<Server> {
  const s = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body>It works!</body></html>');
  });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return s;
}

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test('clusters: add two clusters, explain failed checks, show offline, browse accounts', async (t) => {
  const dir = tempDir();
  const [e43, e50] = await Promise.all([startEmulator({ flavor: '4.3' }), startEmulator({ flavor: '5.0' })]);
  const html = await listenHtml();
  const host = await startInProcessHost(dir.path);
  const browser = await openBrowser({ width: 1280, height: 800 });
  t.after(async () => {
    await browser.close();
    await host.close();
    await Promise.all([e43.close(), e50.close()]);
    await new Promise<void>((r) => html.close(() => r()));
    dir.remove();
  });
  const { page } = browser;
  await page.goto(host.web.url);
  const clusters = new ClustersPage(page);
  await clusters.open();
  await screenshot(page, 'clusters-empty');

  // Wrong password: the check says the credentials were refused; the profile is kept and can be fixed.
  await clusters.submitAdd({ name: 'lab-43', url: e43.url, ...login, password: 'wrong-password' });
  assert.match(await clusters.checkError(), /refused the credentials/);
  await screenshot(page, 'clusters-check-failed');
  await clusters.dialog.getByLabel('Password', { exact: true }).fill(login.password);
  await clusters.dialog.getByRole('button', { name: 'Save and check' }).click();
  await clusters.dialog.getByRole('heading').waitFor({ state: 'detached' });
  await clusters.row('lab-43').getByTestId('cluster-reachability').filter({ hasText: 'reachable, logged in' }).waitFor();

  await clusters.add({ name: 'prod-50', url: e50.url, ...login });
  assert.match(await clusters.version('lab-43'), /Kazoo 4\.3/);
  assert.match(await clusters.version('prod-50'), /Kazoo 5\.0/);
  assert.match((await clusters.row('prod-50').textContent()) ?? '', /super-duper admin/);

  // Unreachable and not-Crossbar addresses are told apart.
  await clusters.submitAdd({ name: 'nowhere', url: `http://127.0.0.1:${await closedPort()}`, ...login });
  assert.match(await clusters.checkError(), /cannot be reached/);
  await clusters.closeDialog();
  await clusters.submitAdd({ name: 'web-page', url: `http://127.0.0.1:${(html.address() as AddressInfo).port}`, ...login });
  assert.match(await clusters.checkError(), /not Kazoo Crossbar/);
  await clusters.closeDialog();
  await clusters.remove('web-page');
  await clusters.remove('nowhere');

  // A cluster going offline shows in its row and in the header indicator; back online after a check.
  await e43.goOffline();
  await clusters.check('lab-43');
  await clusters.row('lab-43').getByTestId('cluster-reachability').filter({ hasText: 'unreachable' }).waitFor();
  assert.match((await clusters.pill('lab-43').getAttribute('title')) ?? '', /unreachable/);
  await screenshot(page, 'clusters-offline');
  await e43.goOnline();
  await clusters.check('lab-43');
  await clusters.row('lab-43').getByTestId('cluster-reachability').filter({ hasText: 'reachable, logged in' }).waitFor();
  await screenshot(page, 'clusters');

  // Accounts: the tree under the login's account, and search by name or id.
  const accounts = new AccountsPage(page);
  await accounts.open('prod-50');
  await accounts.items().filter({ hasText: 'Acme Corp' }).waitFor();
  assert.ok((await accounts.items().count()) >= 5);
  await screenshot(page, 'accounts');
  await accounts.search('globex');
  await accounts.items().filter({ hasText: 'Acme Corp' }).waitFor({ state: 'detached' });
  assert.ok(await accounts.items().filter({ hasText: 'Globex' }).isVisible());
  await accounts.search('c0000000000000000000000000000003');
  await accounts.items().filter({ hasText: 'Acme Corp' }).waitFor();
  await accounts.open('lab-43');
  await accounts.search('');
  await accounts.items().filter({ hasText: 'Initech' }).waitFor();

  assert.deepEqual(browser.problems, []);
});

test('clusters: dark theme and keyboard-only add', async (t) => {
  const dir = tempDir();
  const e50 = await startEmulator({ flavor: '5.0' });
  const host = await startInProcessHost(dir.path);
  const browser = await openBrowser({ width: 1024, height: 700, colorScheme: 'dark' });
  t.after(async () => {
    await browser.close();
    await host.close();
    await e50.close();
    dir.remove();
  });
  const { page } = browser;
  await page.goto(host.web.url);
  const clusters = new ClustersPage(page);
  await clusters.open();
  await page.getByRole('button', { name: 'Add your first cluster' }).focus();
  await page.keyboard.press('Enter');
  const d = clusters.dialog;
  // Focus starts inside the dialog; Escape closes it.
  await d.getByLabel('Name', { exact: true }).waitFor();
  await page.keyboard.press('Escape');
  await d.getByRole('heading').waitFor({ state: 'detached' });
  await clusters.add({ name: 'dark-50', url: e50.url, ...login });
  await screenshot(page, 'clusters-dark');
  // A string expression: the test code is typed for Node, without the DOM.
  const bg = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
  assert.notEqual(bg, 'rgb(247, 248, 250)', 'dark theme should not use the light background');
  assert.deepEqual(browser.problems, []);
});

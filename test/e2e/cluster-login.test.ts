// End-to-end: a profile whose login the cluster refused is shown as "reachable, login refused" in red (row, header
// chip), its failed check is dated, and actions that need the cluster are disabled with that reason; correcting the
// password turns it into "reachable, logged in".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.ts';
import { appSetting } from '../support/e2e-setting.ts';
import { ClustersPage } from './pages/ClustersPage.ts';
import { ResourcesPage } from './pages/ResourcesPage.ts';

const login = { accountName: 'Master', username: 'admin', password: 'demo-admin-pass' };

test('cluster login: a refused login reads "reachable, login refused" in red, never online or never checked', async (t) => {
  const { emus: [emu], host, browser, passed } = await appSetting(t, { emulators: [{ flavor: '5.0' }], browser: { width: 1280, height: 800 }, failureShot: 'cluster-login-failure' });
  const { page } = browser;
  await page.goto(host.web.url);
  const clusters = new ClustersPage(page);
  await clusters.open();
  await clusters.submitAdd({ name: 'lab', url: emu.url, ...login, password: 'wrong-password' });
  assert.match(await clusters.checkError(), /refused the credentials/);
  await clusters.closeDialog();

  const row = clusters.row('lab');
  await row.getByTestId('cluster-reachability').filter({ hasText: 'reachable, login refused' }).waitFor();
  assert.match((await row.getByTestId('cluster-reachability').getAttribute('class')) ?? '', /\berr\b/);
  assert.match((await row.getByTestId('cluster-problem').textContent()) ?? '', /refused the credentials/);
  assert.match((await row.getByTestId('cluster-last-check').textContent()) ?? '', /\d.*\(did not succeed\)/);
  assert.equal((await clusters.version('lab')).trim(), 'not known yet');
  const pill = clusters.pill('lab');
  assert.equal(await pill.getAttribute('data-state'), 'login-refused');
  assert.match((await pill.getAttribute('class')) ?? '', /\berr\b/);
  assert.match((await pill.getAttribute('title')) ?? '', /lab: reachable, login refused/);
  assert.doesNotMatch((await row.textContent()) ?? '', /online|never/);
  await screenshot(page, 'cluster-login-refused');

  // Pulling needs an accepted login: disabled, with the reason.
  const resources = new ResourcesPage(page);
  await resources.open();
  await resources.select('lab');
  assert.ok(await page.getByRole('button', { name: 'Pull from cluster' }).isDisabled());
  await page.getByRole('note').filter({ hasText: 'lab refused the login' }).waitFor();

  // The right password: logged in, green.
  await clusters.open();
  await page.getByRole('button', { name: 'Edit lab' }).click();
  await clusters.dialog.getByLabel('Password', { exact: true }).fill(login.password);
  await clusters.dialog.getByRole('button', { name: 'Save and check' }).click();
  await clusters.dialog.getByRole('heading').waitFor({ state: 'detached' });
  await row.getByTestId('cluster-reachability').filter({ hasText: 'reachable, logged in' }).waitFor();
  assert.equal(await pill.getAttribute('data-state'), 'ready');
  assert.doesNotMatch((await row.getByTestId('cluster-last-check').textContent()) ?? '', /did not succeed/);
  assert.deepEqual(browser.problems, []);
  passed();
});

// End-to-end: the carrier workflow across two emulator clusters (Kazoo 4.3 and 5.0) in Chromium:
// add both clusters, pull, create a draft with two gateways, plan, apply to both, then the conflict
// flow after an out-of-band change made with plain HTTP as admin; matrix, audit and screenshots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { screenshot } from '../support/browser.ts';
import { appSetting } from '../support/e2e-setting.ts';
import type { EmulatorHandle } from '../kazoo-emulator/index.ts';
import { ClustersPage } from './pages/ClustersPage.ts';
import { ResourcesPage } from './pages/ResourcesPage.ts';
import { DraftsPage } from './pages/DraftsPage.ts';
import { MatrixPage } from './pages/MatrixPage.ts';
import { AuditPage } from './pages/AuditPage.ts';
import { selectMatching } from './pages/select.ts';

const login = { accountName: 'Master', username: 'admin', password: 'demo-admin-pass' };

/** A second, independent admin session on the emulator: plain Crossbar HTTP, as another tool would do. */
async function outOfBand(emu: EmulatorHandle) {
  const credentials = createHash('md5').update(`${login.username}:${login.password}`).digest('hex');
  const auth = await fetch(`${emu.url}/v2/user_auth`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: { account_name: login.accountName, credentials } }),
  });
  assert.equal(auth.status, 201, `login to the emulator failed: ${auth.status}`);
  const token = ((await auth.json()) as { auth_token: string }).auth_token;
  const headers = { 'x-auth-token': token, 'content-type': 'application/json' };
  return {
    async get(id: string): Promise<Record<string, unknown>> {
      const r = await fetch(`${emu.url}/v2/resources/${id}`, { headers });
      assert.equal(r.status, 200, `GET resource ${id}: ${r.status}`);
      return ((await r.json()) as { data: Record<string, unknown> }).data;
    },
    async replace(id: string, doc: Record<string, unknown>): Promise<void> {
      const r = await fetch(`${emu.url}/v2/resources/${id}`, { method: 'POST', headers, body: JSON.stringify({ data: doc }) });
      assert.equal(r.status, 200, `POST resource ${id}: ${r.status} ${await r.text()}`);
    },
    async count(name: string): Promise<number> {
      const r = await fetch(`${emu.url}/v2/resources?page_size=500`, { headers });
      const body = (await r.json()) as { data: { name: string }[] };
      return body.data.filter((x) => x.name === name).length;
    },
  };
}

test('sync: pull, draft with two gateways, plan, apply to 4.3 and 5.0, conflict after an out-of-band change', async (t) => {
  // On failure, the helper keeps a picture of the screen as it was.
  const { emus: [e43, e50], host, browser, passed } = await appSetting(t, { emulators: [{ flavor: '4.3' }, { flavor: '5.0' }], browser: { width: 1280, height: 900 }, failureShot: 'sync-failure' });
  const { page } = browser;
  await page.goto(host.web.url);

  // 1. Both clusters, through the dialog.
  const clusters = new ClustersPage(page);
  await clusters.open();
  await clusters.add({ name: 'lab-43', url: e43.url, ...login });
  await clusters.add({ name: 'prod-50', url: e50.url, ...login });

  // 2. Pull the global carriers of each cluster; search and filters work on the snapshot.
  const resources = new ResourcesPage(page);
  await resources.open();
  await resources.select('lab-43');
  assert.match(await resources.pull(), /\d+ listed/);
  await resources.row('Telia Wholesale').waitFor();
  const pulled43 = await resources.rows().count();
  assert.ok(pulled43 >= 2, `expected the demo's global carriers, got ${pulled43}`);
  await resources.search('telia');
  await resources.row('Bandwidth US').waitFor({ state: 'detached' });
  await resources.search('');
  await resources.filter('Emergency', 'no');
  await resources.row('Telia Wholesale').waitFor();
  await resources.filter('Emergency', 'any');
  await screenshot(page, 'resources');
  await resources.select('prod-50');
  await resources.pull();
  await resources.row('Telia Wholesale').waitFor();

  // The migration wizard: copy Bandwidth US from prod-50 (global) to an account of lab-43, dry run first.
  await page.getByRole('button', { name: 'Copy Bandwidth US to another cluster' }).click();
  const wizard = page.getByTestId('migrate-dialog');
  await selectMatching(wizard.getByLabel('Cluster', { exact: true }), 'lab-43');
  await selectMatching(wizard.getByLabel('Scope', { exact: true }), /Acme Corp/);
  await wizard.getByLabel('Name of the new draft').fill('Bandwidth US (Acme)');
  await wizard.getByRole('button', { name: 'Dry run' }).click();
  await wizard.getByTestId('migrate-summary').filter({ hasText: 'Dry run: nothing was changed.' }).waitFor();
  await wizard.getByTestId('plan-target-lab-43').getByTestId('plan-action').filter({ hasText: 'create' }).waitFor();
  await screenshot(page, 'migrate-dry-run');
  await wizard.getByRole('button', { name: 'Create the draft' }).click();
  await wizard.getByRole('button', { name: 'Open the draft' }).click();
  await page.getByTestId('draft-title').filter({ hasText: 'Bandwidth US (Acme)' }).waitFor();

  // 3. A new carrier with two gateways and a rule; the tester shows the match and the dial strings.
  const drafts = new DraftsPage(page);
  await drafts.open();
  await drafts.create('E2E Carrier');
  await drafts.addGateway({ server: 'gw1.e2e.example', username: 'e2e', password: 'S3cret!pw' });
  await drafts.addGateway({ server: 'gw2.e2e.example', port: '5080', prefix: '99', suffix: '#' });
  assert.equal(await drafts.gateway(0).getByLabel('Password', { exact: true }).getAttribute('type'), 'password');
  await drafts.gateway(0).getByRole('button', { name: 'Show password' }).click();
  assert.equal(await drafts.gateway(0).getByLabel('Password', { exact: true }).getAttribute('type'), 'text');
  await drafts.addRule('^\\+?1?(\\d{10})$');
  await drafts.addRule('^(\\d+');
  await page.getByText(/Not a valid regular expression/).waitFor();
  await page.getByRole('button', { name: 'Remove Rules 2' }).click();
  const tested = await drafts.testNumber('+14155550123');
  // The core's simulator answers (no target yet: both flavors' defaults): §6.3 dial string with prefix, suffix, port.
  assert.match(tested, /Decided by rule 1/);
  assert.equal(await page.getByTestId('dial-1').textContent(), 'sip:994155550123#@gw2.e2e.example:5080');
  await (await drafts.field('Weight cost (0–100, lower first)')).fill('30');
  await screenshot(page, 'drafts-editor');
  await drafts.save('first version');

  // 4. Targets on both clusters (global), plan = create on both, apply, both done.
  await drafts.tab('Targets & sync');
  await drafts.addTarget('lab-43');
  await drafts.addTarget('prod-50');
  // A value the targets' schemas refuse is shown at its field after saving (every save is a version).
  await drafts.tab('Edit');
  await (await drafts.field('Grace period (1–20 s)')).fill('50');
  await drafts.save('too long a grace period');
  await page.getByTestId('validation-summary').filter({ hasText: /validation error/ }).waitFor();
  assert.ok(await drafts.fieldError('Grace period (1–20 s)'), 'the schema error is shown at the grace period field');
  await screenshot(page, 'drafts-validation');
  await (await drafts.field('Grace period (1–20 s)')).fill('');
  await drafts.save('back to the default grace period');
  await page.getByTestId('validation-summary').filter({ hasText: /^Valid/ }).waitFor();
  await drafts.tab('Targets & sync');
  assert.match(await drafts.plan(), /2 to create/);
  assert.equal(await drafts.planAction('lab-43'), 'create');
  assert.equal(await drafts.planAction('prod-50'), 'create');
  await drafts.planTarget('prod-50').getByTestId('diff-gateways').or(drafts.planTarget('prod-50').getByTestId('diff-gateways.0.server')).or(drafts.planTarget('prod-50').getByTestId('diff-')).first().waitFor();
  await screenshot(page, 'drafts-plan');
  assert.match(await drafts.apply(), /every target succeeded/);
  assert.equal(await drafts.outcome('lab-43'), 'done');
  assert.equal(await drafts.outcome('prod-50'), 'done');
  await screenshot(page, 'drafts-applied');

  const listed = await host.core.dispatch('drafts.list', {});
  assert.ok(listed.ok);
  const draft = (listed.value as { name: string; targets: { clusterName: string; remoteId: string | null }[] }[]).find((d) => d.name === 'E2E Carrier')!;
  const id50 = draft.targets.find((x) => x.clusterName === 'prod-50')!.remoteId!;
  const oob43 = await outOfBand(e43);
  const oob50 = await outOfBand(e50);
  assert.equal(await oob43.count('E2E Carrier'), 1);
  assert.equal(await oob50.count('E2E Carrier'), 1);
  const remote = await oob50.get(id50);
  assert.equal((remote.gateways as unknown[]).length, 2);
  assert.equal(remote.weight_cost, 30);

  // A fresh plan says nothing is left to do.
  assert.match(await drafts.plan(), /2 unchanged/);

  // 5. Someone else edits the carrier on prod-50: the same field (weight_cost) and another (grace_period).
  await oob50.replace(id50, { ...remote, weight_cost: 15, grace_period: 7 });
  await drafts.tab('Edit');
  await (await drafts.field('Weight cost (0–100, lower first)')).fill('25');
  await drafts.save('cheaper');
  await drafts.tab('Targets & sync');
  await drafts.plan();
  assert.equal(await drafts.planAction('lab-43'), 'update');
  assert.equal(await drafts.planAction('prod-50'), 'conflict');
  const conflict = drafts.planTarget('prod-50').getByTestId('conflict-weight_cost');
  await conflict.waitFor();
  assert.match((await conflict.textContent()) ?? '', /25[\s\S]*15/);
  await screenshot(page, 'drafts-conflict');
  await drafts.resolve('prod-50', { weight_cost: 'mine' });
  await drafts.planTarget('prod-50').getByTestId('plan-action').filter({ hasText: 'update' }).waitFor();
  assert.match(await drafts.apply(), /every target succeeded/);
  const after = await oob50.get(id50);
  assert.equal(after.weight_cost, 25, 'my choice for the conflicting field');
  assert.equal(after.grace_period, 7, 'the other side\u2019s change to another field is kept');
  assert.equal(await oob50.count('E2E Carrier'), 1);

  // 6. History keeps every version; the matrix and the audit log show the result.
  await drafts.tab('History');
  await page.getByTestId('history').getByText('first version').waitFor();
  await screenshot(page, 'drafts-history');

  const matrix = new MatrixPage(page);
  await matrix.open();
  await matrix.cell('E2E Carrier', 'prod-50').waitFor();
  assert.equal(await matrix.status('E2E Carrier', 'prod-50'), 'in-sync');
  assert.equal(await matrix.status('E2E Carrier', 'lab-43'), 'in-sync');
  await screenshot(page, 'matrix');
  await matrix.cell('E2E Carrier', 'prod-50').click();
  await matrix.cellDialog.getByTestId('plan-target-prod-50').waitFor();
  await screenshot(page, 'matrix-cell');
  await page.keyboard.press('Escape');

  const audit = new AuditPage(page);
  await audit.open();
  await audit.rows().first().waitFor();
  assert.ok((await audit.rows().count()) >= 4, 'two creates and two updates');
  await screenshot(page, 'audit');

  // 7. The same screens in the dark theme.
  await page.emulateMedia({ colorScheme: 'dark' });
  await matrix.open();
  await matrix.cell('E2E Carrier', 'prod-50').waitFor();
  await screenshot(page, 'matrix-dark');
  await drafts.open();
  await drafts.select('E2E Carrier');
  await screenshot(page, 'drafts-editor-dark');

  assert.deepEqual(browser.problems, []);
  passed();
});

test('sync: a cluster offline during apply is queued in the outbox, editing still works, and it drains when back', async (t) => {
  const { emus: [e43, e50], host, browser, passed } = await appSetting(t, { emulators: [{ flavor: '4.3' }, { flavor: '5.0' }], browser: { width: 1024, height: 700 }, failureShot: 'sync-offline-failure' });
  const { page } = browser;
  await page.goto(host.web.url);
  const clusters = new ClustersPage(page);
  await clusters.open();
  await clusters.add({ name: 'lab-43', url: e43.url, ...login });
  await clusters.add({ name: 'prod-50', url: e50.url, ...login });

  const drafts = new DraftsPage(page);
  await drafts.open();
  await drafts.create('Offline Carrier');
  await drafts.addGateway({ server: 'gw.offline.example' });
  await drafts.addRule('^\\+(\\d+)$');
  await drafts.save();
  await drafts.tab('Targets & sync');
  await drafts.addTarget('lab-43');
  await drafts.addTarget('prod-50');

  // lab-43 stops answering: the header and the cluster list say so.
  await e43.goOffline();
  await clusters.open();
  await clusters.check('lab-43');
  await clusters.row('lab-43').getByTestId('cluster-reachability').filter({ hasText: 'unreachable' }).waitFor();

  // Pulling needs the cluster: disabled, with the reason shown.
  const resources = new ResourcesPage(page);
  await resources.open();
  await resources.select('lab-43');
  assert.ok(await page.getByRole('button', { name: 'Pull from cluster' }).isDisabled());
  await page.getByRole('note').filter({ hasText: 'lab-43 cannot be reached' }).waitFor();

  // Editing still works offline; plan and apply queue the offline target.
  await drafts.open();
  await drafts.select('Offline Carrier');
  await drafts.tab('Edit');
  await (await drafts.field('Weight cost (0–100, lower first)')).fill('40');
  await drafts.save('edited while lab-43 is offline');
  await drafts.tab('Targets & sync');
  await drafts.plan();
  assert.equal(await drafts.planAction('prod-50'), 'create');
  await drafts.apply();
  assert.equal(await drafts.outcome('prod-50'), 'done');
  assert.match(await drafts.outcome('lab-43'), /queued/);
  await screenshot(page, 'drafts-offline-queued');

  await page.getByRole('link', { name: /^Outbox/ }).click();
  const outbox = page.getByTestId('outbox');
  await outbox.getByText('queued').waitFor();
  await screenshot(page, 'outbox');

  // Back online: the outbox sends it (here on demand; the background task would do it too).
  await e43.goOnline();
  await page.getByRole('button', { name: 'Retry now' }).click();
  await page.getByRole('status').filter({ hasText: /Tried \d+/ }).waitFor();
  await page.getByText('Nothing waiting').waitFor();
  const oob43 = await outOfBand(e43);
  assert.equal(await oob43.count('Offline Carrier'), 1);

  // History: restore the first version (no weight cost); it becomes a new version.
  await drafts.select('Offline Carrier');
  await drafts.tab('Edit');
  const before = Number(/version (\d+)/.exec((await page.getByTestId('save-state').textContent()) ?? '')?.[1]);
  await drafts.tab('History');
  await page.getByRole('button', { name: 'Restore version 1' }).click();
  await drafts.tab('Edit');
  await page.getByTestId('save-state').filter({ hasText: `Saved as version ${before + 1}` }).waitFor();
  assert.equal(await (await drafts.field('Weight cost (0–100, lower first)')).inputValue(), '');

  // Export the drafts as a bundle (no passwords by default) and import it back: nothing new.
  await page.getByRole('button', { name: 'Export / import' }).click();
  const bundle = page.getByTestId('bundle-dialog');
  const [download] = await Promise.all([page.waitForEvent('download'), bundle.getByRole('button', { name: 'Export to a file' }).click()]);
  assert.match(download.suggestedFilename(), /^carrier-desk-drafts-.*\.json$/);
  const file = await download.path();
  const text = (await import('node:fs')).readFileSync(file, 'utf8');
  assert.match(text, /Offline Carrier/);
  await bundle.getByLabel('Bundle file (.json)').setInputFiles(file);
  await bundle.getByRole('status').filter({ hasText: /Imported .*0 new/ }).waitFor();
  assert.deepEqual(browser.problems, []);
  passed();
});

// End-to-end: the Overview in Chromium. Refresh reads the clusters again, so a change made on the cluster by someone
// else shows as "changed on the cluster" with its field diff; every carrier of the pulled clusters is listed, and one
// without a draft gets "Make a draft" from its cell; an unbound target meeting a carrier of the same name reads
// "exists, not bound" (never "missing"); a cluster that cannot be read keeps its cells, marked as of their read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.ts';
import { appSetting } from '../support/e2e-setting.ts';
import { addCluster, call } from '../support/core-calls.ts';
// Another admin edits the carrier with plain Crossbar HTTP, as a colleague's script would.
import { editRemote, otherLogin } from '../integration/sync/helpers.ts';
import { MatrixPage } from './pages/MatrixPage.ts';

const TELIA = 'f0000000000000000000000000000001';

test('overview: refresh shows an out-of-band change as drifted with its diff; carriers without a draft; make a draft', async (t) => {
  const { emus: [e43, e50], host, browser, passed } = await appSetting(t, { emulators: [{ flavor: '4.3' }, { flavor: '5.0' }], browser: { width: 1280, height: 900 }, failureShot: 'matrix-failure' });
  await addCluster(host.core, 'lab-43', e43);
  await addCluster(host.core, 'prod-50', e50);
  await call(host.core, 'pull.run', { cluster: 'lab-43', scope: 'global' });
  await call(host.core, 'pull.run', { cluster: 'prod-50', scope: 'global' });
  await call(host.core, 'drafts.create', { from: { kind: 'snapshot', cluster: 'lab-43', scope: 'global', id: TELIA } });

  const { page } = browser;
  await page.goto(host.web.url);
  const matrix = new MatrixPage(page);
  await matrix.open();
  await matrix.cell('Telia Wholesale', 'lab-43').waitFor();
  assert.equal(await matrix.status('Telia Wholesale', 'lab-43'), 'in-sync');
  // Every carrier of the pulled clusters, those without a draft too.
  assert.equal(await matrix.status('Bandwidth US (no draft)', 'lab-43'), 'no-draft');
  assert.equal(await matrix.status('Bandwidth US (no draft)', 'prod-50'), 'no-draft');
  assert.equal(await matrix.status('Emergency 911 Provider (no draft)', 'prod-50'), 'no-draft');
  // Telia Wholesale on lab-43 is the draft's: its own row points there; on prod-50 it has no draft.
  assert.equal(await matrix.status('Telia Wholesale (no draft)', 'lab-43'), 'in-draft');
  assert.equal(await matrix.status('Telia Wholesale (no draft)', 'prod-50'), 'no-draft');

  // A new draft named like a carrier prod-50 has, targeted there: "exists, not bound", never "missing" (live: no reload).
  const twin = await call(host.core, 'drafts.create', { from: { kind: 'json', doc: { name: 'Bandwidth US', gateways: [{ server: 'sbc.other.example', enabled: true }] } } });
  await call(host.core, 'targets.add', { draft: twin.id, cluster: 'prod-50', scope: 'global' });
  const twinCell = page.getByTestId('matrix').locator(`tr[data-row="draft:${twin.id}"] [data-status="exists-unbound"]`);
  await twinCell.waitFor();
  await twinCell.click();
  await matrix.cellDialog.getByTestId('cell-detail').filter({ hasText: 'already has a carrier with the same name (Bandwidth US, id f0000000000000000000000000000002)' }).waitFor();
  await page.keyboard.press('Escape');

  // Someone else changes Telia Wholesale on lab-43: Refresh reads it, the cell says so and shows what changed.
  await editRemote(e43, await otherLogin(e43), 'global', TELIA, (doc) => (doc.weight_cost = 77));
  await matrix.refresh();
  await page.getByTestId('matrix-refresh').filter({ hasText: /lab-43, prod-50|prod-50, lab-43/ }).waitFor();
  await matrix.cell('Telia Wholesale', 'lab-43').and(page.locator('[data-status="drifted"]')).waitFor();
  await screenshot(page, 'matrix-drifted');
  await matrix.cell('Telia Wholesale', 'lab-43').click();
  const diff = matrix.cellDialog.getByTestId('diff-weight_cost');
  await diff.waitFor();
  assert.match((await diff.textContent()) ?? '', /20[\s\S]*77/);
  await screenshot(page, 'matrix-drifted-diff');
  await page.keyboard.press('Escape');

  // A carrier without a draft: make one from its cell; the row becomes the draft's.
  await matrix.cell('Emergency 911 Provider (no draft)', 'prod-50').click();
  await matrix.cellDialog.getByRole('button', { name: 'Make a draft' }).click();
  await page.getByTestId('draft-title').filter({ hasText: 'Emergency 911 Provider' }).waitFor();
  await matrix.open();
  await matrix.cell('Emergency 911 Provider', 'prod-50').and(page.locator('[data-status="in-sync"]')).waitFor();
  assert.ok(await page.getByRole('link', { name: 'Emergency 911 Provider' }).isVisible(), 'the row links to its draft now');
  assert.equal(await matrix.status('Emergency 911 Provider (no draft)', 'prod-50'), 'in-draft');

  // prod-50 stops answering: Refresh says it could not read it; its cells keep their state, marked as of their read.
  await e50.goOffline();
  await matrix.refresh();
  await page.getByTestId('matrix-unread').filter({ hasText: 'Could not read prod-50' }).waitFor();
  await matrix.cell('Telia Wholesale (no draft)', 'prod-50').and(page.locator('[data-stale="true"]')).waitFor();
  assert.match((await matrix.cell('Telia Wholesale (no draft)', 'prod-50').getAttribute('aria-label')) ?? '', /no draft, as of /);
  await screenshot(page, 'matrix-unreadable');
  assert.deepEqual(browser.problems, []);
  passed();
});

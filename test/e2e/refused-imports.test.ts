// End-to-end (issue 15 item 9), in Chromium: imports the core refuses, or takes only in part, say so on screen.
// A number file that is not text is imported anyway (the preview's complaint does not stop the Import button): the
// chunked upload is refused, the screen says why and that nothing was kept, and no list is left, also after a reload
// (the core removed it, so it is not only hidden). A draft bundle with targets on a cluster this folder does not
// have lists them in the dialog; one whose drafts would merge is refused whole with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.ts';
import { appSetting } from '../support/e2e-setting.ts';
import { call } from '../support/core-calls.ts';
import { NumbersPage } from './pages/NumbersPage.ts';
import { DraftsPage } from './pages/DraftsPage.ts';

// The head of a PNG file: binary data (NUL bytes) that cannot be a list of numbers.
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x31, 0x32, 0x33]);

test('a refused import shows why and leaves no list, in the screen and in the store', async (t) => {
  const { host, browser } = await appSetting(t);
  const { page } = browser;
  await page.goto(host.web.url);
  const numbers = new NumbersPage(page);
  await numbers.open();
  await numbers.startImport();
  await page.getByTestId('file-input').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
  await page.getByLabel('List name').fill('photo');
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  const error = page.getByTestId('numbers-error');
  await error.filter({ hasText: /Importing 'photo' failed: This is not a text file.*Nothing was kept\./ }).waitFor({ timeout: 30_000 });
  await screenshot(page, 'numbers-import-refused');
  assert.equal(await page.getByTestId('list-item').count(), 0, 'no list is shown');
  assert.deepEqual(await call(host.core, 'numbers.lists', {}), [], 'no list is stored');

  await page.reload();
  await numbers.open();
  assert.equal(await page.getByTestId('list-item').count(), 0, 'no list after a reload either');
  assert.deepEqual(browser.problems, []);
});

test('a bundle import lists the targets it could not add, and refuses drafts that would merge', async (t) => {
  const { host, browser } = await appSetting(t);
  const { page } = browser;
  const bundle = (drafts: unknown[]) => ({ name: 'bundle.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ format: 'carrier-desk-bundle/1', secretsIncluded: false, drafts })) });
  const doc = (name: string) => ({ name, rules: ['^\\+?(\\d+)$'], gateways: [{ server: 'sip.example' }] });
  await page.goto(host.web.url);
  await new DraftsPage(page).open();
  await page.getByRole('button', { name: 'Export / import' }).click();
  const dialog = page.getByTestId('bundle-dialog');

  await dialog.getByLabel('Bundle file (.json)').setInputFiles(bundle([{ name: 'Far Carrier', doc: doc('Far Carrier'), targets: [{ cluster: 'elsewhere', scope: 'global' }] }]));
  await dialog.getByRole('status').filter({ hasText: /Imported bundle\.json: 1 new/ }).waitFor();
  const skipped = dialog.getByTestId('bundle-skipped');
  await skipped.waitFor();
  assert.match((await skipped.textContent())!, /1 target was not added:.*Far Carrier → elsewhere \(global\): There is no cluster named 'elsewhere' here/s);
  await screenshot(page, 'bundle-import-skipped');

  await dialog.getByLabel('Bundle file (.json)').setInputFiles(bundle([{ name: 'Twin', doc: doc('Twin'), targets: [] }, { name: 'twin', doc: doc('twin'), targets: [] }]));
  await dialog.getByText(/The bundle holds two drafts that would be merged: 'Twin' and 'twin'.*Nothing was imported\./).waitFor();
  assert.equal(await skipped.count(), 0, 'the earlier list of targets is gone');
  assert.deepEqual((await call(host.core, 'drafts.list', {})).map((d) => d.name), ['Far Carrier']);
  assert.deepEqual(browser.problems, []);
});

// End-to-end: the browser host serves the app shell, which shows the core's app info.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.ts';
import { appSetting } from '../support/e2e-setting.ts';

test('the app shell loads in Chromium and shows the app info', async (t) => {
  const { dir, host, browser } = await appSetting(t);
  const { page } = browser;
  await page.goto(host.web.url);
  // The page takes the token from the address and drops it from the address bar.
  await page.waitForURL((u) => !u.search.includes('token='));
  await page.getByRole('link', { name: 'About' }).click();
  await page.getByTestId('app-info').waitFor();
  const version = JSON.parse((await import('node:fs')).readFileSync('package.json', 'utf8')).version as string;
  assert.equal(await page.getByTestId('app-version').textContent(), version);
  assert.equal(await page.getByTestId('app-data-dir').textContent(), dir.path);
  assert.ok(Number(await page.getByTestId('app-schema-version').textContent()) >= 1);
  await screenshot(page, 'shell-about');
  assert.deepEqual(browser.problems, []);
});

test('the token never becomes a cookie: it stays in the tab (reload works) and a page without it is refused', async (t) => {
  const { dir, host, browser } = await appSetting(t);
  const { page, context } = browser;
  const sent: string[] = [];
  page.on('request', (r) => void r.allHeaders().then((h) => h.cookie && sent.push(h.cookie)));
  await page.goto(host.web.url);
  await page.getByRole('link', { name: 'About' }).click();
  await page.getByTestId('app-info').waitFor();
  assert.equal(new URL(page.url()).search, '', 'the token is gone from the address bar');
  assert.deepEqual(await context.cookies(), [], 'no cookie is set');
  assert.equal(await page.evaluate<string>('document.cookie'), '');
  // A reload keeps working: the token is kept for this tab only.
  await page.reload();
  await page.getByTestId('app-info').waitFor();
  assert.equal(await page.getByTestId('app-data-dir').textContent(), dir.path);
  assert.deepEqual(sent, [], 'no request carried a cookie');
  assert.deepEqual(browser.problems, []);

  // Another tab opened on the bare address (no token) gets the page but no access, and says what to do.
  const other = await context.newPage();
  await other.goto(`http://127.0.0.1:${host.web.port}/#/about`);
  await other.getByTestId('connection-banner').filter({ hasText: 'not signed in' }).waitFor();
  assert.equal(await other.getByTestId('app-info').count(), 0);
  await screenshot(other, 'shell-no-token');
  await other.close();
});

// End-to-end: the browser host serves the app shell, which shows the core's app info.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../support/temp.ts';
import { openBrowser, screenshot } from '../support/browser.ts';
import { startInProcessHost } from '../support/app-host.ts';

test('the app shell loads in Chromium and shows the app info', async (t) => {
  const dir = tempDir();
  const host = await startInProcessHost(dir.path);
  const browser = await openBrowser();
  t.after(async () => {
    await browser.close();
    await host.close();
    dir.remove();
  });
  const { page } = browser;
  await page.goto(host.web.url);
  // The token in the address is traded for a cookie and dropped from the address bar.
  assert.ok(!page.url().includes('token='), `token still in the address: ${page.url()}`);
  await page.getByRole('link', { name: 'About' }).click();
  await page.getByTestId('app-info').waitFor();
  const version = JSON.parse((await import('node:fs')).readFileSync('package.json', 'utf8')).version as string;
  assert.equal(await page.getByTestId('app-version').textContent(), version);
  assert.equal(await page.getByTestId('app-data-dir').textContent(), dir.path);
  assert.ok(Number(await page.getByTestId('app-schema-version').textContent()) >= 1);
  await screenshot(page, 'shell-about');
  assert.deepEqual(browser.problems, []);
});

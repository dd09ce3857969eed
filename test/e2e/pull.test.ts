// End-to-end: "Pull every account" on the Resources screen reads global and every account of a reseller
// cluster, showing how many are done while it runs (live from the core's pull.progress events), then the totals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../support/temp.ts';
import { openBrowser, screenshot } from '../support/browser.ts';
import { startInProcessHost } from '../support/app-host.ts';
import { addCluster } from '../support/core-calls.ts';
import { demoSeed, startEmulator } from '../kazoo-emulator/index.ts';
import { ResourcesPage } from './pages/ResourcesPage.ts';

const MASTER = 'a0000000000000000000000000000001';

test('pull every account: progress while it runs, then the totals; the carriers of an account are listed', async (t) => {
  const seed = demoSeed();
  const accounts = Array.from({ length: 12 }, (_, i) => ({ id: `d2${i.toString(16).padStart(30, '0')}`, name: `Customer ${i}`, parent_id: MASTER }));
  seed.accounts.push(...accounts);
  seed.resources = [...(seed.resources ?? []), ...accounts.map((a, i) => ({ id: `e2${i.toString(16).padStart(30, '0')}`, account_id: a.id, name: `Local carrier ${i}`, gateways: [{ server: `sip.c${i}.example.net` }] }))];
  // Latency keeps the pull going for a few hundred milliseconds, long enough to show its progress.
  const emu = await startEmulator({ flavor: '5.0', seed, faults: { latencyMs: 60 } });
  const dir = tempDir();
  const host = await startInProcessHost(dir.path);
  const browser = await openBrowser();
  let passed = false;
  t.after(async () => {
    if (!passed) await screenshot(browser.page, 'pull-every-account-failure').catch(() => {});
    await browser.close();
    await host.close();
    await emu.close();
    dir.remove();
  });
  await addCluster(host.core, 'reseller', emu);
  const { page } = browser;
  await page.goto(host.web.url);
  const resources = new ResourcesPage(page);
  await resources.open();
  await resources.select('reseller');

  const { summary, seen } = await resources.pullEveryAccount();
  // global, Master, its 4 demo descendants and the 12 customers
  assert.match(summary, /^Pulled: 18 scopes, \d+ listed, \d+ fetched, 0 unchanged, 0 removed$/);
  const progress = seen.filter((s) => /^Pulling carriers… \d+ of 18 scopes done/.test(s));
  assert.ok(progress.length >= 2, `the status showed the progress: ${JSON.stringify(seen)}`);
  const counts = progress.map((s) => Number(/(\d+) of 18/.exec(s)![1]));
  assert.deepEqual([...counts].sort((a, b) => a - b), counts, 'progress never goes back');

  await resources.select('reseller', /Customer 3/);
  await resources.row('Local carrier 3').waitFor();
  assert.equal(await resources.rows().count(), 1);
  passed = true;
});

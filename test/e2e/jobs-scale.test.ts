// End-to-end at scale: a 192,348-number submission (385 parts of 500) in Chromium. While it runs the parts are
// collapsed into a virtual list; a stall is raised to the submission's head with its action and the rate says so;
// "Cancel unsent parts" asks first, saying what is cancelled and what keeps running; cancelled numbers are counted
// apart, so imported + failed + cancelled + to go = total at every step; a finished submission and a part are named
// by their outcome (a part whose numbers all failed is "all failed", never a green "complete").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator } from '../kazoo-emulator/index.ts';
import { tempDir } from '../support/temp.ts';
import { openBrowser, screenshot } from '../support/browser.ts';
import { startInProcessHost } from '../support/app-host.ts';
import { call } from '../support/core-calls.ts';
import { JobsPage } from './pages/JobsPage.ts';

const ACME = 'c0000000000000000000000000000003';
const ACME_CARRIER = 'f1000000000000000000000000000001';
/** Seeded on the emulator as in service or reserved: sent anyway, they fail with number_exists. */
const ON_CLUSTER = ['+14155550100', '+14155550101', '+12125550150'];
const TOTAL = 192_348;

test('a 192,348-number submission: collapsed parts, stall at the head, cancel half-way, counts that add up', async (t) => {
  const dir = tempDir();
  const emu = await startEmulator({ flavor: '5.0', jobDelayMs: 0 });
  const host = await startInProcessHost(dir.path);
  const browser = await openBrowser({ width: 1280, height: 800 });
  t.after(async () => {
    await browser.close();
    await host.close();
    await emu.close();
    dir.remove();
  });
  const core = host.core;
  await call(core, 'clusters.add', { name: 'lab-5', url: emu.url, auth: { kind: 'user', accountName: 'Master', username: 'admin', password: 'demo-admin-pass' } });
  for (const [key, value] of [
    ['jobs.timing', { pollMinMs: 150, pollMaxMs: 400, idlePollMaxMs: 400, verifyGraceMs: 50 }],
    ['jobs.stallAfterS', 3],
    ['jobs.autoResubmit', false],
  ] as const) await call(core, 'settings.set', { key, value });
  const fresh = Array.from({ length: TOTAL - ON_CLUSTER.length }, (_, i) => `+1${3125551000 + i}`);
  await call(core, 'numbers.import', { name: 'porting-wave', text: [...ON_CLUSTER, ...fresh].join('\n'), country: 'US', wait: true });
  const sub = await call(core, 'jobs.submit', { list: 'porting-wave', cluster: 'lab-5', account: ACME, resource: ACME_CARRIER, skipPresent: false });
  assert.equal(sub.jobs.length, 385);
  assert.equal(sub.batch.totalNumbers, TOTAL);

  const { page } = browser;
  await page.goto(host.web.url);
  const jobsPage = new JobsPage(page);
  await jobsPage.open();
  const batch = jobsPage.batches.filter({ hasText: 'porting-wave' });
  /** The submission's counts as shown; they must always add up to its numbers. */
  const countsAddUp = async () => {
    const c = await jobsPage.countsOf(batch);
    assert.equal(c.total, TOTAL);
    assert.equal(c.imported + c.failed + c.cancelled + c.toGo, TOTAL, JSON.stringify(c));
    assert.equal(c.done, c.imported + c.failed);
    return c;
  };
  await batch.waitFor();

  // Running: the parts are one line each in a virtual list; only the parts on the cluster are shown in full.
  await batch.getByTestId('parts-tally').filter({ hasText: /some failed/ }).waitFor({ timeout: 240_000 });
  assert.ok((await batch.getByTestId('job-row').count()) <= 3, 'only the parts on the cluster are shown in full');
  assert.ok((await batch.getByTestId('part-row').count()) < 40, 'the part lines are virtualised');
  assert.ok(((await batch.boundingBox())?.height ?? Infinity) < 1400, 'the submission takes a screen, not 40,000 px');
  await countsAddUp();
  await batch.getByTestId('batch-eta').filter({ hasText: /numbers\/(s|min)/ }).waitFor();
  // Between one part's end and the next part's first progress the batch is truthfully 'sent' (parts on the cluster,
  // none reported running yet): either is an active batch, never an outcome.
  assert.match((await batch.getByTestId('batch-status').textContent()) ?? '', /^(running|sent)$/);

  // The cluster's job executor stops: the stall is raised to the head of the submission, with its action, and
  // the rate says that nothing moves (not "no rate yet").
  emu.pauseExecutor();
  const alert = batch.getByTestId('stall-warning').first();
  await alert.waitFor({ timeout: 60_000 });
  await alert.getByRole('button', { name: 'Resubmit the remainder' }).waitFor();
  const head = (await batch.locator('header').boundingBox())!;
  const alertBox = (await alert.boundingBox())!;
  const partsBox = (await batch.getByTestId('batch-parts').boundingBox())!;
  assert.ok(alertBox.y > head.y && alertBox.y < partsBox.y, 'the alert sits between the head and the parts');
  assert.ok(alertBox.y - (head.y + head.height) < 60, 'right under the head');
  await batch.getByTestId('batch-eta').filter({ hasText: /^no progress for \d+ s/ }).waitFor();
  assert.equal(await batch.getByTestId('batch-status').textContent(), 'stalled');
  await screenshot(page, 'jobs-scale-stalled');

  // Cancel the unsent parts: first a question that says what is cancelled and what keeps running.
  await batch.getByRole('button', { name: 'Cancel unsent parts…' }).click();
  const dialog = page.getByTestId('cancel-dialog');
  // What the question says is what the store holds: the parts still waiting, read just before and after it (how many
  // parts were sent before the executor stopped depends on the machine's load, so no fixed number here).
  const waiting = async () => (await call(core, 'jobs.list', { batch: sub.batch.id, limit: 1000 })).filter((j) => j.state === 'queued').length;
  const waitingBefore = await waiting();
  const what = (await dialog.getByTestId('cancel-what').textContent())!.replace(/\s+/g, ' ');
  const waitingAfter = await waiting();
  const [, queuedParts, queuedNumbers] = /(\d+) parts with ([\d,]+) numbers have not been sent/.exec(what) ?? [];
  assert.ok(Number(queuedParts) <= waitingBefore && Number(queuedParts) >= waitingAfter, `${what} (waiting: ${waitingBefore} then ${waitingAfter})`);
  assert.ok(Number(queuedParts) > 385 / 2, `cancelled before half of the parts were sent: ${what}`);
  assert.match((await dialog.getByTestId('cancel-keeps').textContent())!.replace(/\s+/g, ' '), /already on the cluster and keep running/);
  await screenshot(page, 'jobs-scale-cancel-question');
  await dialog.getByRole('button', { name: /^Cancel \d+ parts$/ }).click();
  await batch.getByTestId('batch-counts').filter({ hasText: /cancelled/ }).waitFor();
  const counts = await countsAddUp();
  // The watcher may have sent a part or two between the question and the answer: what was cancelled is what waited.
  const cancelledParts = (await call(core, 'jobs.list', { batch: sub.batch.id, limit: 1000 })).filter((j) => j.state === 'cancelled');
  assert.ok(cancelledParts.length >= Number(queuedParts) - 4, `${cancelledParts.length} parts cancelled after ${queuedParts} were announced`);
  assert.ok(Number(queuedNumbers!.replace(/,/g, '')) >= counts.cancelled);
  assert.equal(counts.cancelled, cancelledParts.reduce((n, j) => n + j.total, 0), 'every number of the cancelled parts, none counted as failed');
  assert.equal(counts.failed, 3);

  // The parts on the cluster finish; the submission is then named by its outcome.
  emu.resumeExecutor();
  await batch.getByTestId('batch-status').filter({ hasText: 'cancelled part-way' }).waitFor({ timeout: 240_000 });
  const end = await countsAddUp();
  assert.equal(end.toGo, 0);
  const stored = (await call(core, 'jobs.batches', {})).find((b) => b.id === sub.batch.id)!;
  assert.deepEqual(
    { imported: end.imported, failed: end.failed, cancelled: end.cancelled },
    { imported: stored.succeeded, failed: stored.failed, cancelled: stored.cancelled },
  );
  const first = batch.getByTestId('part-row').first();
  assert.match((await first.textContent())!, /Part 1 of 385\s*some failed/);
  await batch.getByTestId('batch-parts').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await batch.getByTestId('part-row').filter({ hasText: /Part 385 of 385\s*cancelled/ }).waitFor();
  await screenshot(page, 'jobs-scale-cancelled');

  // A part whose 200 numbers all fail (they are on the cluster already) is "all failed", in red.
  const again = fresh.slice(0, 200);
  await call(core, 'numbers.import', { name: 'sent-twice', text: again.join('\n'), country: 'US', wait: true });
  await call(core, 'jobs.submit', { list: 'sent-twice', cluster: 'lab-5', account: ACME, resource: ACME_CARRIER, skipPresent: false });
  const twice = jobsPage.batches.filter({ hasText: 'sent-twice' });
  await twice.getByTestId('batch-status').filter({ hasText: 'all failed' }).waitFor({ timeout: 60_000 });
  const partBadge = twice.getByTestId('job-state');
  assert.equal(await partBadge.textContent(), 'all failed');
  assert.match((await partBadge.getAttribute('class'))!, /\berr\b/);
  assert.deepEqual(await jobsPage.countsOf(twice), { done: 200, total: 200, imported: 0, failed: 200, cancelled: 0, toGo: 0 });
  await screenshot(page, 'jobs-scale-all-failed');
  assert.deepEqual(browser.problems, []);
});

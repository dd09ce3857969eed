// End-to-end: words and names instead of ids (issue 14 item 9) in Chromium against an emulated 5.0 cluster: the job
// form's carrier is picked by name among the carriers pulled from that scope (a scope never pulled says so and
// offers the pull), the pre-flight and the submission name the account and the carrier and offer the invalid rows
// as a button (no command line in the app); the audit log, its CSV and the targets after a reload name the account
// and the carrier; the History panel's version viewer never lies over the Restore buttons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tempDir } from '../support/temp.ts';
import { openBrowser, screenshot } from '../support/browser.ts';
import { startInProcessHost } from '../support/app-host.ts';
import { startEmulator } from '../kazoo-emulator/index.ts';
import { JobsPage } from './pages/JobsPage.ts';
import { AuditPage } from './pages/AuditPage.ts';
import { DraftsPage } from './pages/DraftsPage.ts';

const ACME = 'c0000000000000000000000000000003';
const ACME_CARRIER = 'f1000000000000000000000000000001';
const LOGIN = { kind: 'user' as const, accountName: 'Master', username: 'admin', password: 'demo-admin-pass' };
type Dispatch = (method: string, args: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>;

async function setup(t: import('node:test').TestContext, opts: { width?: number } = {}) {
  const dir = tempDir();
  const emu = await startEmulator({ flavor: '5.0', jobDelayMs: 20 });
  const host = await startInProcessHost(dir.path);
  const browser = await openBrowser(opts.width ? { width: opts.width, height: 800 } : {});
  t.after(async () => {
    await browser.close();
    await host.close();
    await emu.close();
    dir.remove();
  });
  const dispatch = host.core.dispatch as Dispatch;
  const must = async <T>(method: string, args: unknown): Promise<T> => {
    const r = await dispatch(method, args);
    assert.ok(r.ok, `${method}: ${r.error?.message}`);
    return r.value as T;
  };
  await must('clusters.add', { name: 'lab-5', url: emu.url, auth: LOGIN });
  return { browser, page: browser.page, host, must };
}

test('the job carrier is picked by name among the pulled carriers of the scope, and the pre-flight names account and carrier', async (t) => {
  const { browser, page, host, must } = await setup(t);
  const text = ['+1 512 555 0100', '+1 512 555 0101', 'not a number', '+1 512 555 0102'].join('\n');
  await must('numbers.import', { name: 'names-list', text, country: 'US', wait: true });
  await page.goto(host.web.url);
  const jobsPage = new JobsPage(page);
  await jobsPage.open();
  await jobsPage.chooseScope({ list: 'names-list', cluster: 'lab-5', accountId: ACME });

  // Never pulled: no id box to type into, the reason and the pull on offer.
  const carrier = page.getByLabel('Carrier', { exact: true });
  const note = page.getByTestId('carrier-note');
  await note.filter({ hasText: 'have not been pulled' }).waitFor();
  assert.equal(await carrier.evaluate((e) => e.tagName), 'SELECT');
  assert.equal(await carrier.isDisabled(), true);
  assert.match((await note.textContent())!, /account Acme Corp on lab-5/);
  await note.getByRole('button', { name: 'Pull them now' }).click();
  await note.filter({ hasText: 'as pulled' }).waitFor();
  // Only the carriers of that account, by name (Globex's and the global ones are not valid there).
  const options = (await carrier.locator('option').allTextContents()).slice(1);
  assert.deepEqual(options.sort(), ['Acme BYOC Twilio', 'Acme Backup SIP (disabled)']);
  await carrier.selectOption({ label: 'Acme BYOC Twilio' });
  assert.equal(await carrier.inputValue(), ACME_CARRIER);
  await screenshot(page, 'names-job-form');

  await jobsPage.preflight();
  const pf = page.getByTestId('preflight');
  const pfText = (await pf.textContent())!;
  assert.match(pfText, /into account Acme Corp/);
  assert.match(pfText, /Acme BYOC Twilio/);
  // The invalid row is offered as a button, not as a command to type.
  await pf.getByRole('button', { name: 'Export invalid rows (CSV)' }).waitFor();
  assert.doesNotMatch(pfText, /--|carrier-desk|numbers export|includeExisting/);
  await screenshot(page, 'names-preflight');

  await jobsPage.submit();
  const head = jobsPage.batches.first().locator('header');
  await head.filter({ hasText: 'Acme BYOC Twilio' }).waitFor();
  assert.match((await head.textContent())!, /into account Acme Corp/);
  assert.doesNotMatch((await head.textContent())!, new RegExp(ACME_CARRIER));
  assert.deepEqual(browser.problems, []);
});

test('audit log, its CSV and the targets after a reload name the account and the carrier; the version viewer leaves Restore free', async (t) => {
  const { browser, page, host, must } = await setup(t, { width: 1024 });
  await must('pull.run', { cluster: 'lab-5', scope: ACME });
  const draft = await must<{ id: string }>('drafts.create', { name: 'Twilio copy', from: { kind: 'snapshot', cluster: 'lab-5', scope: ACME, id: ACME_CARRIER } });
  await must('drafts.edit', { draft: draft.id, set: [{ path: 'weight_cost', value: 42 }], note: 'cheaper' });
  await must('sync.apply', { draft: draft.id });

  await page.goto(host.web.url);
  const audit = new AuditPage(page);
  await audit.open();
  const row = audit.rows().first();
  await row.waitFor();
  const cells = await row.locator('td').allTextContents();
  assert.equal(cells[1]!.trim(), 'Twilio copy');
  assert.equal(cells[3]!.trim(), 'Acme Corp', 'the scope by its account name');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export shown (CSV)' }).click()]);
  const csv = readFileSync((await download.path())!, 'utf8').split('\n');
  assert.equal(csv[0], 'time,cluster,scope,scope_id,carrier,resource_id,action,result,changed_fields,request_id,error');
  assert.match(csv[1]!, new RegExp(`,lab-5,Acme Corp,${ACME},Twilio copy,${ACME_CARRIER},update,ok,`));
  await screenshot(page, 'names-audit');

  // The targets of the draft, after a reload of the page: the account by name.
  const drafts = new DraftsPage(page);
  await drafts.open();
  await drafts.select('Twilio copy');
  await page.reload();
  await drafts.select('Twilio copy');
  await drafts.tab('Targets & sync');
  await page.getByRole('rowheader', { name: 'lab-5' }).first().waitFor();
  await page.getByRole('cell', { name: 'Acme Corp', exact: true }).first().waitFor();

  // History at 1024 px: the viewer of a version sits beside or below the list, never over its Restore buttons.
  await drafts.tab('History');
  await page.getByRole('button', { name: 'View version 1' }).click();
  const viewer = page.getByTestId('history-viewer');
  await viewer.waitFor();
  const v = (await viewer.boundingBox())!;
  for (const name of ['Restore version 1', 'View version 2']) {
    const b = (await page.getByRole('button', { name }).boundingBox())!;
    const overlaps = b.x < v.x + v.width && v.x < b.x + b.width && b.y < v.y + v.height && v.y < b.y + b.height;
    assert.ok(!overlaps, `${name} is not covered by the viewer (${JSON.stringify(b)} vs ${JSON.stringify(v)})`);
  }
  // Nothing grows wider than its room (a long note wraps): neither the page nor the main area scrolls sideways.
  assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true);
  assert.equal(await page.evaluate("(() => { const m = document.querySelector('main'); return m.scrollWidth <= m.clientWidth; })()"), true, 'the main area does not scroll sideways');
  await screenshot(page, 'names-history-1024');
  await page.getByRole('button', { name: 'Restore version 1' }).click();
  await page.getByTestId('history').getByRole('rowheader', { name: 'v3 (current)' }).waitFor();
  // The first version's note names the carrier and its account, not their ids.
  assert.match((await page.getByTestId('history').getByRole('row').filter({ hasText: 'v1' }).textContent())!, /from Acme BYOC Twilio \(lab-5, account Acme Corp\)/);
  assert.deepEqual(browser.problems, []);
});

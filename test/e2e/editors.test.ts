// End-to-end: nothing typed in the carrier editor is lost. Each editor kind (custom SIP headers, classifiers,
// formatters, flags and other string lists, codecs, JSON and number fields) is typed into key by key, moving
// on with a click or Tab as a person does, saved, and the saved version is read back through the core.
// Also: saving keeps the editor as it was (open sections, focus), and fields are checked as they are typed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../support/temp.ts';
import { openBrowser, screenshot, type BrowserSession } from '../support/browser.ts';
import { startInProcessHost, type InProcessHost } from '../support/app-host.ts';
import { call } from '../support/core-calls.ts';
import { DraftsPage } from './pages/DraftsPage.ts';
import { ResourceEditorPage } from './pages/ResourceEditorPage.ts';

type Doc = Record<string, unknown>;

test('the carrier editor keeps every keystroke', async (t) => {
  const dir = tempDir();
  const host: InProcessHost = await startInProcessHost(dir.path);
  const browser: BrowserSession = await openBrowser({ width: 1280, height: 800 });
  t.after(async () => {
    await browser.close();
    await host.close();
    dir.remove();
  });
  const { page } = browser;
  // Leaving a draft with unsaved edits asks first; a subtest that failed half-way must not block the next one.
  page.on('dialog', (d) => void d.accept());
  await page.goto(host.web.url);
  const drafts = new DraftsPage(page);
  const editor = new ResourceEditorPage(page);
  await drafts.open();
  let n = 0;
  /** A fresh draft open in the editor; returns a reader of its saved document. */
  async function fresh(): Promise<() => Promise<Doc>> {
    const name = `Editor test ${++n}`;
    await drafts.create(name);
    return async () => (await call(host.core, 'drafts.get', { draft: name })).doc as Doc;
  }
  const gw0 = (doc: Doc) => (doc.gateways as Doc[])[0]!;

  await t.test('custom SIP header: a name, then a click in its value box', async () => {
    const saved = await fresh();
    const g = await editor.addGateway('sip.carrier.example');
    await editor.moreOptions(g);
    await g.getByRole('button', { name: 'Add header' }).click();
    await g.getByLabel('Header name').first().click();
    await page.keyboard.press('Control+A');
    await editor.type('X-Carrier-Trunk');
    await g.getByLabel(/^Value of/).first().click();
    assert.equal(await editor.focusedId(), 'gw0-hdr-f-0-v', 'the click lands in the value box');
    await editor.type('trunk-7');
    await editor.save();
    assert.deepEqual(gw0(await saved()).custom_sip_headers, { 'X-Carrier-Trunk': 'trunk-7' });
  });

  await t.test('custom SIP header: a name, then Tab (inbound and outbound kept apart)', async () => {
    const saved = await fresh();
    const g = await editor.addGateway('sip.carrier.example');
    await editor.moreOptions(g);
    await g.getByLabel('separate inbound and outbound headers').check();
    await g.getByRole('button', { name: 'Add header (out)' }).click();
    await g.getByLabel('Header name').first().click();
    await page.keyboard.press('Control+A');
    await editor.type('X-Out');
    await page.keyboard.press('Tab');
    await editor.type('to-carrier');
    await g.getByRole('button', { name: 'Add header (in)' }).click();
    await g.getByLabel('Header name').first().click();
    await page.keyboard.press('Control+A');
    await editor.type('X-In');
    await page.keyboard.press('Tab');
    await editor.type('to-kazoo');
    // A name another header already has is refused at the field, never merged over the other one.
    await g.getByRole('button', { name: 'Add header (out)' }).click();
    const third = g.getByLabel('Header name').nth(2);
    await third.click();
    await page.keyboard.press('Control+A');
    await editor.type('X-Out');
    await page.keyboard.press('Tab');
    assert.match((await editor.fieldError(third)) ?? '', /already named X-Out/);
    await g.getByRole('button', { name: 'Remove header X-Header-1' }).click();
    await editor.save();
    assert.deepEqual(gw0(await saved()).custom_sip_headers, { in: { 'X-In': 'to-kazoo' }, out: { 'X-Out': 'to-carrier' } });
  });

  await t.test('classifier: a name, then its fields with clicks and Tab', async () => {
    const saved = await fresh();
    const s = await editor.section('Classifiers');
    await s.getByLabel('New classifier').click();
    await editor.type('tollfree_us');
    await page.keyboard.press('Enter');
    await s.getByLabel('Regex').click();
    await editor.type('^\\+1(8\\d{9})$');
    await page.keyboard.press('Tab');
    await editor.type('1');
    await s.getByLabel('Weight cost (0–100)').click();
    await editor.type('20');
    await editor.save();
    assert.deepEqual((await saved()).classifiers, { tollfree_us: { enabled: true, regex: '^\\+1(8\\d{9})$', prefix: '1', weight_cost: 20 } });
  });

  await t.test('formatter: a field, then its rule', async () => {
    const saved = await fresh();
    const s = await editor.section('Formatters');
    await s.getByLabel('Field to format').click();
    await editor.type('from');
    await s.getByRole('button', { name: 'Add formatter' }).click();
    await s.getByLabel('Regex').click();
    await editor.type('^\\+?1?(\\d{10})$');
    await page.keyboard.press('Tab');
    await editor.type('+1');
    await editor.save();
    assert.deepEqual((await saved()).formatters, { from: [{ direction: 'outbound', regex: '^\\+?1?(\\d{10})$', prefix: '+1' }] });
  });

  await t.test('flags and rules: items typed one after the other', async () => {
    const saved = await fresh();
    const flags = await editor.section('Flags');
    for (const f of ['fax', 'intl']) {
      await flags.getByRole('button', { name: 'Add flag' }).click();
      await editor.type(f);
      await page.keyboard.press('Tab');
    }
    const rules = page.getByTestId('list-rules');
    for (const r of ['^\\+1(\\d{10})$', '^011(\\d+)$']) {
      await rules.getByRole('button', { name: 'Add rule' }).click();
      await editor.type(r);
    }
    await rules.getByRole('button', { name: 'Move Rules 2 up' }).click();
    await editor.save();
    const doc = await saved();
    assert.deepEqual(doc.flags, ['fax', 'intl']);
    assert.deepEqual(doc.rules, ['^011(\\d+)$', '^\\+1(\\d{10})$']);
  });

  await t.test('gateway lists, codecs and a JSON field', async () => {
    const saved = await fresh();
    const g = await editor.addGateway('sip.carrier.example');
    await g.getByLabel('G729').check();
    await g.getByLabel('PCMU').check();
    await editor.moreOptions(g);
    const statics = page.getByTestId('list-gateways.0.invite_parameters.static');
    await statics.getByRole('button', { name: /^Add static invite parameter/ }).click();
    await editor.type('npdi=yes');
    // Typed key by key: the text becomes valid JSON half-way ("[]", then ["zone"]) and must not be re-formatted
    // under the cursor (the next keys would land after the closing bracket).
    const dynamic = g.getByLabel('Dynamic INVITE parameters (JSON list)');
    await dynamic.click();
    await editor.type('[]');
    await page.keyboard.press('ArrowLeft');
    await editor.type('"zone", "custom_sip_headers.X-Trunk"');
    const media = await editor.section('Media and codecs');
    await media.getByLabel('OPUS', { exact: true }).check();
    await media.getByLabel('PCMU', { exact: true }).check();
    await editor.save();
    const doc = await saved();
    assert.deepEqual(gw0(doc).codecs, ['G729', 'PCMU']);
    assert.deepEqual(gw0(doc).invite_parameters, { static: ['npdi=yes'], dynamic: ['zone', 'custom_sip_headers.X-Trunk'] });
    assert.deepEqual((doc.media as Doc).audio, { codecs: ['OPUS', 'PCMU'] });
  });

  await t.test('saving keeps the editor as it was, and what is typed right after is kept', async () => {
    const saved = await fresh();
    const g = await editor.addGateway('sip.carrier.example');
    await editor.moreOptions(g);
    const realm = g.getByLabel('From URI realm');
    await realm.click();
    await editor.type('carrier.example');
    await page.keyboard.press('Control+s');
    await page.getByTestId('save-state').filter({ hasText: /^Saved as version 2/ }).waitFor();
    // Still open, still focused: the next keys go on in the same field and end in the next version.
    assert.equal(await editor.focusedId(), 'gw0-from_uri_realm');
    await editor.type('.net');
    await page.getByTestId('save-state').filter({ hasText: 'Unsaved changes' }).waitFor();
    assert.equal(await realm.inputValue(), 'carrier.example.net');
    await editor.save();
    assert.equal(gw0(await saved()).from_uri_realm, 'carrier.example.net');
  });

  await t.test('numbers are checked as they are typed, next to the field', async () => {
    const saved = await fresh();
    const g = await editor.addGateway('sip.carrier.example');
    const port = g.getByLabel('Port');
    await port.click();
    await editor.type('70000');
    assert.match((await editor.fieldError(port)) ?? '', /from 1 to 65535/);
    await page.keyboard.press('Backspace');
    assert.equal(await editor.fieldError(port), null);
    const weight = editor.root.getByLabel('Weight cost (0–100, lower first)');
    await weight.click();
    await editor.type('1.5');
    assert.match((await editor.fieldError(weight)) ?? '', /whole number from 0 to 100/);
    assert.equal(await weight.inputValue(), '1.5', 'a half-typed number is not rewritten');
    await weight.fill('');
    await editor.type('150');
    assert.match((await editor.fieldError(weight)) ?? '', /from 0 to 100/);
    await screenshot(page, 'editor-typed-checks');
    await weight.fill('15');
    assert.equal(await editor.fieldError(weight), null);
    await editor.save();
    const doc = await saved();
    assert.equal(gw0(doc).port, 7000);
    assert.equal(doc.weight_cost, 15);
  });
  assert.deepEqual(browser.problems, []);
});

// End-to-end: a walk of every screen a new user reaches, in light and in dark mode, at 1280×800 and at 1024×768
// (issue 14). First every screen empty; then with three clusters (one whose login is refused, one whose import job is
// still running), pulled carriers, an applied draft and a new one, a number list with errors and a finished import job,
// each screen, sub-editor and dialog is opened in Chromium as a user would. At each stop, at both widths, every piece of
// visible text must reach a contrast of 4.5:1 against what is drawn behind it (WCAG AA body text), and nothing may be
// wider than the main area or its dialog (a control pushed out of sight). A few layout faults the walk found are
// asserted where they were. Screenshots: test-results/screenshots/walk-THEME-WIDTH-NN-STOP.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { tempDir } from '../support/temp.ts';
import { openBrowser, screenshot } from '../support/browser.ts';
import { startInProcessHost } from '../support/app-host.ts';
import { detachedLabels, lowContrast, overflow } from '../support/page-checks.ts';
import { startEmulator } from '../kazoo-emulator/index.ts';
import { call } from '../support/core-calls.ts';
import { ClustersPage } from './pages/ClustersPage.ts';
import { DraftsPage } from './pages/DraftsPage.ts';
import { MatrixPage } from './pages/MatrixPage.ts';
import { RoutePage } from './pages/RoutePage.ts';
import { NumbersPage } from './pages/NumbersPage.ts';
import { ResourceEditorPage } from './pages/ResourceEditorPage.ts';

const ACME = 'c0000000000000000000000000000003';
const ACME_CARRIER = 'f1000000000000000000000000000001';
const GROUND = { light: null, dark: 'rgb(15, 19, 24)' } as const;

function nav(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: new RegExp(`^${name.replace('&', '\\&')}`) });
}

async function walk(scheme: 'light' | 'dark'): Promise<void> {
  const dir = tempDir();
  const emu = await startEmulator({ flavor: '5.0', jobDelayMs: 0 });
  // A second cluster whose import jobs take their time, so a batch is still running while the walk looks at it.
  const slow = await startEmulator({ flavor: '4.3', jobDelayMs: 60_000 });
  const host = await startInProcessHost(dir.path);
  const browser = await openBrowser({ width: 1280, height: 800, colorScheme: scheme });
  const problems: string[] = [];
  try {
    const { page } = browser;
    let stop = 0;
    /** Checks what is on the screen now at both widths and keeps a screenshot of each. */
    const look = async (name: string) => {
      stop++;
      await page.waitForLoadState('networkidle');
      for (const [width, height] of [[1280, 800], [1024, 768]] as const) {
        await page.setViewportSize({ width, height });
        await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
        const bg = await page.evaluate('getComputedStyle(document.body).backgroundColor');
        if (GROUND[scheme] && bg !== GROUND[scheme]) problems.push(`${name} @${width}: the ground is ${bg}`);
        for (const p of await lowContrast(page)) problems.push(`${name} @${width}: low contrast: ${p}`);
        for (const p of await overflow(page)) problems.push(`${name} @${width}: ${p}`);
        for (const p of await detachedLabels(page)) problems.push(`${name} @${width}: ${p}`);
        await screenshot(page, `walk-${scheme}-${width}-${String(stop).padStart(2, '0')}-${name.replace(/\W+/g, '-').toLowerCase()}`);
      }
      await page.setViewportSize({ width: 1280, height: 800 });
    };

    await page.goto(host.web.url);
    // A new user's first look: every screen before there is anything to show.
    for (const [name, heading] of [['Clusters', 'Clusters'], ['Accounts', 'Accounts'], ['Resources', /^Resources/], ['Drafts & sync', 'Drafts'], ['Overview', /^Overview/], ['Route', 'Route a number'], ['Number lists', 'Number lists'], ['Jobs', 'Jobs'], ['Audit log', 'Audit log']] as const) {
      await nav(page, name).click();
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await look(`empty-${name}`);
    }
    // With no cluster, the Overview's first step is adding one (pulling needs a cluster).
    await nav(page, 'Overview').click();
    assert.match((await page.getByTestId('matrix-empty').textContent()) ?? '', /^No cluster yet\. Add a cluster/);

    const core = host.core;
    const login = { kind: 'user', accountName: 'Master', username: 'admin' } as const;
    await call(core, 'clusters.add', { name: 'lab-5', url: emu.url, auth: { ...login, password: 'demo-admin-pass' } });
    await core.dispatch('clusters.add', { name: 'lab-refused', url: emu.url, auth: { ...login, password: 'not-the-password' } });
    await call(core, 'pull.run', { cluster: 'lab-5', all: true });
    const copy = await call(core, 'drafts.create', { name: 'Walk copy', from: { kind: 'snapshot', cluster: 'lab-5', scope: ACME, id: ACME_CARRIER } });
    await call(core, 'drafts.edit', { draft: copy.id, set: [{ path: 'weight_cost', value: 41 }], unset: [] });
    await call(core, 'sync.apply', { draft: copy.id });
    await call(core, 'drafts.edit', { draft: copy.id, set: [{ path: 'weight_cost', value: 35 }], unset: [] });
    const fresh = await call(core, 'drafts.create', { name: 'Walk new carrier', from: { kind: 'json', doc: { name: 'Walk new carrier', gateways: [{ server: 'gw.walk.example', port: 5060 }], rules: ['^\\+1(\\d{10})$'] } } });
    await call(core, 'targets.add', { draft: fresh.id, cluster: 'lab-5', scope: 'global' });
    await call(core, 'numbers.import', { name: 'walk-list', text: '+1 512 555 0100\n+1 512 555 0101\nnope\n+1 512 555 0100', country: 'US', wait: true });
    await call(core, 'jobs.submit', { list: 'walk-list', cluster: 'lab-5', account: ACME, resource: ACME_CARRIER, skipPresent: false });
    await call(core, 'clusters.add', { name: 'lab-slow', url: slow.url, auth: { ...login, password: 'demo-admin-pass' } });
    await call(core, 'pull.run', { cluster: 'lab-slow', scope: ACME });
    await call(core, 'jobs.submit', { list: 'walk-list', cluster: 'lab-slow', account: ACME, resource: ACME_CARRIER, skipPresent: false });

    await page.reload();
    // Clusters: one logged in, one whose login is refused; the add dialog.
    const clusters = new ClustersPage(page);
    await clusters.open();
    await clusters.row('lab-refused').getByTestId('cluster-reachability').filter({ hasText: /refused/ }).waitFor();
    await look('clusters');
    await page.getByRole('button', { name: 'Add cluster', exact: true }).click();
    await clusters.dialog.getByRole('heading').waitFor();
    await look('clusters-add-dialog');
    await clusters.closeDialog();
    // The refused login's dialog, checked again: the error says what to fix.
    await page.getByRole('button', { name: 'Edit lab-refused' }).click();
    await clusters.dialog.getByRole('button', { name: 'Save and check' }).click();
    await clusters.checkError();
    await look('clusters-refused-login');
    await clusters.closeDialog();

    await nav(page, 'Accounts').click();
    await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor();
    await look('accounts');
    await nav(page, 'Resources').click();
    await page.getByRole('heading', { name: /^Resources/, level: 1 }).waitFor();
    await look('resources');

    // Drafts: the list, the editor, targets and plan, the apply question, history, the outbox.
    const drafts = new DraftsPage(page);
    await drafts.open();
    await look('drafts-list');
    await drafts.select('Walk copy');
    await drafts.tab('Edit');
    await look('draft-editor');
    // Every sub-editor open: a gateway's options with a header, a classifier, a formatter, flags, media, other fields.
    const editor = new ResourceEditorPage(page);
    const g = editor.gateway(0);
    await editor.moreOptions(g);
    await g.getByRole('button', { name: 'Add header' }).first().click();
    await page.keyboard.type('X-Walk-Trunk');
    for (const name of ['Rules and caller id rules', 'Flags', 'Media and codecs', 'Other fields']) await editor.section(name);
    const classifiers = await editor.section('Classifiers');
    await classifiers.getByLabel('New classifier').fill('tollfree_us');
    await classifiers.getByLabel('New classifier').press('Enter');
    const formatters = await editor.section('Formatters');
    await formatters.getByLabel('Field to format').fill('from');
    await formatters.getByRole('button', { name: 'Add formatter' }).click();
    await look('draft-editor-every-section');
    await page.getByRole('button', { name: 'Discard' }).click();
    await drafts.tab('Targets & sync');
    await drafts.plan();
    await look('draft-plan');
    await page.getByRole('button', { name: /^Apply \(/ }).click();
    await page.getByTestId('apply-confirm').getByRole('heading').waitFor();
    await look('draft-apply-confirm');
    await page.getByTestId('apply-confirm').getByRole('button', { name: 'Cancel' }).click();
    await drafts.tab('History');
    await look('draft-history');
    await page.getByRole('button', { name: 'View version 1' }).click();
    await look('draft-history-version');
    await drafts.select('Walk new carrier');
    await drafts.tab('Targets & sync');
    await drafts.plan();
    await look('draft-plan-create');
    // At 1024 px the target's cluster name stays on one line, and the words beside it are not broken mid-word.
    await page.setViewportSize({ width: 1024, height: 768 });
    const lines = (await page.evaluate(`(() => {
      const row = document.querySelector('[data-testid="target-lab-5"]');
      const linesOf = (el) => { const r = document.createRange(); r.selectNodeContents(el); return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size; };
      return { cluster: linesOf(row.querySelector('th')), carrier: linesOf(row.querySelector('[data-testid="target-carrier"]')) };
    })()`)) as { cluster: number; carrier: number };
    assert.equal(lines.cluster, 1, 'the cluster name on one line');
    assert.ok(lines.carrier <= 2, `'will be created on the cluster' in at most two lines (${JSON.stringify(lines)})`);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('link', { name: /^Outbox/ }).click();
    await page.getByRole('heading', { name: 'Outbox' }).waitFor();
    await look('outbox');

    // Overview and a cell's dialog.
    const matrix = new MatrixPage(page);
    await matrix.open();
    await matrix.cell('Walk copy', 'lab-5', ACME).waitFor();
    await look('overview');
    await matrix.cell('Walk copy', 'lab-5', ACME).click();
    // Names, not ids: the account the cell stands for is named in the dialog's title.
    await matrix.cellDialog.getByRole('heading', { name: 'Walk copy on lab-5 (Acme Corp): changed, not applied' }).waitFor({ timeout: 5000 });
    await look('overview-cell');
    await page.keyboard.press('Escape');

    const route = new RoutePage(page);
    await route.open();
    await look('route-empty');
    // The carriers choice: each option on one line beside 'Carriers' (they were squeezed to three lines each).
    for (const width of [1280, 1024]) {
      await page.setViewportSize({ width, height: 800 });
      const optionLines = (await page.evaluate(`[...document.querySelectorAll('form[aria-label="Call to route"] fieldset label')].map((l) => { const r = document.createRange(); r.selectNodeContents(l); return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size; })`)) as number[];
      assert.deepEqual(optionLines, [1, 1], `the carriers options at ${width} px: lines each`);
      // The checkbox and the Route button line up with the boxes of the second column.
      const lefts = (await page.evaluate(`['#rt-number', 'form[aria-label="Call to route"] label.inline', 'form[aria-label="Call to route"] button[type=submit]'].map((q) => Math.round(document.querySelector(q).getBoundingClientRect().left))`)) as number[];
      assert.deepEqual(new Set(lefts).size, 1, `the number box, the checkbox and the button start at one x at ${width} px: ${lefts.join(', ')}`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await route.route({ number: '+15125550100', account: 'Acme Corp', own: true }, ['lab-5']);
    await look('route-answer');

    // Number lists: a list with errors, then an import's preview.
    const numbers = new NumbersPage(page);
    await numbers.open();
    await page.getByTestId('list-detail').waitFor();
    await look('number-list');
    await numbers.startImport();
    await numbers.paste('name,number\nA,+1 512 555 0199\nB,not a number\nC,512-555-01');
    await numbers.columnPicker.waitFor();
    await look('number-import-preview');

    await nav(page, 'Jobs').click();
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    await page.getByText('all imported').first().waitFor();
    await look('jobs');
    await page.getByRole('button', { name: 'New import job…' }).click();
    await look('jobs-new');
    // The form's fields sit beside their labels (an empty grid cell once pushed 'Numbers per job' off its box).
    const label = (await page.getByText('Numbers per job', { exact: true }).boundingBox())!;
    const box = (await page.getByLabel('Numbers per job').boundingBox())!;
    assert.ok(label.x + label.width <= box.x && label.y < box.y + box.height && box.y < label.y + label.height, `Numbers per job: its label left of its box, on its row (${JSON.stringify({ label, box })})`);
    await nav(page, 'Audit log').click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await look('audit');
    // The search box shows its whole hint at both widths (it was cut after 'field,').
    for (const width of [1280, 1024]) {
      await page.setViewportSize({ width, height: 800 });
      const fits = await page.evaluate(`(() => { const i = document.getElementById('au-text'); const st = getComputedStyle(i); const c = document.createElement('canvas').getContext('2d'); c.font = st.font; return c.measureText(i.placeholder).width <= i.clientWidth - parseFloat(st.paddingLeft) - parseFloat(st.paddingRight); })()`);
      assert.equal(fits, true, `the audit search hint fits at ${width} px`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await nav(page, 'About').click();
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await look('about');
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
    await host.close();
    await emu.close();
    await slow.close();
    dir.remove();
  }
  assert.deepEqual(problems, []);
}

test('a walk of every screen in light mode, at 1280 and 1024 px: readable, nothing out of sight', () => walk('light'));
test('a walk of every screen in dark mode, at 1280 and 1024 px: a dark ground, readable, nothing out of sight', () => walk('dark'));

// End-to-end: number lists in Chromium against the browser host: a messy CSV imported through the file
// picker with its counts checked, filters and export of the invalid rows, and a list dropped on the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE } from '../../electron/core/index.ts';
import { tempDir } from '../support/temp.ts';
import { openBrowser, screenshot } from '../support/browser.ts';
import { startInProcessHost } from '../support/app-host.ts';
import { call } from '../support/core-calls.ts';
import { NumbersPage } from './pages/NumbersPage.ts';

const MESSY = join(import.meta.dirname, 'fixtures', 'messy-numbers.csv');

async function setup(t: import('node:test').TestContext, opts: { colorScheme?: 'light' | 'dark' } = {}) {
  const dir = tempDir();
  const host = await startInProcessHost(dir.path);
  const browser = await openBrowser(opts);
  // What the page asks the core for (the websocket opens with the first page load).
  const sent: { method: string; args: Record<string, unknown> }[] = [];
  browser.page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(JSON.parse(String(f.payload)) as (typeof sent)[number])));
  t.after(async () => {
    await browser.close();
    await host.close();
    dir.remove();
  });
  await browser.page.goto(host.web.url);
  const numbers = new NumbersPage(browser.page);
  await numbers.open();
  return { host, browser, numbers, page: browser.page, sent, dir: dir.path };
}

test('a messy CSV is imported with the right valid, invalid and duplicate counts', async (t) => {
  const { browser, numbers, page } = await setup(t);
  await numbers.startImport();
  await numbers.chooseFile(MESSY);
  // The column with the numbers is found under its header, and the header row is recognised.
  assert.equal(await numbers.chosenColumn(), 2);
  assert.equal(await page.getByLabel('The first row is a header (not a number)').isChecked(), true);
  assert.equal(await page.getByLabel('List name').inputValue(), 'messy-numbers');
  await screenshot(page, 'numbers-import-preview');
  await numbers.submitImport();
  await numbers.waitUntilReady();
  // 11 data rows (header and blank lines skipped): 6 valid, 3 invalid, 2 duplicates of earlier lines.
  assert.deepEqual(await numbers.counts(), { total: 11, valid: 6, invalid: 3, duplicate: 2 });
  await numbers.waitForRows(11);
  await screenshot(page, 'numbers-list');

  await numbers.filter('Invalid');
  await numbers.waitForRows(3, 'invalid');
  const invalid = await numbers.rowTexts();
  assert.ok(invalid.some((r) => r.includes('12345')), invalid.join('\n'));
  assert.ok(invalid.some((r) => r.includes('not a number')), invalid.join('\n'));

  await numbers.filter('Duplicates');
  await numbers.waitForRows(2, 'duplicate');
  const dups = await numbers.rowTexts();
  assert.ok(dups.some((r) => r.includes('+14155550100') && r.includes('same as line 2')), dups.join('\n'));

  // Export of the invalid rows downloads a CSV with exactly those rows.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export invalid rows (CSV)' }).click()]);
  assert.equal(download.suggestedFilename(), 'messy-numbers-invalid.csv');
  const csv = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/);
  // The same columns as `carrier-desk numbers export --invalid`.
  assert.equal(csv[0], 'line,raw,e164,verdict,reason,duplicate_of_line');
  assert.equal(csv.length, 4, csv.join('\n'));
  assert.ok(csv.some((l) => l.startsWith('14,555-1234,,invalid,')), csv.join('\n'));
  await page.getByTestId('export-status').filter({ hasText: 'Saved 3 invalid rows.' }).waitFor();
  assert.deepEqual(browser.problems, []);
});

test('a file dropped on the page and pasted numbers both become lists (dark theme)', async (t) => {
  const { browser, numbers, page } = await setup(t, { colorScheme: 'dark' });
  await numbers.startImport();
  await numbers.dropFile('dropped.txt', '+44 20 7946 0958\n020 7946 0959\n+44 20 7946 0958\n12\n');
  await numbers.setCountry('GB');
  await numbers.submitImport();
  await numbers.waitUntilReady();
  assert.deepEqual(await numbers.counts(), { total: 4, valid: 2, invalid: 1, duplicate: 1 });

  await numbers.startImport();
  await numbers.paste('+1 212 555 0100\n+1 212 555 0101');
  await numbers.setName('pasted');
  await numbers.submitImport();
  await numbers.waitUntilReady();
  assert.deepEqual(await numbers.counts(), { total: 2, valid: 2, invalid: 0, duplicate: 0 });
  assert.equal(await page.getByTestId('list-item').count(), 2);
  await screenshot(page, 'numbers-list-dark');
  assert.deepEqual(browser.problems, []);
});

test('each row is one line: a long value is cut at its column with its whole text on hover, wide characters keep the columns aligned, a selection copies lines', async (t) => {
  const { browser, numbers, page } = await setup(t);
  await numbers.startImport();
  const long = '+1 212 555 0100 ext. 1234 (front desk ask for Sam)';
  // Fullwidth digits: each takes two columns (not read as a number: the row is invalid, its note says so).
  const wide = '２１２ ５５５ ０１０１';
  await numbers.paste([long, wide, '+1 212 555 0102'].join('\n'));
  await numbers.setName('long and wide');
  await numbers.submitImport();
  await numbers.waitUntilReady();
  await numbers.waitForRows(3);
  await screenshot(page, 'numbers-long-and-wide');

  // The long value is cut with '…' at its column; hovering it shows the whole text.
  const cut = await numbers.shownRow(0);
  assert.ok(cut.raw.endsWith('…') && long.startsWith(cut.raw.slice(0, -1)) && cut.raw.length > 10, cut.raw);
  const hovered = await numbers.hoverRawCell(0);
  assert.equal(hovered.tooltip, long);
  // The row with wide characters shows them whole, and its E.164 column starts where the other rows' and the header's
  // do (whatever the width of the fallback font's glyphs: this machine has none for them), and so does its verdict.
  assert.deepEqual(await numbers.shownRow(1), { line: '2', raw: wide, e164: '', verdict: 'invalid', note: 'not a phone number' });
  assert.equal((await numbers.shownRow(2)).e164, '+12125550102');
  const lefts = [await numbers.e164Left('header'), await numbers.e164Left(0), await numbers.e164Left(1), await numbers.e164Left(2)];
  for (const x of lefts) assert.ok(Math.abs(x - lefts[0]!) < 0.5, `E.164 column starts at ${lefts.join(', ')} px`);
  const verdicts = await numbers.rows.locator('.v').evaluateAll((els) => els.map((e) => (e as unknown as { getBoundingClientRect(): { left: number } }).getBoundingClientRect().left));
  assert.equal(verdicts.length, 3);
  for (const x of verdicts) assert.ok(Math.abs(x - verdicts[0]!) < 0.5, `verdicts start at ${verdicts.join(', ')} px`);

  // A selection dragged across two rows copies two lines, one per row, with its values in order.
  await page.mouse.move(0, 0);
  const copied = (await numbers.selectRows(1, 2)).split('\n').filter((l) => l.trim() !== '');
  assert.equal(copied.length, 2, copied.join('\n'));
  assert.match(copied[0]!, /^2\s+２１２ ５５５ ０１０１\s+invalid\s+not a phone number$/);
  assert.match(copied[1]!, /^3\s+\+1 212 555 0102\s+\+12125550102\s+valid/);
  assert.deepEqual(browser.problems, []);
});

test('a large list shows live progress while it imports and its last row is reachable by scrolling', async (t) => {
  const { browser, numbers, page, host, sent, dir } = await setup(t);
  const N = 150_000;
  const areas = [212, 312, 415, 512, 617, 646, 702, 737, 818, 917];
  // 100,000 distinct valid numbers, then 50,000 repeats of earlier ones.
  const lines = Array.from({ length: N }, (_, i) => `+1 ${areas[Math.floor((i % 100_000) / 10_000)]} 555 ${String(i % 10_000).padStart(4, '0')}`);
  await numbers.startImport();
  await numbers.chooseGeneratedFile('big.txt', lines.join('\n'));
  await numbers.submitImport();
  await numbers.waitUntilImporting();
  await page.getByRole('progressbar', { name: 'Import progress' }).waitFor();
  await screenshot(page, 'numbers-importing');
  await numbers.waitUntilReady();
  assert.deepEqual(await numbers.counts(), { total: N, valid: 100_000, invalid: 0, duplicate: 50_000 });
  assert.equal(await numbers.scrollToEnd(), N);
  // Only the rows in view exist in the page, in list order on screen and for assistive technology, and they are
  // not paint layers of their own: only the few chunks that hold them are (one layer per row cost every frame).
  assert.ok((await numbers.rows.count()) < 200);
  const layout = await numbers.rowLayout();
  const expected = Array.from({ length: layout.onScreen.length }, (_, i) => N - layout.onScreen.length + i);
  assert.deepEqual(layout.onScreen, expected);
  assert.deepEqual(layout.announced, expected);
  assert.ok(layout.layers > 0 && layout.layers < layout.onScreen.length / 2, `${layout.layers} paint layers for ${layout.onScreen.length} rows`);
  // A row is one line of text: its own box and its verdict's coloured span, nothing else (five cell boxes cost five
  // inline layouts per recycled row).
  assert.equal(layout.boxesPerRow, 2);
  // A jump across the list rewrites every rendered row: the rows in view, one more at each edge and at most 7 more
  // for the chunks of 4 rounding up (4 rows at each edge cost 8 more rows rewritten per jump, ~20% of its frame).
  assert.ok(layout.onScreen.length <= layout.inView + 9, `${layout.onScreen.length} rows rendered for ${layout.inView} in view`);
  // The list changed elsewhere (another process on the data folder): the rows in view are read again where the view
  // is (not only the first rows of the list: the rows at the end stayed 'loading' for good), and until the new rows
  // are there the old ones stay (blanking them to 'loading' first made every open view flash on every change).
  const [list] = await call(host.core, 'numbers.lists', {});
  const edited = '+1 212 555 9999 (edited elsewhere)';
  const changed = await numbers.rowChanged(N - 1, edited, () => {
    const other = new Database(join(dir, DB_FILE));
    try {
      other.pragma('busy_timeout = 10000');
      other.transaction(() => {
        other.prepare('UPDATE number_list_rows SET raw = ? WHERE list_id = ? AND seq = (SELECT MAX(seq) FROM number_list_rows WHERE list_id = ?)').run(edited, list!.id, list!.id);
        other.prepare('UPDATE number_lists SET name = name WHERE id = ?').run(list!.id);
      })();
    } finally {
      other.close();
    }
  });
  assert.deepEqual(changed, { wentLoading: false });
  // A jump to rows not loaded yet (a dragged scrollbar): the list says it is busy and draws no row until the data is
  // there, then writes each row once, with its data, never a 'loading' placeholder first (twice the writes, and a
  // frame spent laying out and painting placeholders nobody can read while the view moves on). A change noticed
  // during the jump (as the import's own connection's last write can be, a poll later) blanks nothing either.
  const jumped = await numbers.jumpTo(Math.floor(N / 2), () => host.core.events.emit('numbers.listsChanged', { listIds: [list!.id] }));
  assert.deepEqual(jumped, { placeholders: 0, busy: true });
  // A dragged scrollbar leaps across the list a frame at a time: the rows it only passes through are never asked for
  // (each page costs the core a query and the page a frame's worth of JSON); where it stops, they are.
  const before = sent.length;
  const stop = Math.floor(N / 3);
  await numbers.dragThrough([0.1, 0.9, 0.2, 0.8, 0.45, 0.05, 0.95].map((f) => Math.floor(N * f)), stop);
  const asked = sent.slice(before).filter((m) => m.method === 'numbers.rows').map((m) => Number(m.args.offset));
  assert.ok(asked.length > 0 && asked.every((o) => Math.abs(o - stop) < 1000), `pages asked for: ${asked.join(', ')} (stopped at ${stop})`);
  // Scrolling rewrites the rows' text and their position attributes, never a `title`: Chromium restyles an element
  // whenever its title changes (its own stylesheet has an abbr[title] rule), ~20 cells a frame at this speed. The
  // pointer is away from the list, so no cell is hovered.
  await page.mouse.move(0, 0);
  const writes = await numbers.scrollWrites(20, 15);
  assert.ok(writes.texts > 100, `${writes.texts} texts written while scrolling 300 rows`);
  assert.ok(!writes.attributes.includes('title'), `attributes written while scrolling: ${writes.attributes.join(', ')}`);
  assert.equal(await numbers.tooltipsInList(), 0);
  // The clipped cells still show their whole text as a tooltip, when hovered; a scroll takes it away (the cell
  // under the pointer now shows another row).
  const hovered = await numbers.hoverRawCell(stop + 303);
  assert.ok(hovered.text.length > 0);
  assert.equal(hovered.tooltip, hovered.text);
  for (const rows of [24, 1, 4]) {
    await numbers.scrollWrites(rows, 1);
    assert.deepEqual(await numbers.staleTooltips(), []);
  }
  // Scrolling steadily, the next page is asked for as soon as the rows in view enter a page, a whole page before the
  // view reaches it (half a page was too little on a busy machine: the view got there first, showed 'loading…', and
  // the page's arrival redrew rows on screen between two frames).
  const pageSize = Number(sent.find((m) => m.method === 'numbers.rows')!.args.limit);
  const page0 = Math.floor((0.7 * N) / pageSize);
  const askedFor = (offset: number) => sent.some((m) => m.method === 'numbers.rows' && Number(m.args.offset) === offset);
  await numbers.jumpTo(page0 * pageSize - 60);
  assert.ok(!askedFor((page0 + 1) * pageSize), 'the page after next was asked for before the list got near it');
  await numbers.scrollWrites(10, 6);
  // The request is made in the frame that read the scroll position; its WebSocket frame reaches this process a
  // little later: wait for it (a bounded wait on a state, not a timing assumption).
  for (let i = 0; i < 200 && !askedFor((page0 + 1) * pageSize); i++) await page.waitForTimeout(50);
  assert.ok(askedFor((page0 + 1) * pageSize), `rows ${page0 * pageSize}+ in view, next page not asked for: ${sent.filter((m) => m.method === 'numbers.rows').slice(-4).map((m) => m.args.offset).join(', ')}`);
  assert.deepEqual(browser.problems, []);
});

// Number lists end to end: import (file and text, any layout), paging at large offsets, edits, export,
// cancel, removal, and the CLI commands.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { fileURLToPath } from 'node:url';
import type { Core } from '../../../electron/core/index.ts';
import { call, openCore, tempDir } from '../jobs/helpers.ts';
import { until } from '../sync/helpers.ts';

const BIN = fileURLToPath(new URL('../../../bin/carrier-desk.js', import.meta.url));

describe('number lists', () => {
  const tmp = tempDir('lists');
  let core: Core;
  before(async () => {
    core = await openCore(tmp.dir);
  });
  after(async () => {
    await core.close();
    tmp.cleanup();
  });

  test('a TSV with a header: detected column, verdicts, duplicates of line N', async () => {
    const file = join(tmp.dir, 'a.tsv');
    writeFileSync(file, 'name\tnumber\nA\t+1 415 555 0100\nB\tnot a number\nC\t4155550100\n');
    const preview = await call(core, 'numbers.preview', { path: file });
    assert.deepEqual([preview.delimiter, preview.column, preview.hasHeader], ['tab', 2, true]);
    const events: string[] = [];
    const off = core.events.subscribe((m) => m.event === 'numbers.importProgress' && events.push((m.payload as { state: string }).state));
    const h = await call(core, 'numbers.import', { name: 'tsv', path: file, wait: true });
    off();
    assert.equal(events.at(-1), 'ready');
    assert.deepEqual([h.list!.valid, h.list!.invalid, h.list!.duplicate], [1, 1, 1]);
    const dup = await call(core, 'numbers.rows', { list: 'tsv', verdict: 'duplicate' });
    assert.deepEqual([dup.rows[0]!.line, dup.rows[0]!.duplicateOfLine], [4, 2]);
  });

  test('50,000 rows: pages at any offset, filtered pages, edit, export of invalid rows', async () => {
    const lines = ['phone'];
    for (let i = 0; i < 50_000; i++) lines.push(i % 1000 === 999 ? 'oops' : `+1312${String(2000000 + i).padStart(7, '0')}`);
    const file = join(tmp.dir, 'big.csv');
    writeFileSync(file, lines.join('\n'));
    const h = await call(core, 'numbers.import', { name: 'big', path: file, wait: true });
    assert.deepEqual([h.list!.total, h.list!.invalid], [50_000, 50]);
    const page = await call(core, 'numbers.rows', { list: 'big', offset: 49_990, limit: 100 });
    assert.equal(page.rows.length, 10);
    assert.equal(page.rows[0]!.pos, 49_990);
    assert.equal(page.rows[0]!.line, 49_992);
    const inv = await call(core, 'numbers.rows', { list: 'big', verdict: 'invalid', offset: 49, limit: 10 });
    assert.equal(inv.rows.length, 1);
    assert.equal(inv.rows[0]!.raw, 'oops');
    const edited = await call(core, 'numbers.editRows', { list: 'big', removeLines: [1001], add: ['+13125550999', '+13122000000'] });
    assert.deepEqual([edited.total, edited.invalid, edited.duplicate], [50_001, 49, 1]);
    const out = join(tmp.dir, 'invalid.csv');
    const ex = await call(core, 'numbers.export', { list: 'big', path: out, only: 'invalid' });
    assert.equal(ex.rows, 49);
    assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 50);
    const country = await call(core, 'numbers.editRows', { list: 'big', country: 'GB' });
    assert.equal(country.defaultCountry, 'GB');
    assert.equal(country.valid + country.invalid + country.duplicate, 50_001);
    await call(core, 'numbers.remove', { list: 'big' });
    assert.equal((await core.dispatch('numbers.get', { list: 'big' })).ok, false);
  });

  test('exportText pages give the same CSV as the file export', async () => {
    const lines = ['phone', '"+1 415 555 0100"', 'x,y', ...Array.from({ length: 2_500 }, (_, i) => (i % 10 === 9 ? `bad "${i}"` : `+1312555${String(1000 + (i % 2000)).padStart(4, '0')}`))];
    const file = join(tmp.dir, 'pages.csv');
    writeFileSync(file, lines.join('\n'));
    await call(core, 'numbers.import', { name: 'pages', path: file, wait: true });
    for (const only of ['all', 'invalid'] as const) {
      const out = join(tmp.dir, `pages-${only}.csv`);
      await call(core, 'numbers.export', { list: 'pages', path: out, only });
      let csv = '';
      let offset: number | undefined = 0;
      let pages = 0;
      while (offset !== undefined) {
        const p: { csv: string; nextOffset?: number } = await call(core, 'numbers.exportText', { list: 'pages', only, offset, limit: 700 });
        csv += p.csv;
        offset = p.nextOffset;
        pages++;
      }
      assert.equal(csv, readFileSync(out, 'utf8'), only);
      assert.ok(pages > 1 || only === 'invalid');
    }
  });

  test('pasted text, a chosen column, and a name that exists already', async () => {
    await call(core, 'numbers.import', { name: 'pasted', text: 'x|+14155550100\ny|+14155550101', column: 2, hasHeader: false, wait: true });
    const l = await call(core, 'numbers.get', { list: 'pasted' });
    assert.equal(l.valid, 2);
    const again = await core.dispatch('numbers.import', { name: 'pasted', text: '+14155550100' });
    assert.equal(again.ok, false);
    assert.match(!again.ok ? again.error.message : '', /already exists/);
  });

  test('a column the rows do not have and a binary file are refused before any row is stored; the name can be used again', async () => {
    const csv = join(tmp.dir, 'two-columns.csv');
    writeFileSync(csv, 'number,note\n+14155550100,a\n+14155550101,b\n');
    const wrongColumn = await core.dispatch('numbers.import', { name: 'retry', path: csv, column: 5, wait: true });
    assert.ok(!wrongColumn.ok);
    assert.match(wrongColumn.error.message, /Column 5 does not exist: the rows have 2 columns \(first row: "number", "note"\)\. Choose a column from 1 to 2/);
    const preview = await core.dispatch('numbers.preview', { path: csv, column: 5 });
    assert.ok(!preview.ok && preview.error.code === 'invalid_input' && /Column 5 does not exist/.test(preview.error.message));
    // A refused import leaves no empty list behind.
    assert.deepEqual((await call(core, 'numbers.lists', {})).filter((l) => l.name === 'retry'), []);

    const binary = join(tmp.dir, 'photo.png');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x31, 0x32, 0x33]));
    const notText = await core.dispatch('numbers.import', { name: 'png', path: binary, wait: true });
    assert.ok(!notText.ok && /not a text file: it holds binary data/.test(notText.error.message));
    assert.deepEqual((await call(core, 'numbers.lists', {})).filter((l) => l.name === 'png'), []);

    // The same over a chunked upload (the browser's way): the list goes, the event says why, and a part still on its
    // way gets the reason, not "does not exist".
    const events: { state: string; removed?: boolean; error?: string }[] = [];
    const off = core.events.subscribe((m) => m.event === 'numbers.importProgress' && events.push(m.payload as (typeof events)[number]));
    const begun = await call(core, 'numbers.importBegin', { name: 'upload', fileName: 'photo.png' });
    await core.dispatch('numbers.importChunk', { list: begun.listId, index: 0, text: readFileSync(binary, 'latin1') });
    const end = await core.dispatch('numbers.importEnd', { list: begun.listId, wait: true });
    assert.ok(!end.ok);
    assert.match(end.error.message, /not a text file.*Nothing was kept\./);
    await until(() => events.some((e) => e.removed), 'the event of the refused upload');
    off();
    assert.match(events.find((e) => e.removed)!.error!, /not a text file/);
    assert.deepEqual((await call(core, 'numbers.lists', {})).filter((l) => l.name === 'upload'), []);
    const later = await core.dispatch('numbers.importChunk', { list: begun.listId, index: 1, text: 'more' });
    assert.ok(!later.ok);
    assert.match(later.error.message, /refused: .*not a text file.* Nothing was kept\./);

    // The failed list held nothing: importing again under its name replaces it; a list with rows is never replaced.
    const again = await call(core, 'numbers.import', { name: 'retry', path: csv, wait: true });
    assert.deepEqual([again.list!.state, again.list!.valid], ['ready', 2]);
    assert.equal((await call(core, 'numbers.lists', {})).filter((l) => l.name === 'retry').length, 1);
    const third = await core.dispatch('numbers.import', { name: 'retry', path: csv, wait: true });
    assert.ok(!third.ok && /already exists/.test(third.error.message));
  });

  test('the CLI imports, lists, shows, exports and removes', () => {
    const dir = join(tmp.dir, 'cli');
    const file = join(tmp.dir, 'cli.csv');
    writeFileSync(file, 'Name,Phone\nAnn,+14155550100\nBob,12\n');
    const run = (...args: string[]) => spawnSync(process.execPath, [BIN, '--data-dir', dir, ...args], { encoding: 'utf8' });
    const imp = run('numbers', 'import', file, '--list', 'c', '--country', 'US');
    assert.equal(imp.status, 0, imp.stderr);
    assert.match(imp.stdout, /valid: 1 {2}invalid: 1/);
    const list = run('--json', 'numbers', 'list');
    assert.equal(JSON.parse(list.stdout)[0].name, 'c');
    assert.match(run('numbers', 'show', 'c', '--verdict', 'invalid').stdout, /too short/);
    assert.match(run('numbers', 'export', 'c', '--invalid').stdout, /^line,raw,e164,verdict,reason,duplicate_of_line\n3,12,,invalid/);
    assert.equal(run('numbers', 'import', file, '--list', 'd', '--column', '0').status, 2);
    // Refused imports (a column the rows lack, nothing to import) say why and leave no empty list behind.
    const refused = run('numbers', 'import', file, '--list', 'e', '--column', '5');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /^carrier-desk: Importing 'e' failed: Column 5 does not exist.*Nothing was kept\.\n$/);
    writeFileSync(join(tmp.dir, 'empty.csv'), '');
    assert.equal(run('numbers', 'import', join(tmp.dir, 'empty.csv'), '--list', 'f').status, 1);
    assert.deepEqual(JSON.parse(run('--json', 'numbers', 'list').stdout).map((l: { name: string }) => l.name), ['c']);

    // The export as a spreadsheet reads it: raw values that look like formulas are neutralised, numbers kept.
    const hostile = join(tmp.dir, 'hostile.csv');
    writeFileSync(hostile, 'number\n+14155550100\n=HYPERLINK("http://evil.example")\n@SUM(A1)\n-2+3\n');
    assert.equal(run('numbers', 'import', hostile, '--list', 'h', '--country', 'US').status, 0);
    const exported = parse(run('numbers', 'export', 'h').stdout, { columns: true }) as Record<string, string>[];
    assert.deepEqual(exported.map((r) => r.raw), ['+14155550100', '\'=HYPERLINK("http://evil.example")', "'@SUM(A1)", "'-2+3"]);
    assert.deepEqual(exported.map((r) => r.e164), ['+14155550100', '', '', '']);
    for (const r of exported) for (const cell of Object.values(r)) assert.ok(!/^[=+\-@\t\r]/.test(cell) || /^[+-]?\d+(\.\d+)?$/.test(cell), `would run: ${cell}`);
    assert.equal(run('numbers', 'rm', 'c').status, 0);
    assert.equal(run('numbers', 'show', 'c').status, 1);
  });
});

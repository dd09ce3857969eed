// Chunked text imports (what the browser sends for a picked or dropped file): 200k rows in parts with bounded
// memory, live totals while importing, truthful byte progress, ordering and cancel rules, the recorded file
// name, and the first-row header rule end to end.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../../electron/core/index.ts';
import type { NumberEvents } from '../../../electron/shared/contract/numbers.ts';
import { call, openCore, tempDir } from '../jobs/helpers.ts';

type ProgressEvent = NumberEvents['numbers.importProgress'];

/** n lines: distinct valid US numbers in mixed formats, every 100th invalid, every 50th a repeat. */
function numberLines(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    if (i % 100 === 99) return 'call me';
    const d = String(2012000000 + (i % 50 === 49 ? i - 1 : i));
    return i % 3 === 0 ? `+1${d}` : i % 3 === 1 ? d : `(${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6)}`;
  });
}

/** Cuts a text into parts of about `size` characters, anywhere (inside lines and CRLF pairs too). */
function partsOf(text: string, size: number): string[] {
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = 30_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('chunked text import', () => {
  const tmp = tempDir('chunked');
  let core: Core;
  const events: ProgressEvent[] = [];
  before(async () => {
    core = await openCore(tmp.dir);
    core.events.subscribe((m) => {
      if (m.event === 'numbers.importProgress') events.push(m.payload as ProgressEvent);
    });
  });
  after(async () => {
    await core.close();
    tmp.cleanup();
  });

  test('200,000 rows sent in parts: exact verdicts, live totals, truthful bytes, bounded memory', async () => {
    const N = 200_000;
    const text = 'Phone\r\n' + numberLines(N).join('\r\n') + '\r\n';
    const totalBytes = Buffer.byteLength(text);
    const parts = partsOf(text, 256 * 1024 + 7);
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const h = await call(core, 'numbers.importBegin', { name: 'chunked', fileName: 'big-export.csv', country: 'US', totalBytes });
    let sentBytes = 0;
    const half = Math.floor(parts.length / 2);
    for (let i = 0; i < half; i++) {
      await call(core, 'numbers.importChunk', { list: h.listId, index: i, text: parts[i]! });
      sentBytes += Buffer.byteLength(parts[i]!);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    // Halfway, with the rest not even sent: the list reports the rows written so far.
    const mid = await until('rows written while importing', async () => {
      const l = await call(core, 'numbers.get', { list: h.listId });
      return l.total >= 50_000 ? l : undefined;
    });
    assert.equal(mid.state, 'importing');
    assert.equal(mid.source, 'big-export.csv');
    const page = await call(core, 'numbers.rows', { list: h.listId, offset: mid.total - 1, limit: 10 });
    assert.ok(page.total >= mid.total, `rows total ${page.total} while ${mid.total} were written`);
    assert.equal(page.rows[0]!.pos, mid.total - 1);
    const soFar = events.filter((e) => e.listId === h.listId);
    assert.ok(soFar.length > 0);
    for (const e of soFar) {
      assert.equal(e.totalBytes, totalBytes);
      assert.ok((e.bytes ?? 0) <= sentBytes, `progress says ${e.bytes} bytes read, only ${sentBytes} were sent`);
    }

    for (let i = half; i < parts.length; i++) {
      await call(core, 'numbers.importChunk', { list: h.listId, index: i, text: parts[i]! });
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const done = await call(core, 'numbers.importEnd', { list: h.listId, wait: true });
    const invalid = N / 100;
    const duplicate = Array.from({ length: N }, (_, i) => i).filter((i) => i % 50 === 49 && i % 100 !== 99).length;
    assert.deepEqual([done.list!.state, done.list!.total, done.list!.invalid, done.list!.duplicate, done.list!.valid], ['ready', N, invalid, duplicate, N - invalid - duplicate]);
    assert.equal(done.list!.hasHeader, true);
    const last = await call(core, 'numbers.rows', { list: 'chunked', offset: N - 1, limit: 1 });
    assert.deepEqual([last.rows[0]!.line, last.rows[0]!.verdict], [N + 1, 'invalid']);
    const dup = await call(core, 'numbers.rows', { list: 'chunked', verdict: 'duplicate', offset: 0, limit: 1 });
    assert.deepEqual([dup.rows[0]!.line, dup.rows[0]!.duplicateOfLine], [51, 50]);
    // Progress only reaches the end at the end.
    const mine = events.filter((e) => e.listId === h.listId);
    assert.equal(mine.at(-1)!.state, 'ready');
    assert.equal(mine.at(-1)!.bytes, totalBytes);
    for (const e of mine.slice(0, -1)) assert.ok((e.bytes ?? 0) < totalBytes || e.total === N);
    // The worker's resource limits were never hit (it would have been terminated and the import failed), and
    // this process did not grow by anything like the size of the whole text.
    assert.ok(peakRss - rssBefore < 200 * 1024 * 1024, `RSS grew by ${Math.round((peakRss - rssBefore) / 1048576)} MB`);
  });

  test('parts must come in order; an ended upload takes no more parts', async () => {
    const h = await call(core, 'numbers.importBegin', { name: 'ordered', country: 'US' });
    const skip = await core.dispatch('numbers.importChunk', { list: h.listId, index: 1, text: '+14155550100\n' });
    assert.equal(skip.ok, false);
    assert.match(!skip.ok ? skip.error.message : '', /Part 1 .* out of order; part 0 was expected next/);
    await call(core, 'numbers.importChunk', { list: h.listId, index: 0, text: '+14155550100\n+1415555' });
    await call(core, 'numbers.importChunk', { list: h.listId, index: 1, text: '0101\n' });
    const done = await call(core, 'numbers.importEnd', { list: h.listId, wait: true });
    assert.deepEqual([done.list!.total, done.list!.valid, done.list!.source], [2, 2, 'pasted text']);
    const late = await core.dispatch('numbers.importChunk', { list: h.listId, index: 2, text: '+14155550102\n' });
    assert.equal(late.ok, false);
    assert.match(!late.ok ? late.error.message : '', /not waiting for uploaded text/);
  });

  test('an upload whose sender went away fails after the idle time, with the reason, and takes no more parts', async () => {
    await call(core, 'settings.set', { key: 'numbers.uploadIdleMs', value: 300 });
    try {
      const h = await call(core, 'numbers.importBegin', { name: 'abandoned', country: 'US' });
      await call(core, 'numbers.importChunk', { list: h.listId, index: 0, text: '+14155550100\n+14155550101\n' });
      const failed = await until('the idle timeout', async () => {
        const l = await call(core, 'numbers.get', { list: h.listId });
        return l.state === 'failed' ? l : undefined;
      });
      assert.match(failed.error ?? '', /upload stopped: no part of the text arrived for 1 second\. Import the file again/);
      const late = await core.dispatch('numbers.importChunk', { list: h.listId, index: 1, text: '+14155550102\n' });
      assert.equal(late.ok, false);
      assert.match(!late.ok ? late.error.message : '', /not waiting for uploaded text/);
    } finally {
      await call(core, 'settings.set', { key: 'numbers.uploadIdleMs', value: null });
    }
  });

  test('a cancelled upload keeps its rows and refuses further parts; an empty one fails clearly and leaves no list', async () => {
    const h = await call(core, 'numbers.importBegin', { name: 'cancelled', country: 'US' });
    await call(core, 'numbers.importChunk', { list: h.listId, index: 0, text: numberLines(30_000).join('\n') + '\n' });
    await until('rows written', async () => ((await call(core, 'numbers.get', { list: h.listId })).total > 0 ? true : undefined));
    assert.deepEqual(await call(core, 'numbers.cancelImport', { list: h.listId }), { cancelled: true });
    const cancelled = await until('the cancel', async () => {
      const l = await call(core, 'numbers.get', { list: h.listId });
      return l.state === 'cancelled' ? l : undefined;
    });
    assert.ok(cancelled.total > 0);
    const next = await core.dispatch('numbers.importChunk', { list: h.listId, index: 1, text: '+14155550100\n' });
    assert.equal(next.ok, false);

    const empty = await call(core, 'numbers.importBegin', { name: 'empty', country: 'US' });
    await call(core, 'numbers.importChunk', { list: empty.listId, index: 0, text: '  \n\n' });
    const end = await core.dispatch('numbers.importEnd', { list: empty.listId, wait: true });
    assert.equal(end.ok, false);
    assert.match(!end.ok ? end.error.message : '', /nothing to import/);
    // A refused import leaves no list behind (issue 15 item 9).
    const gone = await core.dispatch('numbers.get', { list: 'empty' });
    assert.equal(gone.ok ? 'still there' : gone.error.code, 'not_found');
  });

  test('pasted text with a file name; a first row holding an invalid number stays a row', async () => {
    const h = await call(core, 'numbers.import', { name: 'named', text: '12345\n+14155550100\n+14155550101', fileName: 'clip.txt', wait: true });
    assert.deepEqual([h.list!.source, h.list!.hasHeader, h.list!.total, h.list!.invalid], ['clip.txt', false, 3, 1]);
    const first = await call(core, 'numbers.rows', { list: 'named', offset: 0, limit: 1 });
    assert.deepEqual([first.rows[0]!.line, first.rows[0]!.raw, first.rows[0]!.verdict], [1, '12345', 'invalid']);
    // A label row is still a header, and the user can always say otherwise.
    const file = join(tmp.dir, 'label.csv');
    writeFileSync(file, 'Phone\n+14155550100\n');
    assert.equal((await call(core, 'numbers.import', { name: 'label', path: file, wait: true })).list!.total, 1);
    assert.equal((await call(core, 'numbers.import', { name: 'forced', path: file, hasHeader: false, wait: true })).list!.total, 2);
  });
});

// The record splitter against csv-parse (the reference it must match exactly), chunk borders anywhere, the
// switch to csv-parse for quoted text mid-stream, and line numbers.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { RecordSplitter, splitText } from '../../../electron/core/numbers/records.ts';

/** What the import did before the fast path: csv-parse with record info, the header and blank rows skipped. */
function reference(text: string, delimiter: string, column: number, skipFirst: boolean): string[] {
  const records = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, trim: true, bom: true, info: true }) as unknown as {
    record: string[];
    info: { lines: number };
  }[];
  const out: string[] = [];
  let first = true;
  for (const item of records) {
    if (first) {
      first = false;
      if (skipFirst) continue;
    }
    const raw = item.record[column] ?? '';
    if (raw === '' && item.record.every((v) => v === '')) continue;
    out.push(`${item.info.lines}:${raw}`);
  }
  return out;
}

function split(text: string, delimiter: string, column: number, skipFirst: boolean, chunk: number): string[] {
  const out: string[] = [];
  const s = new RecordSplitter(delimiter, column, skipFirst, (line, raw) => out.push(`${line}:${raw}`));
  for (let i = 0; i < text.length; i += chunk) s.push(text.slice(i, i + chunk));
  s.end();
  return out;
}

describe('record splitter', () => {
  test('matches csv-parse exactly on 20,000 random texts (any chunking; quotes and lone CRs included)', () => {
    const alpha = ['1', '2', '+', ' ', '\t', '\f', '\v', '\u00a0', ',', ';', 'a', '-', '(', ')', '\n', '\n', '\n', '\ufeff', '\u3000'];
    let seed = 1;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let compared = 0;
    for (let t = 0; t < 20_000; t++) {
      // Odd rounds add quotes and lone CRs (rarely, so the fast path runs a while before switching).
      const chars = t % 2 ? [...alpha, ...alpha, ...alpha, '"', '\r'] : alpha;
      const eol = rnd(2) ? '\n' : '\r\n';
      let text = '';
      const len = 1 + rnd(300);
      for (let i = 0; i < len; i++) {
        const c = chars[rnd(chars.length)]!;
        text += c === '\n' ? eol : c;
      }
      const delimiter = [',', ';', '\t'][rnd(3)]!;
      const column = rnd(3);
      const skipFirst = rnd(2) === 1;
      let expected: string[];
      try {
        expected = reference(text, delimiter, column, skipFirst);
      } catch {
        continue; // csv-parse refuses some random quote soup; the import would fail the same way
      }
      compared++;
      assert.deepEqual(split(text, delimiter, column, skipFirst, 1 + rnd(40)), expected, JSON.stringify({ text, delimiter, column, skipFirst }));
    }
    assert.ok(compared > 15_000, `compared only ${compared}`);
  });

  test('quoted CSV after plain lines: csv-parse takes over with the right line numbers', () => {
    const text = 'name,phone\nAnn,+14155550100\n"Doe, John","+1 415\n555 0101"\nBob,4155550102\n';
    assert.deepEqual(splitText(text, ',', 1, true), [
      { line: 2, raw: '+14155550100' },
      { line: 4, raw: '+1 415\n555 0101' },
      { line: 5, raw: '4155550102' },
    ]);
  });

  test('mixed line endings count as the lines a person sees (csv-parse alone merged them)', () => {
    assert.deepEqual(splitText('+14155550100\r\n+14155550101\n+14155550102\r\n', ',', 0, false).map((r) => r.line), [1, 2, 3]);
  });

  test('a BOM, blank lines, all-empty rows and a CRLF cut between chunks', () => {
    const out: string[] = [];
    const s = new RecordSplitter(',', 1, false, (line, raw) => out.push(`${line}:${raw}`));
    for (const part of ['\ufeffa, +1 415 555 0100 \r', '\n\n , \r\n', 'b,\r\nc,+14155550101']) s.push(part);
    s.end();
    assert.deepEqual(out, ['1:+1 415 555 0100', '4:', '5:+14155550101']);
  });
});

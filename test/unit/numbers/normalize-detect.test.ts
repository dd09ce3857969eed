// E.164 normalisation verdicts and layout detection (delimiter, header, number column).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNormalizer } from '../../../electron/core/numbers/normalize.ts';
import { detectDelimiter, detectLayout, sampleRecords } from '../../../electron/core/numbers/detect.ts';
import { outcomesOf, successKey } from '../../../electron/core/jobs/results.ts';

describe('normalise to E.164', () => {
  const us = createNormalizer('US');
  test('national, international and formatted forms', () => {
    assert.equal(us('(415) 555-0100').e164, '+14155550100');
    assert.equal(us('415.555.0100').e164, '+14155550100');
    assert.equal(us('+1 415 555 0100').e164, '+14155550100');
    assert.equal(us('+44 20 7946 0958').e164, '+442079460958');
    assert.equal(createNormalizer('de')('030 12345678').e164, '+493012345678');
  });
  test('invalid values carry a reason', () => {
    assert.equal(us('').reason, 'empty');
    assert.equal(us('hello').reason, 'not a phone number');
    assert.match(us('12345').reason ?? '', /too short/);
    assert.match(us('+1 415 555 0100 ext. 12').reason ?? '', /extension/);
    assert.match(us('+999 1234 5678').reason ?? '', /.+/);
  });
  test('an unknown default country is refused with a clear message', () => {
    assert.throws(() => createNormalizer('XX'), /Unknown default country 'XX'/);
  });
});

describe('layout detection', () => {
  test('delimiters', () => {
    assert.equal(detectDelimiter('a,b\nc,d\n'), ',');
    assert.equal(detectDelimiter('a;b;c\nd;e;f\n'), ';');
    assert.equal(detectDelimiter('a\tb\nc\td\n'), '\t');
    assert.equal(detectDelimiter('a|b\nc|d\n'), '|');
    assert.equal(detectDelimiter('+14155550100\n+14155550101\n'), ',');
    assert.equal(detectDelimiter('"Doe, John";+14155550100\n"Roe, Jane";+14155550101\n'), ';');
  });
  test('the column with most numbers wins; a label row is a header', () => {
    const text = 'id,name,phone\n1,Ann,(415) 555-0100\n2,Bob,415 555 0101\n3,Cy,4155550102\n';
    const records = sampleRecords(text, ',', true);
    const l = detectLayout(records, ',', 'US');
    assert.equal(l.column, 3);
    assert.equal(l.hasHeader, true);
    assert.deepEqual(l.header, ['id', 'name', 'phone']);
  });
  test('no header when the first row is a number; overrides respected', () => {
    const records = sampleRecords('+14155550100\n+14155550101\n', ',', true);
    assert.equal(detectLayout(records, ',', 'US').hasHeader, false);
    const forced = detectLayout(sampleRecords('a,+14155550100\nb,+14155550101\n', ',', true), ',', 'US', { column: 1, hasHeader: true });
    assert.equal(forced.column, 1);
    assert.equal(forced.hasHeader, true);
  });
  test('a first row holding an invalid number is a row, not a header', () => {
    const layout = (text: string) => detectLayout(sampleRecords(text, detectDelimiter(text), true), detectDelimiter(text), 'US');
    for (const first of ['12345', '555-1234', '+1 (415) 555-01', '12', '+999 1234 5678']) {
      assert.equal(layout(`${first}\n+14155550100\n+14155550101\n`).hasHeader, false, first);
    }
    assert.equal(layout('1,Ann,12345\n2,Bob,+14155550100\n').hasHeader, false);
    // Labels: words, words with a short digit run, or an empty number cell in a row without digits.
    for (const first of ['phone', 'Phone 2', 'Telefonnummer', 'n/a', 'номер']) {
      assert.equal(layout(`${first}\n+14155550100\n+14155550101\n`).hasHeader, true, first);
    }
    assert.equal(layout('name,\nAnn,+14155550100\n').hasHeader, true);
    assert.equal(layout('1,\n2,+14155550100\n').hasHeader, false);
    // The user's word wins either way.
    assert.equal(detectLayout(sampleRecords('12345\n+14155550100\n', ',', true), ',', 'US', { hasHeader: true }).hasHeader, true);
    assert.equal(detectLayout(sampleRecords('phone\n+14155550100\n', ',', true), ',', 'US', { hasHeader: false }).hasHeader, false);
  });
});

describe('job results', () => {
  test('success keyed by E.164, errors by raw string, both shapes of errors', () => {
    const o = outcomesOf(
      ['+14155550100', '+14155550101', '+14155550102', '+14155550103'],
      { '+14155550100': { id: '+14155550100', state: 'reserved', _read_only: { carrier_module: 'local' } } },
      { '+14155550101': { code: 409, error: 'number_exists', message: 'number +14155550101 already exists' }, '+14155550102': 'not_reconcilable' },
    );
    assert.deepEqual([o.get('+14155550100')?.outcome, o.get('+14155550100')?.carrier_module, o.get('+14155550100')?.number_state], ['success', 'local', 'reserved']);
    assert.equal(o.get('+14155550101')?.reason, 'number_exists');
    assert.equal(o.get('+14155550102')?.reason, 'not_reconcilable');
    assert.equal(o.has('+14155550103'), false);
    assert.equal(successKey('4155550100'), '+14155550100');
  });
});

// Unit tests of the editor's as-you-type checks and of the key-order-blind JSON equality that decides whether
// a stored version replaces the working copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldProblem, intValue, GRACE, PORT, REQUIRED, SECONDS, WEIGHT } from '../../../renderer/src/lib/components/resources/field-checks.ts';
import { jsonEqual } from '../../../renderer/src/lib/json-equal.ts';

test('integer fields: a whole number in range passes; text, fractions and out-of-range values are named', () => {
  assert.equal(fieldProblem(5060, PORT), undefined);
  assert.equal(fieldProblem(undefined, PORT), undefined, 'empty means the default');
  assert.match(fieldProblem(0, PORT) ?? '', /from 1 to 65535/);
  assert.match(fieldProblem(65536, PORT) ?? '', /Out of range/);
  assert.match(fieldProblem('50a', WEIGHT) ?? '', /^Enter a whole number from 0 to 100\.$/);
  assert.match(fieldProblem(101, WEIGHT) ?? '', /from 0 to 100/);
  assert.equal(fieldProblem(0, WEIGHT), undefined);
  assert.match(fieldProblem(21, GRACE) ?? '', /from 1 to 20 seconds/);
  assert.match(fieldProblem(-1, SECONDS) ?? '', /of 0 seconds or more/);
  assert.match(fieldProblem('', REQUIRED) ?? '', /Required/);
  assert.equal(fieldProblem('sip.example', REQUIRED), undefined);
});

test('intValue keeps half-typed text as it is and turns whole numbers into numbers', () => {
  assert.equal(intValue('5080'), 5080);
  assert.equal(intValue(' 42 '), 42);
  assert.equal(intValue(''), undefined);
  assert.equal(intValue('1.'), '1.');
  assert.equal(intValue('1e3'), '1e3');
  assert.equal(intValue('-'), '-');
});

test('jsonEqual ignores key order and undefined members, not array order', () => {
  assert.ok(jsonEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }));
  assert.ok(jsonEqual({ a: 1, x: undefined }, { a: 1 }));
  assert.ok(!jsonEqual([1, 2], [2, 1]));
  assert.ok(!jsonEqual({ a: 1 }, { a: '1' }));
  assert.ok(!jsonEqual({ a: [] }, { a: {} }));
  assert.ok(!jsonEqual(null, {}));
});

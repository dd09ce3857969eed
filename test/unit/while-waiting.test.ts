import { test } from 'node:test';
import assert from 'node:assert/strict';
import { whileWaiting } from '../../electron/core/while-waiting.ts';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

test('whileWaiting runs the work in the next turn of the event loop, once', async () => {
  let runs = 0;
  const value = whileWaiting(() => ++runs);
  assert.equal(runs, 0, 'not in the caller\'s turn');
  await nextTurn();
  assert.equal(runs, 1, 'done while waiting');
  assert.equal(value(), 1);
  assert.equal(value(), 1);
  assert.equal(runs, 1, 'not again when asked for');
});

test('whileWaiting asked for before the next turn runs the work then, and not again', async () => {
  let runs = 0;
  const value = whileWaiting(() => ++runs);
  assert.equal(value(), 1);
  await nextTurn();
  await nextTurn();
  assert.equal(runs, 1);
});

test('a throw in the early run reaches the caller when the value is asked for', async () => {
  let runs = 0;
  const value = whileWaiting(() => {
    runs++;
    throw new Error(`failed ${runs}`);
  });
  await nextTurn();
  assert.equal(runs, 1);
  assert.throws(value, /failed 2/);
});

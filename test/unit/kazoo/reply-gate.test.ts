// The reply gate: one holder at a time, handed over in order of arrival; a waiter whose request is stopped leaves
// the queue (and does not take the gate later); a listing's ticket acquires once and releases once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplyGate } from '../../../electron/core/kazoo/reply-gate.ts';

test('one holder at a time, in order of arrival; a stopped waiter leaves the queue', async () => {
  const gate = new ReplyGate();
  const order: string[] = [];
  const first = await gate.acquire();
  const stop = new AbortController();
  const b = gate.acquire().then((release) => (order.push('b'), release));
  const c = gate.acquire(stop.signal).then(() => order.push('c'), (e: Error) => order.push(`c stopped: ${e.message}`));
  const d = gate.acquire().then((release) => (order.push('d'), release));
  stop.abort(new Error('deadline'));
  await c;
  assert.deepEqual(order, ['c stopped: deadline']);
  first();
  first(); // twice is harmless: it does not hand the gate on a second time
  (await b)();
  (await d)();
  assert.deepEqual(order, ['c stopped: deadline', 'b', 'd']);
  const again = await gate.acquire(); // free again: no waiting
  again();
});

test("a ticket holds the gate from its first ensure until it is released, however often it ensures", async () => {
  const gate = new ReplyGate();
  const ticket = gate.ticket();
  ticket.release(); // nothing held yet: harmless
  await ticket.ensure();
  await ticket.ensure();
  let other = false;
  const waiting = gate.acquire().then((release) => ((other = true), release));
  await new Promise((r) => setImmediate(r));
  assert.equal(other, false, 'the ticket still holds the gate');
  ticket.release();
  (await waiting)();
  assert.equal(other, true);
});

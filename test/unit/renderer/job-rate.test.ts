// Unit: the rate and time-left estimate shown on each job's chart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { etaSeconds, formatDuration, formatRate, rateOf } from '../../../renderer/src/lib/components/jobs/rate.ts';

test('the rate is measured over the last minute of the series', () => {
  const pts = [
    { at: 0, done: 0 },
    { at: 60_000, done: 600 },
    { at: 120_000, done: 660 },
  ];
  assert.equal(rateOf(pts), 1);
  assert.equal(rateOf(pts.slice(0, 2)), 10);
  assert.equal(rateOf(pts.slice(0, 1)), null);
});

test('the rate fades when progress stops, and a stalled job gets no time-left estimate', () => {
  const pts = [
    { at: 0, done: 0 },
    { at: 10_000, done: 100 },
  ];
  assert.equal(rateOf(pts, 10_000), 10);
  assert.equal(rateOf(pts, 20_000), 5);
  assert.equal(etaSeconds(100, 200, rateOf(pts, 20_000)), 20);
  assert.equal(etaSeconds(100, 200, 0), null);
  assert.equal(etaSeconds(200, 200, null), 0);
});

test('rates and durations read as plain words', () => {
  assert.equal(formatRate(null), 'no rate yet');
  assert.equal(formatRate(0), 'no progress lately');
  assert.equal(formatRate(0.5), '30 numbers/min');
  assert.equal(formatRate(6.44), '6.4 numbers/s');
  assert.equal(formatRate(123.4), '123 numbers/s');
  assert.equal(formatDuration(null), 'time left not known');
  assert.equal(formatDuration(0), 'done');
  assert.equal(formatDuration(0.4), 'under a second left');
  assert.equal(formatDuration(42.2), 'about 43 s left');
  assert.equal(formatDuration(600), 'about 10 min left');
  assert.equal(formatDuration(3 * 3600 + 5 * 60), 'about 3 h 5 min left');
});

test('a job that has done nothing yet has no rate until a whole window passed, then reads as no progress', () => {
  const pts = [
    { at: 0, done: 0 },
    { at: 5_000, done: 0 },
  ];
  assert.equal(rateOf(pts, 8_000), null, 'seconds after sending: no rate yet, not "no progress lately"');
  assert.equal(rateOf(pts, 61_000), 0, 'a minute without any number done: no progress');
  assert.equal(rateOf([{ at: 0, done: 50 }, { at: 5_000, done: 50 }], 8_000), null);
});

// Idle collection (core/idle-gc.ts): a process that turns it on (the CLI) collects its young generation while a plan
// waits for the clusters' replies, once the work it can do ahead is done, instead of wherever V8's young space fills
// up later (in an apply, in the middle of sending the writes).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import { collectWhileIdle, setIdleCollection } from '../../../electron/core/idle-gc.ts';
import { call, closedAfterAll, coreWithClusters } from './helpers.ts';

const opened = closedAfterAll();
after(() => setIdleCollection(false));

/** Bytes in use in V8's young generation. */
function youngBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
}

test('collectWhileIdle empties the young generation when idle collection is on, and does nothing when off', () => {
  // Garbage: nothing of it lives on, so a minor collection leaves the young generation nearly empty.
  let last: object = {};
  for (let i = 0; i < 20_000; i++) last = { i, s: `row ${i}`, last: i % 100 === 0 ? null : last };
  setIdleCollection(false);
  const filled = youngBytes();
  assert.ok(filled > 100_000, `young generation holds ${filled} bytes`);
  collectWhileIdle();
  assert.ok(youngBytes() >= filled, 'off: nothing collected');
  setIdleCollection(true);
  collectWhileIdle();
  assert.ok(youngBytes() < filled / 2, `on: ${youngBytes()} of ${filled} bytes left in the young generation`);
  setIdleCollection(false);
});

test('with idle collection on, a plan collects the young generation while its read is on the way', async () => {
  const { emus, core } = await coreWithClusters(opened, 'idle-gc', [{ flavor: '5.0' }]);
  const em = emus[0]!;
  const name = 'Idle collection';
  await call(core, 'drafts.create', { name, from: { kind: 'json', doc: { name, gateways: [{ server: 'sip.idle.example' }], rules: ['^\\+1(\\d{10})$'] } } });
  await call(core, 'targets.addMany', { draft: name, allClusters: true, scope: 'global' });
  await call(core, 'sync.apply', {});
  await call(core, 'drafts.edit', { draft: name, set: [{ path: 'weight_cost', value: 20 }] });

  // The read answered slowly (the wait a plan to distant clusters has), marked by undici's diagnostics channels.
  em.setFaults({ latencyMs: 400 });
  const minor: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if ((e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minor.push(e.startTime);
  });
  observer.observe({ entryTypes: ['gc'] });
  let sent = Infinity;
  let answered = Infinity;
  const onSent = () => (sent = Math.min(sent, performance.now()));
  const onAnswered = () => (answered = Math.min(answered, performance.now()));
  subscribe('undici:client:sendHeaders', onSent);
  subscribe('undici:request:headers', onAnswered);
  setIdleCollection(true);
  try {
    const plan = await call(core, 'sync.plan', {});
    assert.deepEqual(plan.targets.map((t) => t.action), ['update']);
  } finally {
    setIdleCollection(false);
    unsubscribe('undici:client:sendHeaders', onSent);
    unsubscribe('undici:request:headers', onAnswered);
    em.setFaults({ latencyMs: 0 });
  }
  // PerformanceObserver delivers its entries on a later turn.
  await new Promise((resolve) => setTimeout(resolve, 20));
  observer.disconnect();
  assert.ok(Number.isFinite(sent) && answered > sent, `the read was sent (${sent}) and answered later (${answered})`);
  const during = minor.filter((t) => t > sent && t < answered);
  assert.ok(during.length > 0, `a minor collection between the read (${sent.toFixed(1)}) and its reply (${answered.toFixed(1)}); seen at ${minor.map((t) => t.toFixed(1)).join(', ')}`);
});

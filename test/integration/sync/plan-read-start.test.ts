// A plan over many clusters starts their reads a few clusters per turn of the event loop (sync/plan-builder.ts): the
// first clusters' reads are on the wire while the later clusters' connections are still being opened, instead of
// every read waiting until the last cluster was set up. Seen through undici's diagnostics channels (the order of
// "connecting" and "request headers sent"), on emulators over real HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { call, closedAfterAll, coreWithClusters, openCore } from './helpers.ts';

const opened = closedAfterAll();

test('the first reads of a plan over 12 clusters leave before the last cluster connects', async () => {
  const n = 12;
  const { tmp, core: first } = await coreWithClusters(opened, 'plan-read-start', Array.from({ length: n }, () => ({ flavor: '5.0' as const })));
  const name = 'Staggered reads';
  await call(first, 'drafts.create', { name, from: { kind: 'json', doc: { name, gateways: [{ server: 'sip.stagger.example' }], rules: ['^\\+1(\\d{10})$'] } } });
  await call(first, 'targets.addMany', { draft: name, allClusters: true, scope: 'global' });
  await call(first, 'sync.apply', {});
  await call(first, 'drafts.edit', { draft: name, set: [{ path: 'weight_cost', value: 20 }] });
  await first.close();

  // A new process's core: no connection open yet, so every cluster connects for its read.
  const core = openCore(tmp.dir);
  opened.cores.push(core);
  const events: string[] = [];
  const onConnect = () => events.push('connect');
  const onSent = (m: unknown) => {
    if ((m as { request: { method: string } }).request.method === 'GET') events.push('sent');
  };
  subscribe('undici:client:beforeConnect', onConnect);
  subscribe('undici:client:sendHeaders', onSent);
  try {
    const plan = await call(core, 'sync.plan', {});
    assert.equal(plan.targets.length, n);
    assert.ok(plan.targets.every((t) => t.action === 'update'), JSON.stringify(plan.summary));
  } finally {
    unsubscribe('undici:client:beforeConnect', onConnect);
    unsubscribe('undici:client:sendHeaders', onSent);
  }
  assert.equal(events.filter((e) => e === 'connect').length, n, events.join(' '));
  assert.ok(events.indexOf('sent') < events.lastIndexOf('connect'), `a read left before the last connection was opened: ${events.join(' ')}`);
});

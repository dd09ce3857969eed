import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseJob } from '../../../electron/core/kazoo/api/jobs.ts';
import { numbersOfPage } from '../../../electron/core/kazoo/api/numbers.ts';
import { containsSent, toSummary } from '../../../electron/core/kazoo/api/resources.ts';
import { flavorOf, jobRecoveryOf } from '../../../electron/core/kazoo/probe.ts';
import { normaliseBaseUrl } from '../../../electron/core/kazoo/transport.ts';
import { p } from '../../../electron/core/kazoo/caller.ts';

test('jobs: success or successes, status/timestamp as strings, summary counts', () => {
  const full = normaliseJob({ id: '202401-aa', successes: { '+1': {} }, errors: { x: 'not_reconcilable' }, status: 'complete', timestamp: '63877472674', extra: 1 }, true);
  assert.deepEqual(full.success, { '+1': {} });
  assert.equal('successes' in full, false);
  assert.equal(full.timestamp, 63877472674);
  assert.equal(full.successCount, 1);
  assert.equal(full.failureCount, 1);
  assert.deepEqual(full.numbers, []);
  assert.equal(full.extra, 1);
  const summary = normaliseJob({ id: 'j', successes: '4', failures: 2, status: 'running' }, false);
  assert.equal(summary.successCount, 4);
  assert.equal(summary.failureCount, 2);
  assert.equal(summary.success, undefined);
  const bare = normaliseJob({ id: 'j2', numbers: ['+1'], resource_id: 'r', success: {}, errors: {} }, false);
  assert.equal(bare.status, undefined);
  assert.equal(bare.successCount, 0);
});

test('numbers: the data.numbers map becomes items keyed by number', () => {
  assert.deepEqual(numbersOfPage({ numbers: { '+14155550100': { state: 'reserved' } }, cascade_quantity: 0 }), [{ state: 'reserved', number: '+14155550100' }]);
  assert.deepEqual(numbersOfPage({ numbers: {} }), []);
  assert.deepEqual(numbersOfPage([{ id: '+1', state: 'x' }]), [{ id: '+1', state: 'x', number: '+1' }]);
});

test('resources: summaries coerced; containsSent accepts defaults added by the cluster', () => {
  assert.deepEqual(toSummary({ id: 'a', weight_cost: '5', enabled: 'false', x: 'y' }), { id: 'a', weight_cost: 5, enabled: false, x: 'y' });
  const sent = { id: 'a', name: 'A', weight_cost: 10, gateways: [{ server: 's' }], _rev: 'x' };
  const stored = { id: 'a', name: 'A', weight_cost: '10', enabled: true, gateways: [{ server: 's', port: 5060 }] };
  assert.equal(containsSent(stored, sent), true);
  assert.equal(containsSent({ ...stored, name: 'B' }, sent), false);
  assert.equal(containsSent({ ...stored, gateways: [] }, sent), false);
});

test('probe helpers: flavor from version, recovery settings tolerant', () => {
  assert.equal(flavorOf('4.3.140'), '4.3');
  assert.equal(flavorOf('5.0.1'), '5.0');
  assert.equal(flavorOf(undefined, { tokens: { consumed: 1 } }), '5.0');
  assert.equal(flavorOf(undefined), 'unknown');
  assert.deepEqual(jobRecoveryOf({ job_recovery_timeout_s: '100', job_recovery_threshold_s: 10 }), { timeoutS: 100, thresholdS: 10 });
  assert.deepEqual(jobRecoveryOf({ default: { job_recovery_timeout_s: 7 } }), { timeoutS: 7, thresholdS: 3600 });
  assert.deepEqual(jobRecoveryOf({ job_recover_threshold_s: 5 }), { timeoutS: 21600, thresholdS: 5 });
});

test('base URL normalisation and id encoding in paths', () => {
  assert.deepEqual(normaliseBaseUrl('https://k.example:8443/v2/'), { origin: 'https://k.example:8443', prefix: '' });
  assert.deepEqual(normaliseBaseUrl('https://k.example/api/v2'), { origin: 'https://k.example', prefix: '/api' });
  assert.deepEqual(normaliseBaseUrl('http://127.0.0.1:8000'), { origin: 'http://127.0.0.1:8000', prefix: '' });
  assert.equal(p`/v2/accounts/${'a/b'}/phone_numbers/${'+1 415'}`, '/v2/accounts/a%2Fb/phone_numbers/%2B1%20415');
});

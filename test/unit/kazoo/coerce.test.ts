import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asBoolean, asNumber, coerceFields, coerceResource } from '../../../electron/core/kazoo/coerce.ts';

test('asNumber / asBoolean accept the string forms only when unambiguous', () => {
  assert.equal(asNumber('50'), 50);
  assert.equal(asNumber(' 7 '), 7);
  assert.equal(asNumber('5x'), undefined);
  assert.equal(asNumber(''), undefined);
  assert.equal(asBoolean('TRUE'), true);
  assert.equal(asBoolean('false'), false);
  assert.equal(asBoolean('yes'), undefined);
});

test('coerceFields changes only the named fields and keeps what cannot be coerced', () => {
  const out = coerceFields({ weight_cost: '50', enabled: 'true', note: '50', odd: 'x' }, { numbers: ['weight_cost', 'odd'], booleans: ['enabled'] });
  assert.deepEqual(out, { weight_cost: 50, enabled: true, note: '50', odd: 'x' });
});

test('coerceResource coerces top level, gateways and classifiers, unknown fields untouched', () => {
  const doc = coerceResource({
    name: 'A',
    weight_cost: '10',
    grace_period: '5',
    custom: 'true',
    gateways: [{ server: 'x', port: '5070', enabled: 'false', codecs: ['PCMU'], extra: '1' }],
    classifiers: { tollfree_us: { enabled: 'true', weight_cost: '3' } },
  });
  assert.equal(doc.weight_cost, 10);
  assert.equal(doc.grace_period, 5);
  assert.equal(doc.custom, 'true');
  assert.deepEqual(doc.gateways, [{ server: 'x', port: 5070, enabled: false, codecs: ['PCMU'], extra: '1' }]);
  assert.deepEqual(doc.classifiers, { tollfree_us: { enabled: true, weight_cost: 3 } });
});

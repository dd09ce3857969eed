// routing-spec §4 flags, both flavors: require_flags, every request flag on the resource, ignore_flags, the empty
// flag, and the fallback to plain resources when flags remove a whole class (classifier-flag-filter-then-fallback).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { order, res, routeBoth, whyExcluded } from './support.ts';

const ANY = ['^\\+(\\d+)$'];

test('a call without flags drops require_flags resources and keeps the rest (§4, §11.21)', () => {
  for (const r of routeBoth({ resources: [res('a', { rules: ANY, require_flags: true, flags: ['x'] }), res('b', { rules: ANY, flags: ['x'] })] }, { number: '+4930123456' })) {
    assert.deepEqual(order(r), ['b:0']);
    assert.equal(whyExcluded(r, 'a'), 'require_flags');
  }
});

test('with flags, a resource needs every request flag unless it ignores flags; require_flags plays no part (§4)', () => {
  const resources = [
    res('a', { rules: ANY, flags: ['fax'] }),
    res('b', { rules: ANY, flags: ['fax', 'intl'], require_flags: true }),
    res('c', { rules: ANY, ignore_flags: true }),
    res('d', { rules: ANY }),
  ];
  for (const r of routeBoth({ resources }, { number: '+4930123456', flags: ['fax', 'intl'] })) {
    assert.deepEqual(order(r).sort(), ['b:0', 'c:0']);
    assert.equal(whyExcluded(r, 'a'), 'flags');
    assert.equal(whyExcluded(r, 'd'), 'flags');
  }
});

test('an empty-string request flag always passes (§4)', () => {
  for (const r of routeBoth({ resources: [res('a', { rules: ANY, flags: ['fax'] }), res('b', { rules: ANY })] }, { number: '+4930123456', flags: [''] })) {
    assert.deepEqual(order(r).sort(), ['a:0', 'b:0']);
  }
});

test('classifier-flag-filter-then-fallback: flags remove every member of the class, so plain resources are tried (§3.3, §4)', () => {
  const resources = [res('cls', { flags: ['wholesale'], classifiers: { international: {} } }), res('plain', { rules: ANY, flags: ['retail'] })];
  for (const r of routeBoth({ resources }, { number: '+442071234567', flags: ['retail'] })) {
    assert.deepEqual(order(r), ['plain:0']);
    assert.equal(whyExcluded(r, 'cls-international'), 'flags');
  }
  for (const r of routeBoth({ resources }, { number: '+442071234567', flags: ['wholesale'] })) assert.deepEqual(order(r), ['cls-international:0']);
});

// Property tests of the plan's fast paths (issue 16 item 5): each shortcut gives what the plain path gives, on
// thousands of varied documents — normalizing with shared parts, comparing without building the normalized copy,
// canonical JSON, secret holes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { canonicalJson, deepEqual, publicFields, sortKeysDeep, type JsonObject } from '../../../electron/core/drafts/canonical.ts';
import { applyDefaults, normalizedEquals, normalizeResource, type SchemaSet } from '../../../electron/core/drafts/defaults.ts';
import { align, moved } from '../../../electron/core/drafts/array-align.ts';
import { missingSecretPaths } from '../../../electron/core/drafts/secret-fields.ts';
import { SECRET_OMITTED, SECRET_UNREADABLE } from '../../../electron/shared/secret-marks.ts';
import { anyValue, carrier, edit, rng } from '../../support/random-docs.ts';

function builtin(flavor: '4.3' | '5.0'): SchemaSet {
  const dir = new URL(`../../../electron/core/kazoo/builtin-schemas/${flavor}/`, import.meta.url);
  const out: Record<string, JsonObject> = {};
  for (const f of readdirSync(dir)) if (f.endsWith('.json')) out[f.slice(0, -5)] = JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as JsonObject;
  return out;
}

/** Overlapping patternProperties (fill applies each matching one in turn), a default that is an object, a private key's default. */
const ODD: SchemaSet = {
  resources: {
    properties: {
      enabled: { type: 'boolean', default: true },
      weight_cost: { type: 'integer', default: 50 },
      id: { type: 'string', default: 'none' },
      media: { type: 'object', default: { codecs: ['PCMU'], port: '5060' }, properties: { port: { type: 'integer' } } },
      gateways: { type: 'array', items: { $ref: 'gw' } },
      classifiers: { patternProperties: { '^a': { properties: { weight_cost: { type: 'number', default: 1 } } }, '.+': { properties: { enabled: { type: 'boolean', default: false } } } } },
    },
  },
  gw: { properties: { port: { type: ['integer', 'string'], default: 5060 }, server: { type: 'string' }, enabled: { type: 'boolean', default: true } } },
};

const SETS: [string, SchemaSet][] = [['5.0', builtin('5.0')], ['4.3', builtin('4.3')], ['odd', ODD], ['none', {}]];

test('comparing a document with a normalized one without normalizing it gives what normalizing first gives', () => {
  const r = rng(16_5);
  let same = 0;
  let differ = 0;
  for (const [name, set] of SETS) {
    for (let i = 0; i < 1500; i++) {
      const doc = carrier(r);
      if (name === 'odd' && r() < 0.5) doc.classifiers = { a1: { enabled: 'true' }, b: {}, ab: { weight_cost: '2' } };
      const own = normalizeResource(doc, set);
      const others = [own, normalizeResource(edit(r, doc) as JsonObject, set), edit(r, own), normalizeResource(carrier(r), set), anyValue(r, 2)];
      for (const other of others) {
        const expected = deepEqual(normalizeResource(doc, set), other);
        assert.equal(normalizedEquals(doc, other, set), expected, `${name} #${i}: ${JSON.stringify(doc)} vs ${JSON.stringify(other)}`);
        if (expected) same++;
        else differ++;
      }
    }
  }
  // Both answers are exercised in numbers (the test would prove nothing if every pair were equal, or none).
  assert.ok(same > 6000 && differ > 12000, `${same} equal, ${differ} different`);
});

test('normalizing copies only what filling changes, and gives what filling a full copy gives, key order included', () => {
  const r = rng(16_52);
  for (const [name, set] of SETS) {
    for (let i = 0; i < 1500; i++) {
      const doc = carrier(r);
      const before = JSON.stringify(doc);
      const full = applyDefaults(publicFields(doc), set);
      const shared = normalizeResource(doc, set);
      assert.equal(JSON.stringify(shared), JSON.stringify(full), `${name} #${i}: ${before}`);
      assert.equal(canonicalJson(shared), canonicalJson(full));
      assert.equal(JSON.stringify(doc), before, 'the document itself is left as it was');
      // What the cluster stores is already filled: normalizing it again builds nothing below the root.
      const stored = { ...shared, id: 'r1' };
      const again = normalizeResource(stored, set);
      assert.deepEqual(again, shared);
      for (const k of Object.keys(shared)) if (typeof shared[k] === 'object' && shared[k] !== null) assert.equal(again[k], shared[k], `${name} #${i}: ${k} shared`);
    }
  }
});

test('a document holding "__proto__" is compared as normalizing it gives', () => {
  const set = builtin('5.0');
  const doc = JSON.parse('{"name":"A","__proto__":{"enabled":false}}') as JsonObject;
  const own = normalizeResource(doc, set);
  assert.equal(JSON.stringify(own), JSON.stringify(applyDefaults(publicFields(doc), set)));
  assert.equal(normalizedEquals(doc, own, set), deepEqual(normalizeResource(doc, set), own));
});

test('canonical JSON is the sorted-key JSON.stringify of the value, for any value', () => {
  const r = rng(16_51);
  const values: unknown[] = [{ 'k"q': 1, 'ü': [undefined, -0, NaN], '\n': { b: 1, a: 2 } }, [undefined], -0, 'é\u2028'];
  for (let i = 0; i < 3000; i++) values.push(i % 2 ? carrier(r) : anyValue(r, 4));
  for (const v of values) assert.equal(canonicalJson(v), JSON.stringify(sortKeysDeep(v)) ?? 'null', JSON.stringify(v));
});

test('missing secrets are found at any depth, with their dotted paths', () => {
  const doc = { password: SECRET_OMITTED, gateways: [{ server: 'a' }, { password: SECRET_UNREADABLE, more: [[SECRET_OMITTED]] }], x: { y: { z: SECRET_UNREADABLE } } };
  assert.deepEqual(missingSecretPaths(doc), ['password', 'gateways.1.password', 'gateways.1.more.0.0', 'x.y.z']);
  assert.deepEqual(missingSecretPaths(SECRET_OMITTED), ['']);
  assert.deepEqual(missingSecretPaths({ a: [1, 'b'], c: null }), []);
});

test('moved elements: the shortcut for lists in order gives what the full search gives', () => {
  const r = rng(16_53);
  const gw = (n: number) => ({ server: `sip${n}.example`, port: 5060 + (n % 2) });
  let none = 0;
  let some = 0;
  for (let i = 0; i < 3000; i++) {
    const before = Array.from({ length: 1 + Math.floor(r() * 6) }, (_, k) => gw(k));
    let after = before.filter(() => r() < 0.8).map((g) => (r() < 0.2 ? { ...g, realm: 'x' } : g));
    if (r() < 0.5) after = after.sort(() => r() - 0.5);
    if (r() < 0.3) after.splice(Math.floor(r() * (after.length + 1)), 0, gw(10 + i));
    const pairs = align(before, after);
    // The same pairs listed in another order take the full search (longest run kept in order).
    const shuffled = [...pairs].sort(() => r() - 0.5);
    const fast = [...moved(pairs)].sort();
    assert.deepEqual(fast, [...moved(shuffled)].sort(), JSON.stringify(pairs));
    if (fast.length === 0) none++;
    else some++;
  }
  assert.ok(none > 500 && some > 500, `${none} without moves, ${some} with`);
});

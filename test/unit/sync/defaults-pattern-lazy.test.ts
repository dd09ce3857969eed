// Filling defaults compiles a schema's patternProperties keys without running them: RE2 (re2js) is loaded and a
// key pattern compiled only when a document has a member such a pattern may describe. An apply whose documents have
// none (no classifiers, no custom SIP headers) no longer loads RE2 before its first reply. This file runs in a
// process of its own (node's test runner), so the module cache shows whether re2js was loaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { applyDefaults, normalizedEquals, type SchemaSet } from '../../../electron/core/drafts/defaults.ts';

const re2Loaded = () => Object.keys(createRequire(import.meta.url).cache).some((p) => /[\\/]re2js[\\/]/.test(p));

const set: SchemaSet = {
  resources: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      weight_cost: { type: 'integer', default: 50 },
      classifiers: {
        type: 'object',
        patternProperties: { '.+': { type: 'object', properties: { enabled: { type: 'boolean', default: true } } } },
      },
      custom_sip_headers: { $ref: 'custom_sip_headers' },
    },
  },
  custom_sip_headers: { type: 'object', patternProperties: { '^(?!X-)': { type: 'string' }, '^[a-zA-Z0-9_\\-]+$': { type: 'string' } } },
};

test('a document that no key pattern can describe is filled without loading RE2', () => {
  assert.equal(re2Loaded(), false, 'nothing loaded RE2 before the test');
  const filled = applyDefaults({ name: 'Carrier', classifiers: {} }, set);
  assert.deepEqual(filled, { name: 'Carrier', classifiers: {}, weight_cost: 50 });
  assert.equal(normalizedEquals({ name: 'Carrier', classifiers: {} }, filled, set), true);
  assert.equal(re2Loaded(), false, 'RE2 stays unloaded: no member met a pattern');
});

test('a member a key pattern describes is filled through RE2; a pattern RE2 cannot run matches nothing', () => {
  const filled = applyDefaults({ name: 'Carrier', classifiers: { tollfree_us: {} }, custom_sip_headers: { 'X-Foo': 7 } }, set);
  assert.deepEqual(filled, { name: 'Carrier', classifiers: { tollfree_us: { enabled: true } }, custom_sip_headers: { 'X-Foo': 7 }, weight_cost: 50 });
  assert.equal(re2Loaded(), true);
  // The look-ahead pattern is unchecked (RE2 has none): it describes no key, so '{}' stays as it was.
  assert.equal(normalizedEquals({ name: 'Carrier', classifiers: { tollfree_us: {} } }, { name: 'Carrier', classifiers: { tollfree_us: { enabled: true } }, weight_cost: 50 }, set), true);
});

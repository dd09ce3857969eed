// Unit tests of the draft helpers: field paths, local checks (regexes, PCRE differences, empty rules, duplicate
// gateways), secrets sealed at rest / masked / left out, deterministic bundles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAt, parsePath, parseValueText, setAt } from '../../../electron/core/drafts/doc-path.ts';
import { localChecks, SECRET_OMITTED } from '../../../electron/core/drafts/local-checks.ts';
import { checkPattern } from '../../../electron/core/routing/lint-patterns.ts';
import { maskSecrets, openDoc, resolveMasks, sealDoc } from '../../../electron/core/drafts/secret-fields.ts';
import { buildBundle, parseBundle } from '../../../electron/core/drafts/bundle.ts';
import { validateAgainstSchemas } from '../../../electron/core/drafts/schema-validate.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';

test('paths: parse, get, set (creating lists and objects), unset, values from text', () => {
  assert.deepEqual(parsePath('gateways.1.server'), ['gateways', 1, 'server']);
  assert.deepEqual(parsePath('classifiers.a%2Eb.regex'), ['classifiers', 'a.b', 'regex']);
  const doc: Record<string, unknown> = { gateways: [{ server: 'a' }] };
  setAt(doc, 'gateways.1.server', 'b');
  setAt(doc, 'caller_id_options.type', 'external');
  setAt(doc, 'custom_sip_headers.X-Foo', 'bar');
  assert.deepEqual(doc, { gateways: [{ server: 'a' }, { server: 'b' }], caller_id_options: { type: 'external' }, custom_sip_headers: { 'X-Foo': 'bar' } });
  assert.equal(getAt(doc, 'gateways.1.server'), 'b');
  setAt(doc, 'gateways.0', undefined);
  assert.deepEqual(doc.gateways, [{ server: 'b' }]);
  assert.throws(() => setAt(doc, 'gateways.5.server', 'x'), /past the end/);
  assert.equal(parseValueText('50'), 50);
  assert.deepEqual(parseValueText('["a"]'), ['a']);
  assert.equal(parseValueText('sip.example.com'), 'sip.example.com');
});

test('patterns: errors that do not compile, warnings where PCRE differs', () => {
  assert.deepEqual(checkPattern('^\\+?1?(\\d{10})$', 'rules.0'), []);
  const bad = checkPattern('(unclosed', 'rules.1');
  assert.equal(bad[0]!.severity, 'error');
  assert.equal(bad[0]!.path, 'rules.1');
  for (const p of ['(?>a+)b', '\\d++', '(?P<n>\\d)', '(?i)abc', '^\\d+\\Z', '\\A1', '[[:digit:]]+']) {
    const issues = checkPattern(p, 'rules.0');
    assert.ok(issues.length > 0 && issues.every((i) => i.severity === 'warning'), `${p}: ${JSON.stringify(issues)}`);
  }
  assert.equal(checkPattern('(?<=\\+1)\\d+', 'cid_rules.0')[0]!.rule, 'pcre_differs');
});

test('local checks: empty rules, duplicate gateways, bad cid_rules/classifier regex, omitted secrets', () => {
  const issues = localChecks({
    name: 'x', rules: [], cid_rules: ['[bad'], classifiers: { us: { regex: '(' } },
    gateways: [{ server: 'a.example', port: 5060 }, { server: 'A.example' }, { server: 'a.example', prefix: '9' }, { server: 'b', password: SECRET_OMITTED }],
  });
  const by = (rule: string) => issues.filter((i) => i.rule === rule).map((i) => i.path);
  assert.deepEqual(by('empty_rules'), [], 'a classifier resource routes without rules (routing-spec §2.2, §5.5)');
  assert.deepEqual(localChecks({ name: 'plain', rules: [] }).filter((i) => i.rule === 'empty_rules').map((i) => i.path), ['rules'], 'a plain one never matches (§5.5)');
  assert.deepEqual(by('duplicate_gateway'), ['gateways.1']);
  assert.deepEqual(by('regex').sort(), ['cid_rules.0', 'classifiers.us.regex']);
  assert.deepEqual(by('secret_missing'), ['gateways.3.password']);
});

test('secrets: sealed at rest, opened back, masked for display', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cd-sync-unit-'));
  try {
    const box = new FileKeyBox(dir);
    const doc = { name: 'x', gateways: [{ server: 's', password: 'Top-Secret-1' }], nested: { api_key: 'k-123456' } };
    const sealed = sealDoc(doc, box);
    assert.ok(!JSON.stringify(sealed).includes('Top-Secret-1'));
    assert.ok(!JSON.stringify(sealed).includes('k-123456'));
    assert.deepEqual(openDoc(sealed, box), doc);
    assert.deepEqual(maskSecrets(doc), { name: 'x', gateways: [{ server: 's', password: '***' }], nested: { api_key: '***' } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bundles: deterministic and sorted, secrets out unless asked, restored from the current draft on import', () => {
  const d = (name: string) => ({ id: `id-${name}`, name, markedForDelete: false, doc: { name, gateways: [{ password: 'pw-1234', server: 's' }] }, targets: [{ cluster: 'b', scope: 'global', remoteId: null }, { cluster: 'a', scope: 'global', remoteId: 'r' }] });
  const one = buildBundle([d('Zed'), d('Alpha')], false);
  assert.equal(one, buildBundle([d('Alpha'), d('Zed')], false));
  assert.ok(!one.includes('pw-1234'));
  assert.ok(buildBundle([d('Alpha')], true).includes('pw-1234'));
  const parsed = parseBundle(one);
  assert.deepEqual(parsed.drafts.map((x) => x.name), ['Alpha', 'Zed']);
  assert.deepEqual(parsed.drafts[0]!.targets.map((t) => t.cluster), ['a', 'b']);
  const dir = mkdtempSync(join(tmpdir(), 'cd-sync-unit-'));
  try {
    const box = new FileKeyBox(dir);
    assert.deepEqual(resolveMasks(parsed.drafts[0]!.doc, sealDoc(d('Alpha').doc, box), box), d('Alpha').doc);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => parseBundle('{"format":"other"}'), /not a Carrier Desk bundle/);
});

test('schema validation reports Kazoo-style field paths', () => {
  const set = {
    resources: { type: 'object', required: ['name', 'gateways'], properties: { name: { type: 'string', minLength: 1 }, weight_cost: { type: 'integer', maximum: 100 }, gateways: { type: 'array', items: { type: 'object', required: ['server'], properties: { server: { type: 'string', minLength: 1 } } } } } },
  };
  const issues = validateAgainstSchemas({ weight_cost: 500, gateways: [{ server: 'a' }, {}] }, set);
  assert.deepEqual(issues.map((i) => [i.path, i.rule]).sort(), [['gateways.1.server', 'required'], ['name', 'required'], ['weight_cost', 'maximum']]);
});

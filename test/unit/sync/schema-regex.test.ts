// Schema patterns run on RE2: linear time whatever the pattern, PCRE's POSIX classes understood, unsupported syntax
// marked unchecked (reported as a warning naming field and pattern), and every pattern checked on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaPattern, translatePosix } from '../../../electron/core/drafts/schema-regex.ts';
import { validateAgainstSchemas } from '../../../electron/core/drafts/schema-validate.ts';
import { applyDefaults } from '../../../electron/core/drafts/defaults.ts';

test('a catastrophic pattern answers on RE2 (2^40 splits for a backtracking engine)', () => {
  const p = schemaPattern('^(\\w+\\s?)*$');
  assert.equal(p.checked, true);
  assert.equal(p.test(`${'a'.repeat(40)}!`), false);
  assert.equal(p.test('carrier one'), true);
});

test("PCRE's POSIX classes are understood; flags are honoured", () => {
  assert.equal(translatePosix('^[[:alnum:]_]+$'), '^[a-zA-Z0-9_]+$');
  assert.equal(schemaPattern('^[[:alnum:]]+$').test('ab1'), true);
  assert.equal(schemaPattern('^[[:alnum:]]+$').test('a-b'), false);
  assert.equal(schemaPattern('^abc$', 'i').test('ABC'), true);
});

test('syntax RE2 cannot run is unchecked: it never passes silently, and it is told apart', () => {
  for (const source of ['^(?!test).*$', '(a)\\1', '(?<=a)b', 'a{1001}']) {
    const p = schemaPattern(source);
    assert.equal(p.checked, false, source);
    assert.equal(p.test('anything'), false, source);
  }
});

test('each pattern of a schema is checked on its own; an unchecked one is a warning naming field and pattern', () => {
  const set = {
    resources: {
      type: 'object',
      properties: {
        name: { type: 'string', pattern: '^(\\w+\\s?)*$' },
        code: { type: 'string', pattern: '^[0-9]+$' },
        note: { type: 'string', pattern: '^(?!secret).*$' },
      },
    },
  };
  const issues = validateAgainstSchemas({ name: `${'a'.repeat(40)}!`, code: '12', note: 'x' }, set);
  assert.deepEqual(
    issues.map((i) => [i.path, i.rule, i.severity]),
    [
      ['name', 'pattern', 'error'],
      ['note', 'pattern_unchecked', 'warning'],
    ],
  );
  assert.match(issues[1]!.message, /Not checked against the cluster's pattern "\^\(\?!secret\)\.\*\$"/);
  assert.deepEqual(validateAgainstSchemas({ name: 'ok', code: '12' }, set), []);
});

test('patternProperties keys of a schema run on RE2 when defaults are filled', () => {
  const set = {
    resources: {
      type: 'object',
      properties: {
        formatters: { type: 'object', patternProperties: { '^(\\w+\\s?)*$': { type: 'object', properties: { strip: { type: 'boolean', default: false } } } } },
      },
    },
  };
  const filled = applyDefaults({ formatters: { [`${'a'.repeat(40)}!`]: {}, to: {} } }, set) as { formatters: Record<string, Record<string, unknown>> };
  assert.deepEqual(filled.formatters.to, { strip: false });
  assert.deepEqual(filled.formatters[`${'a'.repeat(40)}!`], {});
});

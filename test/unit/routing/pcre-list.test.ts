// The one list of constructs JavaScript and PCRE read differently (electron/shared/pcre.ts, routing-spec §11.12), as
// the editor's live regex check shows it: an error only when Kazoo drops the pattern (§5.2), a warning when the test
// here cannot be exact, nothing for a pattern both engines read alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { patternVerdict, pcreNotes } from '../../../electron/shared/pcre.ts';

test('patternVerdict: plain, invalid, empty and PCRE-only patterns (§5.2, §5.3, §11.12)', () => {
  assert.deepEqual(patternVerdict('^\\+1(\\d{10})$'), {});
  assert.match(patternVerdict('^(\\d+').error ?? '', /Not a valid regular expression.*Kazoo drops it \(routing-spec §5\.2\)/);
  assert.match(patternVerdict('').warning ?? '', /matches every number.*§5\.3/);
  const named = patternVerdict('^(?P<n>\\d+)$');
  assert.equal(named.error, undefined, 'Kazoo keeps a Python-style named group');
  assert.match(named.warning ?? '', /named group.*not understood by JavaScript.*uncertain.*§11\.12/);
  assert.match(patternVerdict('^\\d++$').warning ?? '', /possessive quantifier.*uncertain/);
  assert.match(patternVerdict('^\\d+\\Z').warning ?? '', /\\A, \\Z/);
  assert.match(patternVerdict('^(?<=\\+)\\d+$').warning ?? '', /lookbehind/);
});

test('pcreNotes: an escaped quantifier or a plain pattern is not flagged', () => {
  assert.deepEqual(pcreNotes('^\\+?(\\d{7,15})$'), []);
  assert.deepEqual(pcreNotes('^\\+\\+1\\d+$'), []);
  assert.equal(pcreNotes('^(?>\\d+)$')[0]?.kind, 'pcre_only');
});

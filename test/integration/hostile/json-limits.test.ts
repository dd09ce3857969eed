// Depth and size limits on every JSON the app reads from outside: a deeply nested bundle, resource file, saved plan,
// setting value, `--set` value or already-parsed call is refused with one clear sentence (it used to end in "Maximum
// call stack size exceeded"), and nothing already saved is harmed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from '../../../electron/core/index.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import { readJson } from '../../../electron/shared/json-limits.ts';
import { runCli } from '../../support/cli-child.ts';
import { tempDir } from '../../support/temp.ts';

const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

test('the shared reader refuses by size and by depth before parsing, and says which', () => {
  assert.deepEqual(readJson('{"a":[1,{"b":"[[[["}]}', { what: 'X', maxChars: 100 }), { ok: true, value: { a: [1, { b: '[[[[' }] } });
  const big = readJson('"' + 'x'.repeat(2000) + '"', { what: 'The bundle', maxChars: 1024 });
  assert.equal(big.ok, false);
  assert.match(!big.ok ? big.message : '', /^The bundle is too large \(2 KB; at most 1 KB is accepted\)\.$/);
  const tooDeep = readJson(`{"a":${deep(65)}}`, { what: 'The bundle', maxChars: 1e6 });
  assert.match(!tooDeep.ok ? tooDeep.message : '', /^The bundle is nested deeper than 64 levels/);
  assert.equal(readJson(deep(63), { what: 'X', maxChars: 1e6 }).ok, true);
  assert.match((readJson('{', { what: 'The file', maxChars: 10 }) as { message: string }).message, /^The file is not valid JSON \(/);
});

test('CLI: a deeply nested bundle, resource file, saved plan or value is refused in one line; drafts stay', { timeout: 300_000 }, async (t) => {
  const dir = tempDir('cd-json-');
  t.after(() => dir.remove());
  const cli = (...args: string[]) => runCli(dir.path, args, { killAfterMs: 120_000 });
  const file = (name: string, text: string) => {
    const p = join(dir.path, name);
    writeFileSync(p, text);
    return p;
  };
  const made = await cli('drafts', 'create', '--name', 'kept');
  assert.equal(made.code, 0, made.stderr);
  const cases: [string[], RegExp][] = [
    [['import', file('bundle.json', `{"format":"carrier-desk-bundle/1","drafts":[{"name":"x","doc":${`{"a":`.repeat(100_000)}1${'}'.repeat(100_000)}}]}`)], /The bundle is nested deeper than 64 levels/],
    [['drafts', 'create', '--file', file('doc.json', `{"name":"x","gateways":${deep(100_000)}}`)], /doc\.json \(resource document\) is nested deeper than 64 levels/],
    [['apply', file('plan.json', `{"plan":${deep(100_000)}}`), '--yes'], /plan\.json \(saved plan\) is nested deeper than 64 levels/],
    [['settings', 'set', 'jobs.timing', `{"pollMinMs":${deep(1000)}}`], /The value is nested deeper than 64 levels/],
    [['drafts', 'edit', 'kept', '--set', `media=${deep(1000)}`], /The value is nested deeper than 64 levels/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(...args);
    assert.equal(r.signal, null, args[0]);
    assert.ok(r.code === 1 || r.code === 2, `${args.join(' ').slice(0, 60)} → ${r.code}\n${r.stderr}`);
    assert.match(r.stderr, message, args[0]);
    assert.doesNotMatch(r.stderr, /Maximum call stack|\n\s+at /, args[0]);
  }
  const list = await cli('--json', 'drafts', 'list');
  assert.deepEqual((JSON.parse(list.stdout) as { name: string }[]).map((d) => d.name), ['kept']);
});

test('a call whose already-parsed arguments nest absurdly deep is refused by the dispatcher (the Electron IPC path)', async (t) => {
  const dir = tempDir('cd-json-ipc-');
  const core = createCore({ dataDir: dir.path, secrets: new FileKeyBox(dir.path) });
  t.after(async () => {
    await core.close();
    dir.remove();
  });
  let doc: unknown = 1;
  for (let i = 0; i < 100_000; i++) doc = { a: doc };
  const r = await core.dispatch('drafts.create', { name: 'deep', from: { kind: 'json', doc: doc as Record<string, unknown> } });
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error.code, 'invalid_arguments');
  assert.match(!r.ok ? r.error.message : '', /nested deeper than 64 levels/);
  assert.equal((await core.dispatch('drafts.list', {})).ok, true);
});

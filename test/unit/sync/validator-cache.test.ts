// The validator cache of the data folder (drafts/validator-cache.ts): a cached validator gives exactly the answers of
// a compiled one (patterns on RE2 included), and a file that is damaged, edited, stale, copied from another set or
// from another data folder is never run: the set is compiled again and the file rewritten.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resourceSchemaNames, validateAgainstSchemas, validatorFor } from '../../../electron/core/drafts/schema-validate.ts';
import { createCore } from '../../../electron/core/index.ts';
import { ValidatorDiskCache } from '../../../electron/core/drafts/validator-cache.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import type { SchemaSet } from '../../../electron/core/drafts/defaults.ts';
import type { JsonObject } from '../../../electron/core/drafts/canonical.ts';
import { tempDir } from '../../support/temp.ts';
import { resolveSchemasDir } from '../../kazoo-emulator/validation.ts';

// Kazoo's own schemas beside the repository when they are there, else the project's builtin copy (a fresh clone).
const KAZOO = resolveSchemasDir('5.0');
const dirs: { remove(): void }[] = [];
after(() => dirs.forEach((d) => d.remove()));

/** Kazoo 5.0's schemas as a cluster sends them, with extra patterns: POSIX classes (RE2 path) and a look-ahead. */
function kazooSet(extra: JsonObject = {}): SchemaSet {
  const set: Record<string, JsonObject> = {};
  for (const f of readdirSync(KAZOO).filter((f) => f.endsWith('.json'))) set[f.replace(/\.json$/, '')] = JSON.parse(readFileSync(join(KAZOO, f), 'utf8')) as JsonObject;
  const resources = structuredClone(set.resources!) as { properties: Record<string, JsonObject> };
  resources.properties.name = { ...resources.properties.name, pattern: '^[[:alnum:] ]+$' };
  resources.properties.format_from_uri = { type: 'string', pattern: '^(?!sip:).*$' } as JsonObject;
  Object.assign(resources.properties, extra);
  set.resources = resources as unknown as JsonObject;
  return set;
}

const DOCS: JsonObject[] = [
  { name: 'Carrier One', gateways: [{ server: 'sip.example.com', enabled: true }], rules: ['^\\+1(\\d{10})$'] },
  { name: 'bad-name!', weight_cost: 500, gateways: [{ server: 7, enabled: 'yes', custom_sip_headers: { 'X-A': 1 } }] },
  { name: '', flags: 'not-a-list', caller_id_options: { type: 'nope' }, format_from_uri: 'x' },
  { gateways: [{}], media: { audio: { codecs: ['PCMU', 3] } }, formatters: { to: [{ regex: 5 }] } },
  {},
];

/** What the validator answers for each document: validity and the errors, in order. */
function answers(fn: ReturnType<typeof validatorFor>['fn']): unknown[] {
  assert.ok(fn, 'a validator');
  return DOCS.map((d) => {
    const ok = fn(structuredClone(d));
    return { ok, errors: fn.errors ?? null };
  });
}

function folder() {
  const d = tempDir('cd-validators-');
  dirs.push(d);
  const box = new FileKeyBox(d.path);
  const cache = new ValidatorDiskCache(join(d.path, 'cache', 'validators'), (t) => box.ref(t));
  const files = () => readdirSync(cache.dir).filter((f) => f.endsWith('.js'));
  return { path: d.path, cache, files, file: () => join(cache.dir, files()[0]!) };
}

test("only the 'resources' schema and what its $refs reach are compiled", () => {
  assert.deepEqual(resourceSchemaNames(kazooSet()).sort(), ['custom_sip_headers', 'endpoint.media', 'formatters', 'formatters.format_options', 'resources']);
});

test('a cached validator answers exactly as the compiled one, patterns on RE2 included', () => {
  const f = folder();
  const set = kazooSet();
  const compiled = validatorFor(set, null);
  assert.equal(compiled.from, 'compiled');
  const first = validatorFor(set, f.cache);
  assert.equal(first.from, 'compiled');
  assert.equal(f.files().length, 1, 'stored once compiled');
  const cached = validatorFor(set, f.cache);
  assert.equal(cached.from, 'cache');
  assert.deepEqual(answers(cached.fn), answers(compiled.fn));
  // The same errors as a fresh compile, and they do say something (not an always-valid validator).
  const [good, bad] = answers(cached.fn) as { ok: boolean; errors: { keyword: string }[] | null }[];
  assert.equal(good!.ok, true);
  assert.equal(bad!.ok, false);
  assert.ok(bad!.errors!.some((e) => e.keyword === 'pattern'), 'the POSIX-class pattern ran (RE2 + translation)');
  // RE2 cannot run a look-ahead: such a pattern fails every value (reported as unchecked), in cached code too.
  assert.equal(cached.fn!({ name: 'ok', format_from_uri: 'anything' }), false);
});

test('a damaged cache file is not used: the set is compiled and the file written again', () => {
  const f = folder();
  const set = kazooSet();
  const reference = answers(validatorFor(set, null).fn);
  validatorFor(set, f.cache);
  const path = f.file();
  const whole = readFileSync(path, 'utf8');
  for (const damaged of [whole.slice(0, whole.length / 2), '', 'garbage', whole.replace('\n', ' '), whole + '\n}}}']) {
    writeFileSync(path, damaged);
    const again = validatorFor(set, f.cache);
    assert.equal(again.from, 'compiled', `damaged: ${damaged.slice(0, 40)}`);
    assert.deepEqual(answers(again.fn), reference);
    assert.equal(readFileSync(path, 'utf8'), whole, 'rewritten whole');
    assert.equal(validatorFor(set, f.cache).from, 'cache');
  }
});

test('edited code with its header kept is not run (the MAC is the data folder key)', () => {
  const f = folder();
  const set = kazooSet();
  validatorFor(set, f.cache);
  const path = f.file();
  const whole = readFileSync(path, 'utf8');
  // An edit that would make every document valid.
  const edited = whole.replace(/return errors === 0;/g, 'return true;');
  assert.notEqual(edited, whole);
  writeFileSync(path, edited);
  const again = validatorFor(set, f.cache);
  assert.equal(again.from, 'compiled');
  assert.equal(again.fn!(structuredClone(DOCS[1]!)), false);
});

test("a cache file from another data folder (another key) is not used", () => {
  const a = folder();
  const b = folder();
  const set = kazooSet();
  validatorFor(set, a.cache);
  validatorFor(set, b.cache);
  // b's file, made with b's key, put in a's folder under the same name.
  copyFileSync(b.file(), a.file());
  assert.equal(validatorFor(set, a.cache).from, 'compiled');
});

test('a changed schema set is compiled anew (its own file); the old file, renamed to it, is refused', () => {
  const f = folder();
  const before = kazooSet();
  const changed = kazooSet({ weight_cost: { type: 'integer', minimum: 0, maximum: 10 } });
  validatorFor(before, f.cache);
  const old = f.file();
  const next = validatorFor(changed, f.cache);
  assert.equal(next.from, 'compiled');
  assert.equal(next.fn!({ name: 'Carrier', weight_cost: 50 }), false, 'the new maximum applies');
  assert.equal(f.files().length, 2);
  // Stale code under the new set's name: its header names the old key, so it is not run.
  const fresh = f.files().map((n) => join(f.cache.dir, n)).find((p) => p !== old)!;
  copyFileSync(old, fresh);
  const again = validatorFor(changed, f.cache);
  assert.equal(again.from, 'compiled');
  assert.equal(again.fn!({ name: 'Carrier', weight_cost: 50 }), false);
});

test("a closed core's folder is no longer written to (a removed temp folder is not made again)", async () => {
  const d = tempDir('cd-validators-core-');
  dirs.push(d);
  const core = createCore({ dataDir: d.path, secrets: new FileKeyBox(d.path) });
  await core.close();
  d.remove();
  assert.deepEqual(validateAgainstSchemas({ name: 7 }, kazooSet({ grace_period: { type: 'integer' } })).map((i) => i.path), ['gateways', 'name']);
  assert.equal(existsSync(d.path), false);
});

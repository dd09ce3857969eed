// The CLI bundle's V8 code cache (bin/code-cache.js): made when the bundle is built, used by the command, and never
// used for a bundle it was not made from (V8 itself only compares the source's length), when damaged, or when V8
// rejects it. Works on a copy of the sources in a temp folder, so the checkout's own dist/ is never touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkoutCopy } from '../../support/checkout-copy.ts';

const HELP = '"Carrier Desk: drafts,';

/** Runs `--help` through the loader alone (the bin would rebuild a bundle edited by hand). */
function help(root: string, nodeArgs: string[] = []) {
  const probe = join(root, 'probe.mjs');
  writeFileSync(
    probe,
    `import { loadBundle } from ${JSON.stringify(pathToFileURL(join(root, 'bin', 'code-cache.js')).href)};\n` +
      `const { runCli } = loadBundle(${JSON.stringify(join(root, 'dist', 'electron', 'cli', 'main.cjs'))}, (l) => process.stderr.write('CACHE ' + l + '\\n'));\n` +
      `process.exitCode = await runCli(['--help']);\n`,
  );
  const r = spawnSync(process.execPath, [...nodeArgs, probe], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { out: r.stdout, cache: /CACHE (.*)/.exec(r.stderr)?.[1] };
}

test('the bundle is built with a code cache that the command uses, and a cache is never used for another bundle', (t) => {
  const root = checkoutCopy(t);
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'cli-bundle.mjs')], { encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);

  // Through the command itself.
  const r = spawnSync(process.execPath, [join(root, 'bin', 'carrier-desk.js'), '--help'], { encoding: 'utf8', env: { ...process.env, CARRIER_DESK_DEBUG: '1', CARRIER_DESK_FROM_SOURCE: '' } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /carrier-desk: running the bundle\ncarrier-desk: code cache used/);
  assert.match(r.stdout, /Carrier Desk: drafts/);

  // Under other V8 flags V8 rejects the cache itself; the command runs all the same.
  const eager = help(root, ['--no-lazy']);
  assert.equal(eager.cache, 'code cache rejected by V8 (another Node or V8 flags)');
  assert.match(eager.out, /Carrier Desk: drafts/);

  // A bundle of the same length with other code: V8 would take the cache and run the old bytecode (the old text).
  const bundle = join(root, 'dist', 'electron', 'cli', 'main.cjs');
  const text = readFileSync(bundle, 'utf8');
  assert.ok(text.includes(HELP));
  writeFileSync(bundle, text.replace(HELP, '"Carrier Dusk: drafts,'));
  const edited = help(root);
  assert.equal(edited.cache, 'code cache not used (made from another bundle)');
  assert.match(edited.out, /Carrier Dusk: drafts/);
  assert.doesNotMatch(edited.out, /Carrier Desk: drafts/);
  writeFileSync(bundle, text);
  assert.equal(help(root).cache, 'code cache used');

  // A damaged cache (one byte of the bytecode changed: V8 does not checksum it in release builds) is not used.
  const cacheFile = `${bundle}.cache`;
  const cache = readFileSync(cacheFile);
  const damaged = Buffer.from(cache);
  const at = damaged.length >> 1;
  damaged.writeUInt8(damaged.readUInt8(at) ^ 0x55, at);
  writeFileSync(cacheFile, damaged);
  const d = help(root);
  assert.equal(d.cache, 'code cache not used (damaged)');
  assert.match(d.out, /Carrier Desk: drafts/);
  writeFileSync(cacheFile, cache.subarray(0, 100));
  assert.equal(help(root).cache, 'code cache not used (not a cache of this kind)');
});

// Runs the command-line bundle (CommonJS, dist/electron/cli/main.cjs) with V8's code cache: the bytecode of every
// function of the bundle, made when the bundle is built (`node bin/code-cache.js --make FILE`, from
// scripts/cli-bundle.mjs) and kept beside it as FILE.cache. A command then neither parses the bundle nor compiles
// the functions it calls (the sync engine, the HTTP transport, the validators: ~30 ms of CPU for `drafts list`,
// ~75 ms for an apply to 50 clusters, measured in docs/benchmarks-history.md "fan-out through the CLI, fifth pass").
//
// A cache is used only when it was made from exactly this bundle and is intact: its first line holds the SHA-256 of
// the bundle's bytes and of the cache's own bytes, checked on every start (~3 ms), because V8 itself only compares
// the source's length and does not checksum the data in release builds. Anything else (no cache, another bundle's,
// damaged, made by another Node or with other V8 flags: `cachedDataRejected`) compiles the bundle as usual.
// CARRIER_DESK_DEBUG=1 says on stderr whether the cache was used.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

const MAGIC = 'carrier-desk-code-cache 1';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** The bundle as V8 compiles it: Node's CommonJS wrapper. The cache is bound to this exact text. */
function compile(file, source, cachedData) {
  const code = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  // Dynamic import() inside the bundle (external ES modules) goes through Node's own loader, as in a plain require.
  return new vm.Script(code, { filename: file, cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
}

/** The cache's data when FILE.cache was made from `bundleBytes` and is intact; else why not. */
function readCache(file, bundleBytes) {
  let bytes;
  try {
    bytes = readFileSync(`${file}.cache`);
  } catch {
    return { why: 'none' };
  }
  const end = bytes.indexOf(10);
  const [magic, forBundle, forData] = end < 0 ? [] : bytes.subarray(0, end).toString('latin1').split('\t');
  const data = bytes.subarray(end + 1);
  if (magic !== MAGIC || !forData) return { why: 'not a cache of this kind' };
  if (forBundle !== sha256(bundleBytes)) return { why: 'made from another bundle' };
  if (forData !== sha256(data)) return { why: 'damaged' };
  return { data };
}

/** Loads the CommonJS bundle FILE (an absolute path) and returns its exports, from its code cache where valid. */
export function loadBundle(file, debug = () => {}) {
  const bytes = readFileSync(file);
  const cache = readCache(file, bytes);
  const script = compile(file, bytes.toString('utf8'), cache.data);
  debug(cache.data ? (script.cachedDataRejected ? 'code cache rejected by V8 (another Node or V8 flags)' : 'code cache used') : `code cache not used (${cache.why})`);
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

/**
 * Writes FILE.cache with the bytecode of every function of the bundle. Run in a process of its own: it compiles
 * eagerly by switching V8's `lazy` flag off for that compile, then back on, so the data carries the flags of a
 * normal start (V8 rejects a cache made under other flags). The cache is checked in this process before it is
 * written; one V8 would reject is not written. Returns whether a cache was written.
 */
export function makeCodeCache(file) {
  const bytes = readFileSync(file);
  const source = bytes.toString('utf8');
  v8.setFlagsFromString('--no-lazy');
  let script;
  try {
    script = compile(file, source);
  } finally {
    v8.setFlagsFromString('--lazy');
  }
  const data = script.createCachedData();
  if (compile(file, source, data).cachedDataRejected) return false;
  const tmp = `${file}.cache.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([Buffer.from(`${MAGIC}\t${sha256(bytes)}\t${sha256(data)}\n`, 'latin1'), data]));
  renameSync(tmp, `${file}.cache`);
  return true;
}

// `node bin/code-cache.js --make FILE`: exits 0 when the cache was written.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === '--make') {
  process.exit(makeCodeCache(resolve(process.argv[3])) ? 0 : 1);
}

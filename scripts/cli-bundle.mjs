// The command-line bundle (dist/electron/cli/main.cjs with its V8 code cache main.cjs.cache, the import worker, the
// SQL migrations and the builtin Kazoo schemas beside it) and the manifest that says whether it still matches the
// sources. `bin/carrier-desk.js` runs the bundle when it is fresh (≈3× faster to start than compiling the sources
// through tsx) and rebuilds it when a source changed; `npm install` builds it (the `prepare` script), `npm run build`
// too.
//
// Freshness (scripts/cli-bundle-fresh.cjs): the manifest records, at build time, the size and mtime of every file the
// bundle was made of (the inputs esbuild reports, plus the copied data files) and of the bundle itself, and the
// version of each dependency bundled in. Checking it is a few hundred stat calls (≈2 ms), no hashing. A `git
// checkout` or `git pull` rewrites changed files with a new mtime, so it is seen; a file added to a copied folder (a
// new migration) is seen by comparing the folder listing.
//
// The bundle is CommonJS, not an ES module, because only a script can be compiled with a code cache on Node 20
// (bin/code-cache.js); `import.meta.url` in the sources becomes the bundle's own URL.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fresh from './cli-bundle-fresh.cjs';

const { MANIFEST, FORMAT, listFiles, packageVersion, bundleIsFresh } = fresh;
export { bundleIsFresh };

export const BUNDLE = 'dist/electron/cli/main.cjs';

/** Folders copied beside the bundle, read at run time relative to it (see scripts/build.mjs). */
const DATA = [
  { from: 'electron/core/db/migrations', to: 'dist/electron/cli/migrations' },
  { from: 'electron/core/kazoo/builtin-schemas', to: 'dist/electron/kazoo/builtin-schemas' },
];

/**
 * Pure-JS packages every command needs are bundled in (zod alone is 220 module files to resolve otherwise;
 * jsonc-parser reads the key order of classifier tables at pull), and undici's agent and request modules, which run
 * only on a command's first request but then sit before it (lazyBundled in electron/core/lazy-require.ts).
 * The rest stays in node_modules: better-sqlite3 is native, and ajv, csv-parse, libphonenumber-js and refa
 * are loaded on first use (lazyRequire) by the commands that need them.
 */
const BUNDLED_PACKAGES = ['zod', 'commander', 'jsonc-parser', 'undici'];

const ESM_BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";
/** `import.meta` of the sources in the CommonJS bundle: its URL (and `resolve`, which only the sources' tsx path uses). */
const CJS_BANNER =
  "const __cdImportMeta = { url: require('node:url').pathToFileURL(__filename).href, resolve: (s) => require('node:url').pathToFileURL(require.resolve(s)).href };";

const stamp = (st) => [Math.round(st.mtimeMs), st.size];

/** Writes a file under a temporary name, then renames it: a concurrent reader sees the old or the new file. */
function writeAtomic(path, data) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Makes `to` hold exactly the files of `from` (a renumbered migration must not leave its old name behind). */
function mirror(root, from, to) {
  const src = listFiles(join(root, from)).map((f) => relative(join(root, from), f));
  for (const f of src) writeAtomic(join(root, to, f), readFileSync(join(root, from, f)));
  const keep = new Set(src);
  try {
    for (const f of listFiles(join(root, to))) if (!keep.has(relative(join(root, to), f)) && !f.endsWith('.tmp')) rmSync(f, { force: true });
  } catch {}
}

/**
 * Node modules undici loads that the CLI does not need, replaced in the CLI bundle only (the sources and the app load
 * undici as published). Together ~7-9 ms of every command that sends a request, before its first request leaves.
 * - Its HTTP/2 module, and with it `node:http2` and `node:tls`: used only on a connection that negotiated HTTP/2, which a
 *   client offers only when it allows it (`allowH2`); ours never do (kazoo/transport.ts). The stub refuses.
 * - `node:http` (~3 ms: it loads Node's whole HTTP server and client): undici reads from it only `IncomingMessage` (to
 *   unlink the socket of a Node server request destroyed as a body; we never send one) and the default `maxHeaderSize`
 *   (we always pass ours, kazoo/transport.ts).
 * - `node:assert` (~2 ms): undici calls it only as `assert(value)`, for its own invariants. The stub throws as
 *   Node's does (code ERR_ASSERTION).
 * The two Node modules are replaced only in the undici release whose files were read for it (UNDICI_READ), and only
 * for an importer whose source takes them in the forms read then: another release, or a file that uses more, is bundled
 * with the real module, and the cli-bundle test names the module that came back.
 */
const STUB = 'undici-lean-stub';
// The undici release whose files were read for the stand-ins of node:http and node:assert (`read: true`).
const UNDICI_READ = '7.30.2';
const STUBS = {
  './client-h2.js': {
    importer: /[\\/]undici[\\/]lib[\\/]dispatcher[\\/]client\.js$/,
    fits: () => true,
    contents: "'use strict'\nmodule.exports = function connectH2 () { throw new Error('HTTP/2 is not enabled in the carrier-desk command (allowH2 is off)') }\n",
  },
  'node:http': {
    importer: /[\\/]undici[\\/]lib[\\/]/,
    read: true,
    // `const { IncomingMessage } = require('node:http')`, or `const http = require('node:http')` read only for `http.maxHeaderSize`.
    fits: (src) =>
      /\bconst \{ IncomingMessage \} = require\('node:http'\)/.test(src) ||
      (/\bconst http = require\('node:http'\)/.test(src) && !/\bhttp\.(?!maxHeaderSize\b)\w/.test(src)),
    contents: "'use strict'\nmodule.exports = { IncomingMessage: class IncomingMessage {}, maxHeaderSize: 16384 }\n",
  },
  'node:assert': {
    importer: /[\\/]undici[\\/]lib[\\/]/,
    read: true,
    fits: (src) => /\bconst assert = require\('node:assert'\)/.test(src) && !/\bassert\.\w/.test(src),
    contents:
      "'use strict'\nmodule.exports = function assert (value, message) {\n  if (value) return\n  if (message instanceof Error) throw message\n" +
      "  const e = new Error(message ?? 'undici: an internal invariant does not hold')\n  e.code = 'ERR_ASSERTION'\n  throw e\n}\n",
  },
};

/** The version of the undici package a file belongs to (the package.json above its lib/ folder). */
function undiciVersion(file) {
  const pkg = file.replace(/([\\/]undici)[\\/]lib[\\/].*$/, '$1/package.json');
  try {
    return JSON.parse(readFileSync(pkg, 'utf8')).version;
  } catch {
    return undefined;
  }
}

const undiciLean = {
  name: 'undici-lean',
  setup(b) {
    b.onResolve({ filter: /^(\.\/client-h2\.js|node:http|node:assert)$/ }, (args) => {
      const stub = STUBS[args.path];
      if (!stub.importer.test(args.importer) || (stub.read && undiciVersion(args.importer) !== UNDICI_READ)) return undefined;
      if (!stub.fits(readFileSync(args.importer, 'utf8'))) return undefined;
      return { path: args.path, namespace: STUB };
    });
    b.onLoad({ filter: /.*/, namespace: STUB }, (args) => ({ contents: STUBS[args.path].contents, loader: 'js' }));
  },
};

/**
 * esbuild's options for a CommonJS bundle run as the CLI's is (bin/code-cache.js): the CLI bundle, and the fan-out
 * bench's floor (bench/lib/fanout-floors.ts), which must be built alike to be its floor.
 */
export const CJS_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  banner: { js: CJS_BANNER },
  define: { 'import.meta': '__cdImportMeta' },
  // 'module' first: jsonc-parser's main entry is a UMD wrapper whose inner require() esbuild cannot follow.
  mainFields: ['module', 'main'],
  minify: true,
  plugins: [undiciLean],
};

/**
 * Builds the CLI bundle and its worker under `root` with esbuild, then the manifest (last, so a bundle without a
 * manifest, or with one from an older build, reads as stale). Safe to run from two processes at once: every file is
 * replaced by a rename.
 */
export async function buildCliBundle(root, { logLevel = 'warning' } = {}) {
  const { build } = await import('esbuild');
  const started = Date.now();
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    banner: { js: ESM_BANNER },
    sourcemap: true,
    logLevel,
    metafile: true,
    write: false,
    outdir: 'dist/electron/cli',
  };
  const [cli, worker] = await Promise.all([
    build({
      ...common,
      ...CJS_BUNDLE_OPTIONS,
      outExtension: { '.js': '.cjs' },
      entryPoints: { main: 'electron/cli/main.ts' },
      external: ['better-sqlite3'],
    }),
    // The import worker starts once per import, not per command: its dependencies stay in node_modules.
    build({ ...common, entryPoints: { worker: 'electron/core/numbers/worker.ts' }, packages: 'external' }),
  ]);
  for (const out of [...cli.outputFiles, ...worker.outputFiles]) writeAtomic(out.path, out.contents);
  for (const d of DATA) mirror(root, d.from, d.to);
  // The ES-module bundle of earlier builds.
  for (const old of ['main.js', 'main.js.map']) rmSync(join(root, 'dist/electron/cli', old), { force: true });
  // The code cache, made in a process of its own (it switches V8 flags). Without one the bundle still runs.
  const cache = join(root, `${BUNDLE}.cache`);
  rmSync(cache, { force: true });
  spawnSync(process.execPath, [fileURLToPath(new URL('../bin/code-cache.js', import.meta.url)), '--make', join(root, BUNDLE)], { stdio: 'ignore' });

  const files = {};
  // Files of the project only: not packages, nor the modules the undici stubs make (`undici-lean-stub:…`).
  const inputs = [...Object.keys(cli.metafile.inputs), ...Object.keys(worker.metafile.inputs)].filter((f) => !f.includes('node_modules/') && !f.startsWith(`${STUB}:`));
  for (const f of [...inputs, ...DATA.flatMap((d) => listFiles(join(root, d.from)).map((p) => relative(root, p)))]) {
    const st = statSync(join(root, f));
    // A source saved while esbuild was reading it: leave the manifest out, so the next start builds again.
    if (st.mtimeMs >= started - 1) return { built: true, manifest: false };
    files[f] = stamp(st);
  }
  const dirs = Object.fromEntries(DATA.map((d) => [d.from, listFiles(join(root, d.from)).map((p) => relative(root, p))]));
  // The outputs too: a bundle changed or truncated by hand is built again rather than run.
  for (const out of [...cli.outputFiles, ...worker.outputFiles]) files[relative(root, out.path)] = stamp(statSync(out.path));
  try {
    files[`${BUNDLE}.cache`] = stamp(statSync(cache));
  } catch {}
  const packages = Object.fromEntries(BUNDLED_PACKAGES.map((n) => [n, packageVersion(root, n)]));
  writeAtomic(join(root, MANIFEST), JSON.stringify({ format: FORMAT, files, dirs, packages }));
  return { built: true, manifest: true };
}

/** `node scripts/cli-bundle.mjs [--if-possible]`: the `prepare` step of npm install (quiet when esbuild is missing). */
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  try {
    await buildCliBundle(root);
  } catch (e) {
    if (process.argv.includes('--if-possible')) {
      console.error(`carrier-desk: the command-line bundle was not built (${e instanceof Error ? e.message.split('\n')[0] : e}); the command runs from the sources, slower to start.`);
    } else throw e;
  }
}

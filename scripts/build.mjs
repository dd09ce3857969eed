#!/usr/bin/env node
// Builds everything the desktop app and the packaged CLI need into dist/:
//   dist/renderer/                  the Svelte app (vite)
//   dist/electron/main/main.js      Electron main (ESM), with the SQL migrations beside it
//   dist/electron/preload/preload.cjs  the sandboxed preload (one CommonJS file, only imports 'electron')
//   dist/electron/cli/main.cjs      the carrier-desk CLI (CommonJS) and its V8 code cache main.cjs.cache (scripts/cli-bundle.mjs: also what `npm install` builds)
//   dist/electron/web/serve.js      the browser host
//   dist/electron/*/worker.js       the number-import worker beside each bundle; dist/electron/kazoo/builtin-schemas
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildCliBundle } from './cli-bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
rmSync('dist/electron', { recursive: true, force: true });

const vite = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
if (vite.status !== 0) process.exit(vite.status ?? 1);

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  // Native and large runtime packages stay in node_modules (electron-builder ships production dependencies).
  packages: 'external',
};

const esm = { ...common, format: 'esm', banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } };

await Promise.all([
  build({ ...esm, entryPoints: ['electron/main/main.ts'], outfile: 'dist/electron/main/main.js', external: ['electron'] }),
  buildCliBundle(root),
  build({ ...esm, entryPoints: ['electron/web/serve.ts'], outfile: 'dist/electron/web/serve.js' }),
  // The number-list import runs in a worker thread; worker-host.ts looks for worker.js beside the bundle.
  ...['main', 'web'].map((bundle) =>
    build({ ...esm, entryPoints: ['electron/core/numbers/worker.ts'], outfile: `dist/electron/${bundle}/worker.js` }),
  ),
  build({ ...common, packages: undefined, minify: true, format: 'cjs', entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/electron/preload/preload.cjs', external: ['electron'] }),
]);

// Modules that read data files relative to themselves (import.meta.url) find them beside each bundle:
// migrations at ./migrations/, the builtin Kazoo schemas at ../kazoo/builtin-schemas/.
for (const bundle of ['main', 'web']) {
  cpSync('electron/core/db/migrations', `dist/electron/${bundle}/migrations`, { recursive: true });
}
cpSync('electron/core/kazoo/builtin-schemas', 'dist/electron/kazoo/builtin-schemas', { recursive: true });
console.log('built dist/renderer and dist/electron/{main,preload,cli,web}');

#!/usr/bin/env node
// Entry of the `carrier-desk` command. In a checkout it runs the bundle built from the sources
// (dist/electron/cli/main.cjs, made by `npm install`, loaded with its code cache: bin/code-cache.js) while that bundle is fresh, and rebuilds it first when a source
// changed since (once, about half a second); where it cannot be built (no esbuild, a read-only folder, a syntax
// error) the TypeScript sources run through tsx. CARRIER_DESK_FROM_SOURCE=1 always runs the sources (`npm test` sets
// it, so the tests exercise the sources themselves). Where the sources are not shipped, the bundle runs.
// CARRIER_DESK_DEBUG=1 says on stderr which one ran.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadBundle } from './code-cache.js';

const root = new URL('..', import.meta.url);
const source = new URL('electron/cli/main.ts', root);
const bundle = fileURLToPath(new URL('dist/electron/cli/main.cjs', root));
const say = (line) => {
  if (process.env.CARRIER_DESK_DEBUG) process.stderr.write(`carrier-desk: ${line}\n`);
};
const debug = (what) => say(`running ${what}`);

async function load() {
  if (!existsSync(source)) return loadBundle(bundle, say);
  if (process.env.CARRIER_DESK_FROM_SOURCE !== '1') {
    const { bundleIsFresh, buildCliBundle } = await import('../scripts/cli-bundle.mjs');
    const dir = fileURLToPath(root);
    if (bundleIsFresh(dir)) {
      debug('the bundle');
      return loadBundle(bundle, say);
    }
    try {
      if ((await buildCliBundle(dir, { logLevel: 'silent' })).manifest) {
        debug('the bundle, rebuilt from the sources just now');
        return loadBundle(bundle, say);
      }
    } catch {
      // Not buildable here: the sources below give the same behaviour, only slower to start.
    }
  }
  debug('the sources (tsx)');
  const { register } = await import('tsx/esm/api');
  register();
  return import(source.href);
}

const { runCli } = await load();
process.exit(await runCli(process.argv.slice(2), { processExits: true }));

// Whether the command-line bundle under a checkout still matches its sources (see scripts/cli-bundle.mjs, which
// writes the manifest read here). CommonJS so that the core can require it synchronously at run time
// (electron/core/numbers/worker-host.ts, which must not await at its top level: the CLI bundle is CommonJS).
'use strict';
const { readdirSync, readFileSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const MANIFEST = 'dist/electron/cli/bundle-manifest.json';
const FORMAT = 2;

function listFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

const packageVersion = (root, name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;

/** True when the bundle under `root` was built from exactly the sources there now. Never throws. */
function bundleIsFresh(root) {
  try {
    const m = JSON.parse(readFileSync(join(root, MANIFEST), 'utf8'));
    if (m.format !== FORMAT) return false;
    for (const [file, [mtime, size]] of Object.entries(m.files)) {
      const st = statSync(join(root, file));
      if (Math.round(st.mtimeMs) !== mtime || st.size !== size) return false;
    }
    for (const [dir, names] of Object.entries(m.dirs)) {
      if (listFiles(join(root, dir)).map((f) => relative(root, f)).join('\n') !== names.join('\n')) return false;
    }
    for (const [name, version] of Object.entries(m.packages)) if (packageVersion(root, name) !== version) return false;
    return true;
  } catch {
    return false;
  }
}

module.exports = { MANIFEST, FORMAT, listFiles, packageVersion, bundleIsFresh };

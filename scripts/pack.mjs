#!/usr/bin/env node
// `npm run pack [-- --linux|--mac|--win]`: packages the desktop app with electron-builder.
// Needs network access (Electron and its headers are downloaded). The native SQLite module is rebuilt
// for Electron in a staging copy (release/stage), never in ./node_modules, which keeps the Node build
// that the tests and the CLI use.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stage = join(root, 'release', 'stage');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const env = { ...process.env, npm_config_nodedir: '' };

function run(cmd, args, cwd = root) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (r.status !== 0) {
    console.error(`carrier-desk pack: '${cmd} ${args.join(' ')}' failed (exit ${r.status}). Packaging needs network access to download Electron.`);
    process.exit(r.status ?? 1);
  }
}

run(process.execPath, [join(root, 'scripts', 'build.mjs')]);
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
for (const f of ['package.json', 'package-lock.json', 'electron-builder.yml']) cpSync(join(root, f), join(stage, f));
cpSync(join(root, 'dist'), join(stage, 'dist'), { recursive: true });
run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], stage);
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
run(bin('electron-rebuild'), ['--force', '--only', 'better-sqlite3', '--version', electronVersion, '--module-dir', stage]);
run(bin('electron-builder'), ['--projectDir', stage, '--config', 'electron-builder.yml', ...process.argv.slice(2)]);
console.log(`Packages written to ${join(stage, 'release')}`);

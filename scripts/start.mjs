#!/usr/bin/env node
// `npm start`: the desktop app through Electron when its binary is (or can be made) available;
// otherwise one clear line, then the browser host with the system browser opened.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const electronDir = join(root, 'node_modules', 'electron');

function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

function tryDownloadElectron() {
  if (!existsSync(join(electronDir, 'install.js'))) return false;
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { stdio: 'ignore', timeout: 180_000 });
  return r.status === 0;
}

/** better-sqlite3 compiled for Electron's ABI, kept apart so the Node build used by tests stays intact. */
function electronSqliteBinding(version) {
  const dir = join(root, 'node_modules', '.carrier-desk-electron', version, 'better-sqlite3');
  const binding = join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  mkdirSync(dir, { recursive: true });
  cpSync(join(root, 'node_modules', 'better-sqlite3'), dir, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) });
  process.stdout.write(`Preparing the SQLite module for Electron ${version} (once)…\n`);
  const prebuilt = spawnSync('npx', ['--yes', 'prebuild-install', '--runtime', 'electron', '--target', version], { cwd: dir, stdio: 'inherit', shell: process.platform === 'win32' });
  if (prebuilt.status !== 0 || !existsSync(binding)) {
    const gyp = spawnSync('npx', ['--yes', 'node-gyp', 'rebuild', '--release', '--runtime=electron', `--target=${version}`, '--dist-url=https://electronjs.org/headers'], {
      cwd: dir,
      stdio: 'inherit',
      shell: process.platform === 'win32',
      env: { ...process.env, npm_config_nodedir: '' },
    });
    if (gyp.status !== 0) return null;
  }
  return existsSync(binding) ? binding : null;
}

function startBrowserHost(reason) {
  process.stdout.write(`${reason} Starting Carrier Desk in browser mode instead.\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'electron', 'web', 'serve.ts'), '--open', ...args], { stdio: 'inherit', cwd: root });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}

let bin = electronBinary();
if (!bin && tryDownloadElectron()) bin = electronBinary();
if (!bin) {
  startBrowserHost('Electron is not available here (its binary is missing and could not be downloaded).');
} else {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: root });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const version = JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version;
  const binding = electronSqliteBinding(version);
  if (!binding) {
    startBrowserHost(`The SQLite module could not be built for Electron ${version}.`);
  } else {
    const child = spawn(bin, [root, ...args], { stdio: 'inherit', env: { ...process.env, CARRIER_DESK_SQLITE_BINDING: binding } });
    child.on('exit', (code) => process.exit(code ?? 0));
  }
}

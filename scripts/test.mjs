#!/usr/bin/env node
// Runs every test file under test/ with node's test runner (tsx for TypeScript).
// Usage: npm test [-- paths-or-substrings...]   e.g. npm test -- unit   npm test -- test/e2e/shell.test.ts
// End-to-end tests need the built renderer, so it is built first when any e2e file is selected.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

let files = walk(join(root, 'test')).sort();
if (filters.length) files = files.filter((f) => filters.some((q) => f.includes(q)));
if (files.length === 0) {
  console.error('No test file matches ' + JSON.stringify(filters));
  process.exit(2);
}

if (files.some((f) => f.startsWith('test/e2e/'))) {
  const build = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const concurrency = process.env.TEST_CONCURRENCY ?? '3';
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  // CARRIER_DESK_FROM_SOURCE: the CLI processes tests spawn run the TypeScript sources, not the bundle.
  { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test', CARRIER_DESK_FROM_SOURCE: '1' } },
);
process.exit(result.status ?? 1);

// The carrier-desk CLI: --version, --help, exit codes, --json, --data-dir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tempDir } from '../../support/temp.ts';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string;

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['bin/carrier-desk.js', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('--version prints the version and exits 0', () => {
  const r = cli(['--version']);
  assert.equal(r.code, 0);
  assert.equal(r.out.trim(), version);
});

test('--help lists the commands and exits 0', () => {
  const r = cli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /clusters/);
  assert.match(r.out, /--data-dir/);
});

test('a usage error exits 2 with a message, not a stack trace', () => {
  const r = cli(['clusters', 'add', 'x']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--url/);
  assert.ok(!/\n\s+at /.test(r.err), r.err);
  assert.equal(cli(['no-such-command']).code, 2);
});

test('info --json reports the data folder given by --data-dir or CARRIER_DESK_DATA_DIR', (t) => {
  const a = tempDir();
  const b = tempDir();
  t.after(() => (a.remove(), b.remove()));
  const r = cli(['--data-dir', a.path, '--json', 'info']);
  assert.equal(r.code, 0, r.err);
  assert.equal(JSON.parse(r.out).dataDir, a.path);
  const viaEnv = cli(['--json', 'info'], { CARRIER_DESK_DATA_DIR: b.path });
  assert.equal(JSON.parse(viaEnv.out).dataDir, b.path);
});

test('a failing command exits 1 with a plain message', (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const r = cli(['--data-dir', dir.path, 'clusters', 'check', 'missing']);
  assert.equal(r.code, 1);
  assert.match(r.err, /Cluster 'missing' does not exist/);
});

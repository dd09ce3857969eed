// Integration: one draft on several clusters at once through the CLI (issue 16 item 2): `targets add DRAFT A B`,
// `--all-clusters` leaving existing targets as they are, a typo adding nothing, usage errors, and one apply that
// creates the carrier on every cluster.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import { otherLogin, remoteDocs, tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../../bin/carrier-desk.js', import.meta.url));
const emus: EmulatorHandle[] = [];
const dirs: { cleanup: () => void }[] = [];
after(async () => {
  for (const e of emus) await e.close();
  for (const d of dirs) d.cleanup();
});

test('targets add: several clusters at once, --all-clusters, all or nothing', { timeout: 300_000 }, async () => {
  emus.push(...(await Promise.all([startEmulator({ flavor: '5.0' }), startEmulator({ flavor: '5.0' }), startEmulator({ flavor: '4.3' })])));
  const tmp = tempDir('targets-many');
  dirs.push(tmp);
  // Asynchronous: the emulators live in this process and must keep answering while the CLI runs.
  const cli = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, '--data-dir', tmp.dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (status) => resolve({ status, stdout, stderr }));
    });
  const ok = async (...args: string[]) => {
    const r = await cli(...args);
    assert.equal(r.status, 0, `${args.join(' ')} → ${r.status}\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  };
  const names = ['east', 'west', 'north'];
  for (const [i, name] of names.entries()) {
    await ok('clusters', 'add', name, '--url', emus[i]!.url, '--account-name', 'Master', '--username', 'admin', '--password', 'demo-admin-pass');
  }
  const file = join(tmp.dir, 'fan-out.json');
  writeFileSync(file, JSON.stringify({ name: 'Fan Out', enabled: true, gateways: [{ server: 'sip.fan.example', enabled: true }], rules: ['^\\+1(\\d{10})$'] }));
  await ok('drafts', 'create', '--file', file);
  const targetsOf = async () => {
    const d = JSON.parse(await ok('--json', 'drafts', 'show', 'Fan Out')) as { targets: { clusterName: string; scope: string }[] };
    return d.targets.map((t) => `${t.clusterName}/${t.scope}`).sort();
  };

  // A typo among the names: refused by name, nothing added.
  const typo = await cli('targets', 'add', 'Fan Out', 'east', 'wset', '--global');
  assert.notEqual(typo.status, 0);
  assert.match(typo.stderr + typo.stdout, /wset/);
  assert.deepEqual(await targetsOf(), []);

  // Usage errors: no cluster, names with --all-clusters, --resource-id on several.
  assert.equal((await cli('targets', 'add', 'Fan Out', '--global')).status, 2);
  assert.equal((await cli('targets', 'add', 'Fan Out', 'east', '--all-clusters', '--global')).status, 2);
  assert.equal((await cli('targets', 'add', 'Fan Out', 'east', 'west', '--global', '--resource-id', 'abc')).status, 2);

  const two = JSON.parse(await ok('--json', 'targets', 'add', 'Fan Out', 'east', 'west', '--global'));
  assert.deepEqual(two.added, ['east', 'west']);
  assert.deepEqual(await targetsOf(), ['east/global', 'west/global']);

  const text = await ok('targets', 'add', 'Fan Out', '--all-clusters', '--global');
  assert.match(text, /1 target\(s\) added \(north\)/);
  assert.match(text, /Already targeted, left as they are: east, west/);
  assert.deepEqual(await targetsOf(), ['east/global', 'north/global', 'west/global']);

  // One apply creates the carrier on every cluster.
  await ok('apply', '--yes');
  for (const e of emus) {
    const docs = (await remoteDocs(e, await otherLogin(e), 'global')).filter((d) => d.name === 'Fan Out');
    assert.equal(docs.length, 1, `one 'Fan Out' on ${e.url}`);
  }
});

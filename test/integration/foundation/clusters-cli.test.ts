// `carrier-desk clusters add|check|list|remove` and `accounts --tree` against emulators of both flavors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../kazoo-emulator/index.ts';
import { tempDir } from '../../support/temp.ts';

function cli(args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/carrier-desk.js', ...args], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.stdin.end(input ?? '');
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

for (const flavor of ['4.3', '5.0'] as const) {
  test(`clusters add/check/list/remove and accounts --tree on a ${flavor} cluster`, async (t) => {
    const emu = await startEmulator({ flavor });
    const dir = tempDir();
    t.after(async () => (await emu.close(), dir.remove()));
    const d = ['--data-dir', dir.path];

    const add = await cli([...d, '--json', 'clusters', 'add', 'main', '--url', emu.url, '--account-name', 'Master', '--username', 'admin', '--password-env', 'KZ_PW'], {
      KZ_PW: 'demo-admin-pass',
    });
    assert.equal(add.code, 0, add.err);
    const added = JSON.parse(add.out);
    assert.equal(added.flavor, flavor);
    assert.equal(added.superDuper, true);
    assert.equal(added.reachability, 'online');

    const check = await cli([...d, '--json', 'clusters', 'check', 'main']);
    assert.equal(check.code, 0, check.err);
    const probed = JSON.parse(check.out);
    assert.match(probed.version, flavor === '4.3' ? /^4\.3/ : /^5\./);
    assert.equal(probed.superDuper, true);
    assert.ok(probed.jobRecovery.thresholdS > 0);

    // A reseller's login over stdin: not super-duper.
    const sub = await cli([...d, 'clusters', 'add', 'reseller', '--url', emu.url, '--account-name', 'Northwind Reseller', '--username', 'reseller', '--password-stdin'], {}, 'demo-reseller-pass\n');
    assert.equal(sub.code, 0, sub.err);
    assert.match(sub.out, /super-duper admin: no/);

    const bad = await cli([...d, 'clusters', 'add', 'wrong', '--url', emu.url, '--account-name', 'Master', '--username', 'admin', '--password', 'nope-wrong']);
    assert.equal(bad.code, 1);
    assert.match(bad.out, /credentials|password/i);
    assert.ok(!bad.out.includes('nope-wrong') && !bad.err.includes('nope-wrong'));
    assert.match(bad.out, /The profile is saved: fix it with carrier-desk clusters edit wrong/);

    // edit fixes the login and checks again; a failed check still saves and exits 1; nothing given is a usage error.
    const fixed = await cli([...d, '--json', 'clusters', 'edit', 'wrong', '--rename', 'fixed', '--account-name', 'Master', '--username', 'admin', '--password-stdin'], {}, 'demo-admin-pass\n');
    assert.equal(fixed.code, 0, fixed.err);
    assert.deepEqual([JSON.parse(fixed.out).name, JSON.parse(fixed.out).superDuper], ['fixed', true]);
    const broken = await cli([...d, 'clusters', 'edit', 'fixed', '--password', 'nope-again', '--account-name', 'Master', '--username', 'admin']);
    assert.equal(broken.code, 1);
    assert.match(broken.out, /Saved cluster fixed\.[\s\S]*status: reachable, login refused \(/);
    assert.equal((await cli([...d, 'clusters', 'edit', 'fixed'])).code, 2);
    const renamed = await cli([...d, 'clusters', 'edit', 'fixed', '--rename', 'wrong', '--no-check']);
    assert.equal(renamed.code, 0, renamed.err);

    const list = await cli([...d, '--json', 'clusters', 'list']);
    assert.deepEqual(JSON.parse(list.out).map((c: { name: string }) => c.name).sort(), ['main', 'reseller', 'wrong']);

    const tree = await cli([...d, 'accounts', 'main', '--tree']);
    assert.equal(tree.code, 0, tree.err);
    assert.match(tree.out, /^Master/m);
    assert.match(tree.out, /^ {2}Northwind Reseller/m);
    assert.match(tree.out, /^ {4}Acme Corp/m);
    // Depth first: every account right under its parent, siblings by name.
    assert.deepEqual(
      tree.out.trim().split('\n').map((l) => l.replace(/\s+[0-9a-f]{32}$/, '')),
      ['Master', '  Initech', '  Northwind Reseller', '    Acme Corp', '    Globex'],
    );

    const removed = await cli([...d, 'clusters', 'remove', 'wrong']);
    assert.equal(removed.code, 0);
    assert.equal(JSON.parse((await cli([...d, '--json', 'clusters', 'list'])).out).length, 2);

    // No secret in clear in the store or the logs.
    for (const f of readdirSync(dir.path)) {
      if (!f.startsWith('carrier-desk.sqlite')) continue;
      const bytes = readFileSync(join(dir.path, f));
      assert.equal(bytes.indexOf('demo-admin-pass'), -1);
      assert.equal(bytes.indexOf('demo-reseller-pass'), -1);
    }
    const log = readFileSync(join(dir.path, 'logs', 'cli.log'), 'utf8');
    assert.ok(!log.includes('demo-admin-pass') && !log.includes('eyJ'));
  });
}

test('an unreachable cluster is added but reported with a plain reason and exit code 1', async (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const r = await cli(['--data-dir', dir.path, 'clusters', 'add', 'gone', '--url', 'http://127.0.0.1:9', '--api-key', 'x'.repeat(64)]);
  assert.equal(r.code, 1);
  assert.match(r.out, /status: unreachable \(/);
  assert.match(r.out, /reach|refused|connect/i);
});

// Integration (issue 15 item 8): gateway passwords never leave the core in clear unless asked for. Every contract
// method that returns a document is called through the dispatcher (as the UI and the CLI do) and its whole result is
// searched for the passwords; so are the log lines. A masked copy saved back keeps each password with its gateway,
// also when the gateways were reordered; the CLI prints masked JSON unless --show-secrets, and an export with
// secrets is a private file even over an existing one.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from '../../../electron/core/index.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import { createLogger } from '../../../electron/core/logging.ts';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import { ACME, addCluster, call, tempDir } from './helpers.ts';
import { cliOn } from '../../support/cli.ts';

const TELIA = 'f0000000000000000000000000000001';
const TELIA_PW = 'T3lia!pw01';
const MASK = /^\*\*\*#[0-9a-f]{12}$/;
const emus: EmulatorHandle[] = [];
const dirs: { cleanup: () => void }[] = [];
after(async () => {
  for (const e of emus) await e.close();
  for (const d of dirs) d.cleanup();
});

type Gw = { server: string; password?: string };

test('no contract result and no log line holds a gateway password; a masked copy saved back keeps them, reordered too', { timeout: 300_000 }, async () => {
  const emu = await startEmulator({ flavor: '5.0' });
  emus.push(emu);
  const tmp = tempDir('secret-output');
  dirs.push(tmp);
  const lines: string[] = [];
  const core = createCore({ dataDir: tmp.dir, secrets: new FileKeyBox(tmp.dir), logger: createLogger({ level: 'debug', sink: (l) => lines.push(l) }) });
  after(() => core.close());
  const secrets = [TELIA_PW, 'Pw-Alpha-111', 'Pw-Bravo-222', 'Pw-Charlie-333'];
  const clean = (what: string, value: unknown) => {
    const text = JSON.stringify(value);
    for (const s of secrets) assert.ok(!text.includes(s), `${what} holds the password ${s}: ${text.slice(0, 400)}`);
  };

  await addCluster(core, 'p', emu);
  await call(core, 'pull.run', { cluster: 'p', scope: 'global', all: false });
  clean('resources.get', await call(core, 'resources.get', { cluster: 'p', scope: 'global', id: TELIA }));
  const clear = await call(core, 'resources.get', { cluster: 'p', scope: 'global', id: TELIA, showSecrets: true });
  assert.equal((clear.doc.gateways as Gw[])[0]!.password, TELIA_PW, 'showSecrets shows them');

  const telia = await call(core, 'drafts.create', { from: { kind: 'snapshot', cluster: 'p', scope: 'global', id: TELIA, bind: true } });
  clean('drafts.create (from a resource)', telia);
  const doc = { name: 'Three Gateways', rules: ['^\\+?(\\d+)$'], gateways: [{ server: 'a.example', password: 'Pw-Alpha-111' }, { server: 'b.example', password: 'Pw-Bravo-222' }, { server: 'c.example' }] };
  const created = await call(core, 'drafts.create', { from: { kind: 'json', doc } });
  clean('drafts.create (from JSON)', created);
  const masked = created.doc.gateways as Gw[];
  assert.match(masked[0]!.password!, MASK);
  assert.match(masked[1]!.password!, MASK);

  // The editor's round trip: the masked copy comes back with the gateways reordered and a server changed.
  const edited = structuredClone(created.doc) as { gateways: Gw[] };
  edited.gateways = [edited.gateways[1]!, { ...edited.gateways[0]!, server: 'a2.example' }, edited.gateways[2]!];
  clean('drafts.save', await call(core, 'drafts.save', { draft: created.id, doc: edited }));
  const after1 = await call(core, 'drafts.get', { draft: created.id, showSecrets: true });
  assert.deepEqual(after1.doc.gateways, [{ server: 'b.example', password: 'Pw-Bravo-222' }, { server: 'a2.example', password: 'Pw-Alpha-111' }, { server: 'c.example' }]);
  // A mask saved back after a later version was made still finds its password (in the draft's history).
  await call(core, 'drafts.edit', { draft: created.id, set: [{ path: 'gateways.0.password', value: 'Pw-Charlie-333' }] });
  await call(core, 'drafts.save', { draft: created.id, doc: { ...created.doc, gateways: [masked[0]!] } });
  assert.deepEqual((await call(core, 'drafts.get', { draft: created.id, showSecrets: true })).doc.gateways, [{ server: 'a.example', password: 'Pw-Alpha-111' }]);
  // A mask that belongs to nothing in this draft reads as missing, never as the password '***#…'.
  await call(core, 'drafts.save', { draft: created.id, doc: { ...created.doc, gateways: [{ server: 'x.example', password: '***#0123456789ab' }] } });
  const v = await call(core, 'drafts.validate', { draft: created.id });
  assert.deepEqual(v.local.filter((i) => i.rule === 'secret_missing').map((i) => i.path), ['gateways.0.password']);
  await call(core, 'drafts.restore', { draft: created.id, version: 1 });

  // Every other method returning a document or a view of one.
  clean('drafts.get', await call(core, 'drafts.get', { draft: created.id }));
  clean('drafts.get (old version)', await call(core, 'drafts.get', { draft: created.id, version: 2 }));
  clean('drafts.edit', await call(core, 'drafts.edit', { draft: created.id, set: [{ path: 'gateways.1.password', value: 'Pw-Charlie-333' }] }));
  clean('drafts.restore', await call(core, 'drafts.restore', { draft: created.id, version: 1 }));
  clean('drafts.markDelete', await call(core, 'drafts.markDelete', { draft: created.id, deleted: false }));
  clean('targets.add', await call(core, 'targets.add', { draft: created.id, cluster: 'p', scope: ACME }));
  clean('drafts.validate (working copy)', await call(core, 'drafts.validate', { draft: created.id, doc: created.doc }));
  clean('drafts.list', await call(core, 'drafts.list', {}));
  await call(core, 'drafts.edit', { draft: telia.id, set: [{ path: 'gateways.0.password', value: 'Pw-Charlie-333' }] });
  clean('sync.plan', await call(core, 'sync.plan', {}));
  clean('sync.apply', await call(core, 'sync.apply', {}));
  clean('audit.list', await call(core, 'audit.list', { limit: 100 }));
  clean('audit.export', await call(core, 'audit.export', {}));
  clean('outbox.list', await call(core, 'outbox.list', { all: true }));
  clean('sync.matrix', await call(core, 'sync.matrix', {}));
  clean('migrate.run (dry run)', await call(core, 'migrate.run', { from: { cluster: 'p', scope: 'global', id: TELIA }, to: { cluster: 'p', scope: ACME }, dryRun: true }));
  clean('migrate.run', await call(core, 'migrate.run', { from: { cluster: 'p', scope: 'global', id: TELIA }, to: { cluster: 'p', scope: ACME }, dryRun: false, name: 'Telia (Acme)' }));
  clean('targets.remove', await call(core, 'targets.remove', { draft: created.id, cluster: 'p', scope: ACME }));
  clean('bundle.export (without secrets)', await call(core, 'bundle.export', { includeSecrets: false }));
  clean('the log', lines);
  // The applied passwords reached the cluster in clear (only the outputs are masked).
  const applied = await call(core, 'resources.get', { cluster: 'p', scope: 'global', id: TELIA, showSecrets: true });
  assert.equal((applied.doc.gateways as Gw[])[0]!.password, 'Pw-Charlie-333');
});

test('the CLI prints documents masked unless --show-secrets; export --include-secrets leaves a private file', { timeout: 300_000 }, async () => {
  const emu = await startEmulator({ flavor: '4.3' });
  emus.push(emu);
  const tmp = tempDir('secret-cli');
  dirs.push(tmp);
  const { cli, ok: run } = cliOn(tmp.dir);
  const ok = async (...args: string[]) => (await run(...args)).stdout;
  await ok('clusters', 'add', 'p', '--url', emu.url, '--account-name', 'Master', '--username', 'admin', '--password', 'demo-admin-pass');
  await ok('pull', 'p', '--global');
  for (const out of [
    await ok('--json', 'drafts', 'create', '--from', `p:global:${TELIA}`),
    await ok('--json', 'drafts', 'edit', 'Telia Wholesale', '--set', 'weight_cost=21'),
    await ok('--json', 'resources', 'p', '--global', '--show', TELIA),
    await ok('resources', 'p', '--global', '--show', TELIA),
    await ok('--json', 'drafts', 'show', 'Telia Wholesale'),
    await ok('drafts', 'show', 'Telia Wholesale'),
  ]) {
    assert.ok(!out.includes(TELIA_PW), `printed in clear:\n${out}`);
  }
  assert.ok((await ok('--json', 'resources', 'p', '--global', '--show', TELIA, '--show-secrets')).includes(TELIA_PW));
  assert.ok((await ok('--json', 'drafts', 'show', 'Telia Wholesale', '--show-secrets')).includes(TELIA_PW));

  // An existing, world-readable file: after an export with secrets it is private; without, it keeps its mode.
  const file = join(tmp.dir, 'bundle.json');
  writeFileSync(file, 'old');
  chmodSync(file, 0o644);
  await ok('export', file, '--include-secrets');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.ok(readFileSync(file, 'utf8').includes(TELIA_PW));
  chmodSync(file, 0o640);
  await ok('export', file);
  assert.equal(statSync(file).mode & 0o777, 0o640, 'an export without secrets keeps the mode the file had');
  assert.ok(!readFileSync(file, 'utf8').includes(TELIA_PW));
  const fresh = join(tmp.dir, 'new.json');
  await ok('export', fresh, '--include-secrets');
  assert.equal(statSync(fresh).mode & 0o777, 0o600);
  const bad = await cli('export', join(tmp.dir, 'no-such-folder', 'x.json'));
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^carrier-desk: Cannot write .*x\.json \(its folder does not exist\)\. Nothing was written there\.\n$/);
});

// Integration (issue 15 item 7): a deleted secret.key, met on the command line against an emulated cluster. The new
// key is announced once; drafts holding gateway passwords stay usable (the passwords read as missing and are named);
// the cluster login is asked for again by name; plan blocks only the draft with the missing secrets, naming each
// field; the passwords can be set again and applied; an outbox row sealed with the old key is never sent.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import { SECRET_UNREADABLE } from '../../../electron/shared/secret-marks.ts';
import { ACME, otherLogin, raw, remoteDocs, tempDir } from './helpers.ts';
import { cliOn } from '../../support/cli.ts';

const TELIA = 'f0000000000000000000000000000001';
const emus: EmulatorHandle[] = [];
const dirs: { cleanup: () => void }[] = [];
after(async () => {
  for (const e of emus) await e.close();
  for (const d of dirs) d.cleanup();
});

test('a lost secret.key: drafts stay usable, missing secrets are named and set again, a queued row is not sent with a hole', { timeout: 900_000 }, async () => {
  const emu = await startEmulator({ flavor: '5.0' });
  emus.push(emu);
  const tmp = tempDir('lost-key');
  dirs.push(tmp);
  const { cli, ok } = cliOn(tmp.dir);
  const noStack = (text: string) => assert.doesNotMatch(text, /\n\s+at |EACCES|SqliteError|TypeError/, `a raw error or stack trace:\n${text}`);

  await ok('clusters', 'add', 'p', '--url', emu.url, '--account-name', 'Master', '--username', 'admin', '--password', 'demo-admin-pass');
  await ok('pull', 'p', '--global');
  await ok('drafts', 'create', '--from', `p:global:${TELIA}`);
  // A draft without secrets, targeting an account: nothing about the key concerns it.
  await ok('drafts', 'create', '--name', 'Plain');
  await ok('drafts', 'edit', 'Plain', '--set', 'rules.0=^\\+?(\\d+)$');
  await ok('targets', 'add', 'Plain', 'p', '--account', ACME);
  // A create queued while the cluster does not answer, sealed with the key that is about to go.
  const queuedDoc = join(tmp.dir, 'queued.json');
  writeFileSync(queuedDoc, JSON.stringify({ name: 'Queued Carrier', rules: ['^\\+?(\\d+)$'], gateways: [{ server: 'q.example', password: 'Queued-Pw-1' }] }));
  await ok('drafts', 'create', '--file', queuedDoc);
  await ok('targets', 'add', 'Queued Carrier', 'p', '--account', ACME);
  await emu.goOffline();
  const queued = JSON.parse((await cli('--json', 'apply', '--yes', '--draft', 'Queued Carrier')).stdout);
  assert.equal(queued.targets[0].outcome, 'queued');
  await emu.goOnline();
  await ok('clusters', 'check', 'p');

  rmSync(join(tmp.dir, 'secret.key'));

  // The first command after makes a new key and says once what it took; the next one says nothing more.
  const shown = await ok('--json', 'drafts', 'show', 'Telia Wholesale');
  assert.match(shown.stderr, /secret\.key was missing, so a new key was made/);
  assert.match(shown.stderr, /logins of 1 cluster .*gateway passwords of 2 drafts/);
  const doc = JSON.parse(shown.stdout).doc;
  assert.deepEqual(doc.gateways.map((g: { password: unknown }) => g.password), [SECRET_UNREADABLE, SECRET_UNREADABLE]);
  assert.equal(doc.gateways[0].server, 'sip1.wholesale.telia.example', 'the rest of the draft is intact');
  const again = await ok('drafts', 'show', 'Telia Wholesale');
  assert.equal(again.stderr, '', 'the new key is announced once');

  // The cluster login: asked for again by name, in one line.
  const check = await cli('clusters', 'check', 'p');
  assert.equal(check.status, 1);
  // The profile is printed with its status no longer 'logged in' (it was, just before the key went), and the reason.
  assert.match(check.stdout, /status: reachable, login not confirmed \(The saved password of cluster p cannot be decrypted on this machine.*Enter it again/);
  noStack(check.stdout + check.stderr);
  await ok('clusters', 'edit', 'p', '--password', 'demo-admin-pass');

  // The queued create is not sent with a hole in it: it fails, naming the field.
  await cli('outbox', '--drain');
  const rows = JSON.parse((await ok('--json', 'outbox', '--all')).stdout) as { draftName: string; state: string; reason: string }[];
  const row = rows.find((r) => r.draftName === 'Queued Carrier')!;
  assert.equal(row.state, 'failed');
  assert.match(row.reason, /Not sent: .*gateways\.0\.password/);
  const token = await otherLogin(emu);
  assert.equal((await remoteDocs(emu, token, ACME)).filter((d) => d.name === 'Queued Carrier').length, 0, 'nothing was created');

  // plan blocks the draft whose passwords are gone, naming each field and the command; the other target is planned.
  const blocked = await cli('--json', 'plan');
  assert.equal(blocked.status, 1);
  const plan = JSON.parse(blocked.stdout) as { targets: { draftName: string; action: string; errors: { path: string; rule: string }[] }[] };
  const telia = plan.targets.find((t) => t.draftName === 'Telia Wholesale')!;
  assert.equal(telia.action, 'blocked');
  assert.deepEqual(telia.errors.filter((e) => e.rule === 'secret_unreadable').map((e) => e.path), ['gateways.0.password', 'gateways.1.password']);
  assert.deepEqual(telia.errors.filter((e) => e.rule !== 'secret_unreadable'), [], 'a placeholder is not also a schema error');
  assert.equal(plan.targets.find((t) => t.draftName === 'Plain')!.action, 'create');
  const text = await cli('plan', '--draft', 'Telia Wholesale');
  assert.match(text.stdout, /gateways\.0\.password: Cannot be decrypted on this machine.*Set it again with: carrier-desk drafts edit "Telia Wholesale" --set gateways\.0\.password=VALUE\./);
  noStack(text.stderr);

  // The passwords are set again (the output stays masked), exported, planned and applied.
  const edited = await ok('--json', 'drafts', 'edit', 'Telia Wholesale', '--set', 'gateways.0.password=New-Pw-0001', '--set', 'gateways.1.password=New-Pw-0002');
  assert.ok(!edited.stdout.includes('New-Pw-000'), 'drafts edit --json masks the passwords');
  await ok('export', join(tmp.dir, 'bundle.json'));
  const planned = JSON.parse((await ok('--json', 'plan', '--draft', 'Telia Wholesale')).stdout);
  assert.equal(planned.targets[0].action, 'update');
  const applied = JSON.parse((await ok('--json', 'apply', '--yes', '--draft', 'Telia Wholesale')).stdout);
  assert.equal(applied.targets[0].outcome, 'done');
  const remote = (await raw(emu, token, 'GET', `/v2/resources/${TELIA}`)).body.data;
  assert.deepEqual(remote.gateways.map((g: { password: string }) => g.password), ['New-Pw-0001', 'New-Pw-0002']);
  assert.equal((await cli('plan', '--draft', 'Telia Wholesale')).status, 0);
});

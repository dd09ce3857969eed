// Integration: the sync commands of the CLI as a child process: pull, resources, drafts create/edit/show/
// history/restore, targets, plan --out / apply FILE, apply refusing without --yes, exit codes, export/import,
// migrate --dry-run and migrate with the numbers that used the resource.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import { ACME, editRemote, otherLogin, remoteDocs, tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../../bin/carrier-desk.js', import.meta.url));
const emus: EmulatorHandle[] = [];
const dirs: { cleanup: () => void }[] = [];
after(async () => {
  for (const e of emus) await e.close();
  for (const d of dirs) d.cleanup();
});

test('the sync CLI end to end', { timeout: 300_000 }, async () => {
  const [src, dst] = await Promise.all([startEmulator({ flavor: '4.3' }), startEmulator({ flavor: '5.0' })]);
  emus.push(src!, dst!);
  const tmp = tempDir('cli');
  dirs.push(tmp);
  // Asynchronous on purpose: the emulators live in this process and must keep answering while the CLI runs.
  const cli = async (...args: string[]) => {
    return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, '--data-dir', tmp.dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (status) => resolve({ status, stdout, stderr }));
    });
  };
  const ok = async (...args: string[]) => {
    const r = await cli(...args);
    assert.equal(r.status, 0, `${args.join(' ')} → ${r.status}\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  };
  await ok('clusters', 'add', 'src', '--url', src!.url, '--account-name', 'Master', '--username', 'admin', '--password', 'demo-admin-pass');
  await ok('clusters', 'add', 'dst', '--url', dst!.url, '--account-name', 'Master', '--username', 'admin', '--password', 'demo-admin-pass');

  // pull + resources
  const pulled = JSON.parse(await ok('--json', 'pull', 'src', '--account', ACME));
  assert.equal(pulled.scopes[0].listed, 2);
  assert.equal(pulled.scopes[0].fetched, 2);
  const again = JSON.parse(await ok('--json', 'pull', 'src', '--account', ACME));
  assert.equal(again.scopes[0].unchanged, 2, 'a second pull reads nothing again (If-None-Match → 304)');
  const list = JSON.parse(await ok('--json', 'resources', 'src', '--account', ACME));
  assert.deepEqual(list.map((r: { name: string }) => r.name).sort(), ['Acme BYOC Twilio', 'Acme Backup SIP']);
  // The scope by its account's name (read by the pull), not its 32-hex id.
  assert.deepEqual([...new Set(list.map((r: { scopeName?: string }) => r.scopeName))], ['Acme Corp']);
  const listText = await ok('resources', 'src', '--account', ACME);
  assert.match(listText, /^Acme Corp\s+f1000000000000000000000000000001\s+Acme BYOC Twilio/m);
  assert.doesNotMatch(listText, new RegExp(`^${ACME}`, 'm'));

  // draft from a pulled resource (bound), edit, plan → update
  const twilio = list.find((r: { name: string }) => r.name === 'Acme BYOC Twilio');
  await ok('drafts', 'create', '--from', `src:${ACME}:${twilio.resourceId}`);
  assert.match(await ok('plan'), /0 to create, 0 to update, 0 to delete, 1 unchanged/);
  await ok('drafts', 'edit', 'Acme BYOC Twilio', '--set', 'weight_cost=15', '--set', 'flags=["byoc"]');
  const planOut = join(tmp.dir, 'plan.json');
  assert.match(await ok('plan', '--out', planOut), /~ update/);
  // apply without --yes and no terminal: refused with exit 2
  const refused = await cli('apply');
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /--yes/);
  // the saved plan goes stale when the resource changes out of band: refused, exit 1
  const token = await otherLogin(src!);
  await editRemote(src!, token, ACME, twilio.resourceId, (d) => (d.grace_period = 12));
  const stale = await cli('--json', 'apply', planOut, '--yes');
  assert.equal(stale.status, 1);
  assert.equal(JSON.parse(stale.stdout).targets[0].outcome, 'refused');
  // a plan saved by a version whose content hashes differ (format 1): refused as a whole, saying what to do, exit 2
  const oldPlan = join(tmp.dir, 'old-plan.json');
  writeFileSync(oldPlan, JSON.stringify({ ...JSON.parse(readFileSync(planOut, 'utf8')), format: 'carrier-desk-plan/1' }));
  const old = await cli('apply', oldPlan, '--yes');
  assert.equal(old.status, 2);
  assert.match(old.stderr, /saved by another version of Carrier Desk \(carrier-desk-plan\/1; this one reads carrier-desk-plan\/2\)\. Make the plan again: carrier-desk plan --out /);
  // re-plan and apply: merged (grace_period kept), exit 0
  await ok('plan', '--out', planOut);
  const applied = JSON.parse(await ok('--json', 'apply', planOut, '--yes'));
  assert.equal(applied.ok, true);
  const remote = (await remoteDocs(src!, token, ACME)).find((d) => d.id === twilio.resourceId);
  assert.deepEqual([remote.weight_cost, remote.flags, remote.grace_period], [15, ['byoc'], 12]);

  // history / restore / show
  const hist = JSON.parse(await ok('--json', 'drafts', 'history', 'Acme BYOC Twilio'));
  assert.equal(hist.length, 2);
  await ok('drafts', 'restore', 'Acme BYOC Twilio', '1');
  const shown = JSON.parse(await ok('--json', 'drafts', 'show', 'Acme BYOC Twilio'));
  assert.equal(shown.version, 3);
  assert.notDeepEqual(shown.doc.flags, ['byoc']);

  // a masked copy (secrets '***') saved back keeps the secrets
  const masked = JSON.parse(await ok('--json', 'drafts', 'show', 'Acme BYOC Twilio'));
  assert.match(masked.doc.gateways[0].password, /^\*\*\*#[0-9a-f]{12}$/);
  masked.doc.gateways[0].realm = 'acme.example';
  writeFileSync(join(tmp.dir, 'masked.json'), JSON.stringify(masked.doc));
  await ok('drafts', 'edit', 'Acme BYOC Twilio', '--file', join(tmp.dir, 'masked.json'));
  const clear = JSON.parse(await ok('--json', 'drafts', 'show', 'Acme BYOC Twilio', '--show-secrets'));
  assert.deepEqual([clear.doc.gateways[0].password, clear.doc.gateways[0].realm], ['tw!l10acme', 'acme.example']);

  // export / import (secrets left out by default)
  const bundle = join(tmp.dir, 'bundle.json');
  await ok('export', bundle);
  const text = readFileSync(bundle, 'utf8');
  assert.ok(text.includes('__carrier_desk_secret_omitted__') && !text.includes('tw!l10acme'));
  await ok('import', bundle);

  // migrate: dry run shows the plan and the numbers; the real run creates a bound draft
  const dry = JSON.parse(await ok('--json', 'migrate', '--from', `src:${ACME}:${twilio.resourceId}`, '--to', 'dst:global', '--dry-run'));
  assert.equal(dry.dryRun, true);
  assert.equal(dry.plan.targets[0].action, 'create');
  assert.deepEqual(dry.numbers, ['+14155550100', '+14155550101']);
  const drafts0 = JSON.parse(await ok('--json', 'drafts', 'list'));
  assert.equal(drafts0.length, 1, 'a dry run creates nothing');
  const mig = JSON.parse(await ok('--json', 'migrate', '--from', `src:${ACME}:${twilio.resourceId}`, '--to', 'dst:global', '--name', 'Twilio (migrated)', '--make-list', 'Twilio numbers'));
  assert.equal(mig.draft.targets[0].clusterName, 'dst');
  assert.deepEqual(mig.numberList, { name: 'Twilio numbers', id: mig.numberList.id, count: 2 }, JSON.stringify(mig.numberList));
  const res = JSON.parse(await ok('--json', 'apply', '--yes', '--draft', 'Twilio (migrated)'));
  assert.equal(res.targets[0].outcome, 'done');
  const created = (await remoteDocs(dst!, await otherLogin(dst!), 'global')).filter((d) => d.name === 'Twilio (migrated)');
  assert.equal(created.length, 1);

  // a validation error blocks and exits 1
  await ok('drafts', 'create', '--name', 'Broken');
  await ok('drafts', 'edit', 'Broken', '--set', 'gateways.0.server=', '--set', 'rules.0=(unclosed');
  await ok('targets', 'add', 'Broken', 'dst', '--global');
  const v = await cli('drafts', 'validate', 'Broken');
  assert.equal(v.status, 1);
  assert.match(v.stdout, /rules\.0/);
  const blockedPlan = await cli('plan', '--draft', 'Broken');
  assert.equal(blockedPlan.status, 1, 'a plan with a blocked target exits 1');
  assert.match(blockedPlan.stdout, /1 blocked/);
  // Every error is listed under the target, by field, not only the first one.
  assert.match(blockedPlan.stdout, /validation error\(s\) against dst's schema[^\n]*\n(\s+\S+: [^\n]+\n)*\s+rules\.0: [^\n]*does not compile/);
  // A typo in a field path is refused and saves nothing.
  const before = JSON.parse(await ok('--json', 'drafts', 'show', 'Broken')).version as number;
  assert.ok(before >= 2);
  const typo = await cli('drafts', 'edit', 'Broken', '--set', 'gateways..server=sip.example.com');
  assert.equal(typo.status, 1);
  assert.match(typo.stderr, /'gateways\.\.server' is not a field path: a part between dots is empty/);
  assert.equal(JSON.parse(await ok('--json', 'drafts', 'show', 'Broken')).version, before);
  const blocked = await cli('--json', 'apply', '--yes', '--draft', 'Broken');
  assert.equal(blocked.status, 1);
  assert.equal(JSON.parse(blocked.stdout).targets[0].action, 'blocked');
  const auditText = await ok('audit');
  assert.match(auditText, /create/);
  // Target and resource by name: the account's name and the carrier's, its id shortened beside it.
  assert.match(auditText, /src\/Acme Corp\s+Acme BYOC Twilio \(f1000000\)/);
  const mx = JSON.parse(await ok('--json', 'matrix')) as { rows: { draftId: string | null; cells: Record<string, { state: string }> }[] };
  assert.ok(mx.rows.some((r) => r.draftId && Object.values(r.cells).some((c) => c.state === 'in-sync')), 'an applied target reads in sync in the matrix');
});

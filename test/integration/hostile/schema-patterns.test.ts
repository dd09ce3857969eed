// A cluster's own schema with a catastrophic pattern (^(\w+\s?)*$, exponential on a backtracking engine with a
// 41-character name) must not freeze `drafts validate` or `plan`: patterns run on RE2. A pattern RE2 cannot run (a
// look-ahead) is reported as a warning naming the field and the pattern. CLI child processes against the emulator
// behind a proxy that serves the altered schema; a hang would be ended by the kill and fail the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { startEmulator } from '../../kazoo-emulator/index.ts';
import { startHostileCluster } from '../../support/hostile-cluster.ts';
import { runCli, type CliRun } from '../../support/cli-child.ts';
import { tempDir } from '../../support/temp.ts';

const ACME = 'c0000000000000000000000000000003';
const ACME_RESOURCE = 'f1000000000000000000000000000001';
/** 40 word characters, then one the pattern refuses: 2^40 ways to split for a backtracking engine (hours), one pass for RE2. */
const LONG_NAME = `CarrierOfTheNorth_${'x'.repeat(22)}!`;

async function withSchemaPattern(t: { after(fn: () => Promise<void>): void }, pattern: string) {
  const emu = await startEmulator({ flavor: '5.0' });
  const real = (await (await request(`${emu.url}/v2/schemas/resources`)).body.json()) as { data: { properties: Record<string, Record<string, unknown>> } };
  real.data.properties.name = { ...real.data.properties.name, pattern };
  const hostile = await startHostileCluster(emu.url, (req) =>
    req.method === 'GET' && req.url === '/v2/schemas/resources' ? { kind: 'reply', status: 200, body: { status: 'success', ...real } } : { kind: 'forward' },
  );
  const dir = tempDir('cd-pattern-');
  t.after(async () => {
    await hostile.close();
    await emu.close();
    dir.remove();
  });
  const cli = (...args: string[]) => runCli(dir.path, args, { killAfterMs: 120_000 });
  const ok = async (...args: string[]) => {
    const r = await cli(...args);
    assert.equal(r.code, 0, `${args.join(' ')} → ${r.code} ${r.signal ?? ''}\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  };
  await ok('clusters', 'add', 'lab', '--url', hostile.url, '--account-name', 'Master', '--username', 'admin', '--password', 'demo-admin-pass');
  await ok('pull', 'lab', '--account', ACME);
  await ok('drafts', 'create', '--from', `lab:${ACME}:${ACME_RESOURCE}`, '--name', 'long');
  return { cli, ok };
}

function ended(r: CliRun, what: string): void {
  assert.equal(r.signal, null, `${what} froze and was killed`);
}

test('a catastrophic schema pattern does not freeze drafts validate or plan; the value is refused by name', { timeout: 600_000 }, async (t) => {
  const { cli, ok } = await withSchemaPattern(t, '^(\\w+\\s?)*$');
  await ok('drafts', 'edit', 'long', '--set', `name=${LONG_NAME}`);
  const validate = await cli('drafts', 'validate', 'long');
  ended(validate, 'drafts validate');
  assert.equal(validate.code, 1, validate.stdout + validate.stderr);
  assert.match(validate.stdout, /schema: cluster/);
  assert.match(validate.stdout, /name: Must match pattern "\^\(\\w\+\\s\?\)\*\$"/);
  const plan = await cli('plan');
  ended(plan, 'plan');
  assert.equal(plan.code, 1, plan.stdout + plan.stderr);
  assert.match(plan.stdout, /1 blocked/);
  assert.match(plan.stdout, /name: Must match pattern/);
  // A name the pattern accepts plans as an update.
  await ok('drafts', 'edit', 'long', '--set', 'name=Acme BYOC Twilio renamed');
  assert.match(await ok('plan'), /1 to update/);
});

test('a pattern RE2 cannot run (a look-ahead) is a warning naming the field and the pattern, not an error', { timeout: 600_000 }, async (t) => {
  const { cli, ok } = await withSchemaPattern(t, '^(?!test).*$');
  const validate = await cli('drafts', 'validate', 'long');
  ended(validate, 'drafts validate');
  assert.equal(validate.code, 0, validate.stdout + validate.stderr);
  assert.match(validate.stdout, /name: Not checked against the cluster's pattern "\^\(\?!test\)\.\*\$"/);
  const plan = await ok('plan', '-v');
  assert.match(plan, /1 to update, .* 0 blocked/);
  assert.match(plan, /warn name: Not checked against the cluster's pattern "\^\(\?!test\)\.\*\$"/);
});

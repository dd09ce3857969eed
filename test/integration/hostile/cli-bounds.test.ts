// The CLI against a hostile cluster, as child processes whose peak memory is measured: `pull`, `clusters check`,
// `plan` and the job watcher meet endless, huge, trickling and wrong-shaped replies. Each ends with exit 1 and one
// clear line, stays under 500 MB, and changes nothing it had before. Default limits unless a test says otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import { demoSeed, startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import { startHostileCluster, type HostileCluster, type Hostility } from '../../support/hostile-cluster.ts';
import { runCli, type CliRun } from '../../support/cli-child.ts';
import { tempDir } from '../../support/temp.ts';

const ACME = 'c0000000000000000000000000000003';
const ACME_RESOURCE = 'f1000000000000000000000000000001';
const MAX_RSS_MB = 500;
const MB = 1024 * 1024;

interface Setup {
  emu: EmulatorHandle;
  hostile: HostileCluster;
  dir: string;
  set(match: RegExp | undefined, then?: Hostility): void;
  cli(...args: string[]): Promise<CliRun>;
  ok(...args: string[]): Promise<string>;
}

async function setup(t: { after(fn: () => Promise<void>): void }, seed = demoSeed()): Promise<Setup> {
  const emu = await startEmulator({ flavor: '5.0', jobDelayMs: 0, seed });
  let rule: { match: RegExp; then: Hostility } | undefined;
  const hostile = await startHostileCluster(emu.url, (req: IncomingMessage) =>
    rule && rule.match.test(`${req.method} ${(req.url ?? '').split('?')[0]}`) ? rule.then : { kind: 'forward' },
  );
  const tmp = tempDir('cd-hostile-');
  t.after(async () => {
    await hostile.close();
    await emu.close();
    tmp.remove();
  });
  const cli = (...args: string[]) => runCli(tmp.path, args, { killAfterMs: 180_000 });
  const s: Setup = {
    emu,
    hostile,
    dir: tmp.path,
    set: (match, then) => (rule = match && then ? { match, then } : undefined),
    cli,
    async ok(...args) {
      const r = await cli(...args);
      assert.equal(r.code, 0, `${args.join(' ')} → ${r.code}\n${r.stderr}\n${r.stdout}`);
      return r.stdout;
    },
  };
  await s.ok('clusters', 'add', 'lab', '--url', hostile.url, '--account-name', 'Master', '--username', 'admin', '--password', 'demo-admin-pass');
  return s;
}

/** Exit 1, one clear message, no stack trace, memory bounded. */
function refused(r: CliRun, message: RegExp, what: string): void {
  assert.equal(r.signal, null, `${what}: ended by ${r.signal}\n${r.stderr}`);
  assert.equal(r.code, 1, `${what}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout + r.stderr, message, what);
  assert.doesNotMatch(r.stderr, /\n\s+at |node:internal/, `${what}: a stack trace`);
  assert.ok(r.peakRssMb !== undefined && r.peakRssMb < MAX_RSS_MB, `${what}: peak RSS ${r.peakRssMb?.toFixed(0)} MB`);
}

const LISTING = /^GET \/v2\/accounts\/c0+3\/resources$/;

test('pull: an endless, trickling or wrong-shaped listing fails the pull and leaves the snapshot as it was', { timeout: 600_000 }, async (t) => {
  const s = await setup(t);
  const first = JSON.parse(await s.ok('--json', 'pull', 'lab', '--account', ACME));
  assert.equal(first.scopes[0].listed, 2);
  const names = async () => (JSON.parse(await s.ok('--json', 'resources', 'lab', '--account', ACME)) as { name: string }[]).map((r) => r.name).sort();
  const before = await names();

  s.set(LISTING, { kind: 'endless' });
  const endless = await s.cli('pull', 'lab', '--account', ACME);
  refused(endless, /The cluster lab \(127\.0\.0\.1:\d+\) sent more than 64 MB in reply to GET \/v2\/accounts\/c0+3\/resources, the limit for a listing \(all its pages together\)/, 'endless listing');
  assert.deepEqual(await names(), before);

  s.set(LISTING, { kind: 'pages', pageBytes: 8 * MB });
  refused(await s.cli('pull', 'lab', '--account', ACME), /\(with the earlier pages of this listing\), the limit for a listing/, 'endless pages');
  assert.deepEqual(await names(), before);

  // Just under the limit, a valid listing is read in full: the limit and the memory bound agree.
  s.set(LISTING, { kind: 'endless', stopAfter: 63 * MB });
  const big = await s.cli('pull', 'lab', '--account', ACME);
  assert.equal(big.code, 0, big.stderr);
  assert.ok(big.peakRssMb! < MAX_RSS_MB, `a 63 MB listing: peak RSS ${big.peakRssMb?.toFixed(0)} MB`);
  s.set(undefined);
  await s.ok('pull', 'lab', '--account', ACME);

  s.set(LISTING, { kind: 'reply', status: 200, body: { status: 'success', data: 'not a list' } });
  const shaped = await s.cli('pull', 'lab', '--account', ACME);
  refused(shaped, /is not what Crossbar sends: a list was expected at data, a string came/, 'wrong-shaped listing');
  assert.doesNotMatch(shaped.stdout, /removed/);
  assert.deepEqual(await names(), before, 'nothing was removed from the snapshot');

  // One byte every 20 s, as in the report; the deadline is set short so the test does not wait two minutes.
  await s.ok('settings', 'set', 'clusters.replyLimits', '{"deadlineMs":1500}');
  s.set(LISTING, { kind: 'trickle', everyMs: 20_000 });
  const trickle = await s.cli('pull', 'lab', '--account', ACME);
  refused(trickle, /did not finish answering GET \/v2\/accounts\/c0+3\/resources within 1\.5 s, the limit for one request/, 'trickling listing');
  assert.ok(trickle.ms < 60_000, `the pull took ${trickle.ms} ms`);
  assert.deepEqual(await names(), before);

  s.set(undefined);
  assert.equal(JSON.parse(await s.ok('--json', 'pull', 'lab', '--account', ACME)).scopes[0].listed, 2, 'the same cluster answering normally pulls fine');
});

test('clusters check: a 200 MB reply is refused (declared or not), the cluster is not called online, memory stays bounded', { timeout: 600_000 }, async (t) => {
  const s = await setup(t);
  for (const declared of [false, true]) {
    s.set(/^GET \/v2\/accounts\/a0+1$/, { kind: 'huge', bytes: 200 * MB, declared });
    const r = await s.cli('clusters', 'check', 'lab');
    refused(r, /The cluster lab \(127\.0\.0\.1:\d+\) sent more than 16 MB in reply to GET \/v2\/accounts\/a0+1, the limit for a document/, `200 MB, length ${declared ? 'declared' : 'not declared'}`);
    // The cluster did answer and accept the login, but the check is reported as failed, with the reason.
    assert.match(r.stdout, /last check: \S+ \(it did not succeed: The cluster lab .* the limit for a document/);
  }
  s.set(/^GET \/v2\/accounts\/a0+1$/, { kind: 'reply', status: 200, body: { status: 'success', data: ['not', 'an', 'account'] } });
  refused(await s.cli('clusters', 'check', 'lab'), /an object was expected at data, a list came/, 'wrong-shaped account');
  s.set(undefined);
  const fine = await s.ok('clusters', 'check', 'lab');
  assert.match(fine, /status: reachable, logged in\n/);
  assert.doesNotMatch(fine, /did not succeed/);
});

test('plan: an endless or huge resource document blocks that target with the reason, within memory bounds', { timeout: 600_000 }, async (t) => {
  const s = await setup(t);
  await s.ok('pull', 'lab', '--account', ACME);
  await s.ok('drafts', 'create', '--from', `lab:${ACME}:${ACME_RESOURCE}`);
  await s.ok('drafts', 'edit', 'Acme BYOC Twilio', '--set', 'weight_cost=15');
  for (const then of [{ kind: 'endless' }, { kind: 'huge', bytes: 300 * MB }] as Hostility[]) {
    s.set(new RegExp(`^GET /v2/accounts/${ACME}/resources/${ACME_RESOURCE}$`), then);
    const r = await s.cli('plan');
    refused(r, /sent more than 16 MB in reply to GET \/v2\/accounts\/c0+3\/resources\/f10+1, the limit for a document/, `plan, ${then.kind}`);
  }
  s.set(undefined);
  assert.match(await s.ok('plan'), /1 to update/);
});

test('the job watcher: endless job documents keep memory bounded, and the job completes once the cluster answers normally', { timeout: 600_000 }, async (t) => {
  const s = await setup(t);
  const file = join(s.dir, 'numbers.csv');
  writeFileSync(file, Array.from({ length: 10 }, (_, i) => `+1312555${String(2000 + i)}`).join('\n') + '\n');
  await s.ok('numbers', 'import', file, '--list', 'march');
  await s.ok('settings', 'set', 'jobs.timing', '{"pollMinMs":200,"errorBaseMs":200,"errorMaxMs":1000}');
  await s.ok('jobs', 'submit', '--list', 'march', '--cluster', 'lab', '--account', ACME, '--resource', ACME_RESOURCE, '--yes', '--no-check-existing');
  s.set(/^GET \/v2\/accounts\/c0+3\/resources\/jobs\/[^/]+$/, { kind: 'endless' });
  // Watch in short runs until a poll has met the endless body (how many fit in one run depends on the machine).
  let lastError = '';
  for (let run = 0; run < 6 && !lastError.includes('more than'); run++) {
    const watch = await s.cli('watch', '--timeout', '10');
    assert.equal(watch.signal, null, watch.stderr);
    assert.ok(watch.peakRssMb !== undefined && watch.peakRssMb < MAX_RSS_MB, `watch: peak RSS ${watch.peakRssMb?.toFixed(0)} MB`);
    assert.match(watch.stdout, /Stopped: timeout reached/);
    const jobs = JSON.parse(await s.ok('--json', 'jobs', 'list')) as { state: string; lastError?: string }[];
    lastError = jobs[0]!.lastError ?? '';
  }
  assert.match(lastError, /The cluster lab \(127\.0\.0\.1:\d+\) sent more than 64 MB in reply to GET \/v2\/accounts\/c0+3\/resources\/jobs\/[^ ]+, the limit for a job document/);

  s.set(undefined);
  await s.ok('watch', '--until-idle');
  const after = JSON.parse(await s.ok('--json', 'jobs', 'list')) as { state: string }[];
  assert.deepEqual(after.map((j) => j.state), ['complete']);
});

test('pull --all: endless pages on every account at once are read one large listing at a time, and the first refusal stops the rest', { timeout: 600_000 }, async (t) => {
  // Twelve accounts more under Master: with global, more scopes than the 8 requests a pull keeps in flight.
  const seed = demoSeed();
  const master = seed.accounts!.find((a) => a.name === 'Master')!;
  for (let i = 0; i < 12; i++) {
    seed.accounts!.push({ id: `d${String(i).padStart(31, '0')}`, name: `Branch ${i}`, realm: `branch${i}.sip.example.com`, parent_id: master.id });
  }
  const s = await setup(t, seed);
  const before = JSON.parse(await s.ok('--json', 'pull', 'lab', '--all')) as { scopes: unknown[] };
  assert.ok(before.scopes.length >= 18, `global and every account: ${before.scopes.length}`);
  const snapshot = await s.ok('--json', 'resources', 'lab');
  // Every scope's listing is endless pages of 8 MB, and the pull reads 8 listings side by side: they grew together,
  // parsed, to 64 MB each (856 MB peak). Now one listing past 1 MB holds the reply gate until its last page, the
  // others wait with what they read, and the first refusal stops them all.
  s.set(/^GET \/v2(\/accounts\/[^/]+)?\/resources$/, { kind: 'pages', pageBytes: 8 * MB });
  const r = await s.cli('pull', 'lab', '--all');
  refused(r, /sent more than 64 MB in reply to GET \/v2(\/accounts\/[^/]+)?\/resources \(with the earlier pages of this listing\), the limit for a listing/, 'pull --all, endless pages');
  assert.equal(await s.ok('--json', 'resources', 'lab'), snapshot, 'the snapshot is as it was');
});

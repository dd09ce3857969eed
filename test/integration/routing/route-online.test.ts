// `route NUMBER --cluster NAME | --all-clusters [--with-drafts]` against two emulated clusters (4.3 and 5.0, the routing
// demo seed): answers from each cluster's pulled carriers and routing data (routing-spec §10), the Telia example
// (§5.2, §5.3), 988 classified differently by the two branches (§3.2, §9), local carriers and hunt accounts (§2.1),
// the plan's documents with --with-drafts, offline and never-pulled clusters answered and marked; exit codes 0/1/2.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { routingDemoSeed, startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import type { Core } from '../../../electron/core/index.ts';
import { runCliProcess } from '../../support/cli.ts';
import { addCluster, call, openCore, tempDir } from '../sync/helpers.ts';

const TELIA = 'f0000000000000000000000000000001';
const INTRADO = 'f0000000000000000000000000000006';
const ACME_BYOC = 'f1000000000000000000000000000001';
const CID = '+14155550100';

interface AnswerJson {
  cluster: string;
  number: string;
  classification: string | null;
  candidates: { resourceId: string; name: string; weight: number }[];
  endpoints: { resourceId: string; gatewayIndex: number; route: string; toDid: string }[];
  excluded: { resourceId: string; why: string; code: string }[];
  error?: { code: string; message: string };
  problem?: { code: string; message: string };
  data: { flavor: string; scope: string; pulledAt: number | null; offline: boolean; notes: string[]; drafts?: { draftName: string; action: string }[] };
}

let em43: EmulatorHandle;
let em50: EmulatorHandle;
let core: Core;
const tmp = tempDir('route-online');
const cli = (...args: string[]) => runCliProcess(['--data-dir', tmp.dir, ...args]);

before(async () => {
  [em43, em50] = await Promise.all([startEmulator({ flavor: '4.3', seed: routingDemoSeed() }), startEmulator({ flavor: '5.0', seed: routingDemoSeed() })]);
  core = openCore(tmp.dir);
  await addCluster(core, 'demo-4.3', em43);
  await addCluster(core, 'demo-5.0', em50);
  await call(core, 'pull.run', { cluster: 'demo-4.3', all: true });
  await call(core, 'pull.run', { cluster: 'demo-5.0', all: true });
});
after(async () => {
  await core?.close();
  await em43?.close();
  await em50?.close();
  tmp.cleanup();
});

describe('the command line', () => {
  test('--cluster --json: the Telia example, from the pulled data, with its time', async () => {
    const r = await cli('--json', 'route', '+442071234567', '--cluster', 'demo-5.0', '--caller-id', CID);
    assert.equal(r.code, 0, r.err);
    const a = JSON.parse(r.out) as AnswerJson;
    assert.equal(a.cluster, 'demo-5.0');
    assert.equal(a.classification, 'international');
    // Telia is plain, its last rule decides and the longest group is sent (routing-spec §5.2, §5.3).
    assert.deepEqual(a.candidates.map((c) => c.resourceId), [TELIA]);
    assert.deepEqual(a.endpoints.map((e) => e.route), ['sip:442071234567@sip1.wholesale.telia.example', 'sip:442071234567@sip2.wholesale.telia.example']);
    assert.equal(a.data.scope, 'global');
    assert.equal(typeof a.data.pulledAt, 'number');
    assert.equal(a.data.offline, false);
  });

  test('--all-clusters --json: one answer per cluster; 988 is emergency on 4.3 only', async () => {
    const r = await cli('--json', 'route', '988', '--all-clusters', '--caller-id', CID);
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as AnswerJson[];
    assert.deepEqual(rows.map((x) => [x.cluster, x.data.flavor, x.classification]), [['demo-4.3', '4.3', 'emergency'], ['demo-5.0', '5.0', 'unknown']]);
    assert.deepEqual(rows[0]!.candidates.map((c) => c.resourceId), [`${INTRADO}-emergency`], '4.3 sends 988 to the emergency-class carrier (derived id, §2.2)');
    assert.deepEqual(rows[1]!.endpoints, [], '5.0 has no carrier for an unknown-class short number');
  });

  test('human output names each cluster and the age of its data; a failing call exits 1; a usage error exits 2', async () => {
    const text = await cli('route', '+14158867900', '--all-clusters', '--caller-id', CID);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /demo-4\.3 \(4\.3\): class did_us: Bandwidth US → Inteliquent US → Telia Wholesale; first dial string sip:\+14158867900@198\.51\.100\.10/);
    assert.match(text.out, /demo-5\.0 \(Kazoo 5\.0\): global carriers as pulled at \d{4}-\d\d-\d\dT/);
    // Kazoo 5.x fails a matched call without a caller id (routing-spec §9).
    const failing = await cli('route', '+14158867900', '--cluster', 'demo-5.0');
    assert.equal(failing.code, 1, failing.out + failing.err);
    assert.match(failing.out, /Kazoo would fail this call: .*caller id.*§9/);
    const usage = await cli('route', '+14158867900', '--cluster', 'demo-5.0', '--account', 'Nobody Inc');
    assert.equal(usage.code, 2);
    assert.match(usage.err, /demo-5\.0 has no account named "Nobody Inc" in its account tree as last read/);
    // A cluster that refused the login never had its accounts read: the answer says so, not "pull it" alone.
    const refused = await call(core, 'clusters.add', { name: 'lab-refused', url: em50.url, auth: { kind: 'user', accountName: 'Master', username: 'admin', password: 'wrong' } });
    assert.equal(refused.login, 'refused');
    try {
      const r = await cli('route', '+14158867900', '--cluster', 'lab-refused', '--account', 'Acme Corp', '--caller-id', CID);
      assert.equal(r.code, 2);
      assert.match(r.err, /The accounts of lab-refused were never read because it refused the login: correct its login, then pull lab-refused/);
    } finally {
      await call(core, 'clusters.remove', { cluster: 'lab-refused' });
    }
    const both = await cli('route', '+14158867900', '--cluster', 'demo-5.0', '--offline', 'x.json');
    assert.equal(both.code, 2);
  });

  test('--with-drafts answers as after the plan; without it, as the cluster is', async () => {
    await call(core, 'drafts.create', { name: 'Telia UK only', from: { kind: 'snapshot', cluster: 'demo-5.0', scope: 'global', id: TELIA } });
    await call(core, 'drafts.edit', { draft: 'Telia UK only', set: [{ path: 'rules', value: ['^\\+44(\\d{10})$'] }] });
    try {
      const planned = await cli('--json', 'route', '+442071234567', '--cluster', 'demo-5.0', '--caller-id', CID, '--with-drafts');
      assert.equal(planned.code, 0, planned.err);
      const a = JSON.parse(planned.out) as AnswerJson;
      assert.equal(a.endpoints[0]?.route, 'sip:2071234567@sip1.wholesale.telia.example');
      assert.deepEqual(a.data.drafts?.map((d) => [d.draftName, d.action]), [['Telia UK only', 'update']]);
      const now = (await call(core, 'routing.route', { clusters: ['demo-5.0'], number: '+442071234567', callerId: CID }))[0]!;
      assert.equal(now.answer?.endpoints[0]?.route, 'sip:442071234567@sip1.wholesale.telia.example');
    } finally {
      await call(core, 'drafts.remove', { draft: 'Telia UK only' });
    }
  });
});

describe('answers through the contract', () => {
  test('a local call uses the calling account\'s own carriers; a hunt account that is not an ancestor gives none', async () => {
    const [a] = await call(core, 'routing.route', { clusters: ['demo-4.3'], number: '4158867900', account: 'acme corp', local: true, callerId: CID });
    assert.equal(a?.request.accountName, 'Acme Corp');
    assert.equal(a?.data.scope, 'c0000000000000000000000000000003');
    assert.deepEqual(a?.answer?.candidates.map((c) => c.resourceId), [ACME_BYOC]);
    assert.equal(a?.answer?.endpoints[0]?.route, 'sip:4158867900@acme.pstn.twilio.example');
    const [b] = await call(core, 'routing.route', { clusters: ['demo-4.3'], number: '4158867900', account: 'Acme Corp', huntAccount: 'Globex', callerId: CID });
    assert.deepEqual(b?.answer?.endpoints, []);
    assert.ok(b?.answer?.excluded.some((x) => x.code === 'hunt_not_ancestor'), JSON.stringify(b?.answer?.excluded));
  });

  test('a flag-only carrier answers flagged calls; a toll-free number goes to its classifier carrier with the entry prefix', async () => {
    const [fax] = await call(core, 'routing.route', { clusters: ['demo-5.0'], number: '+14158867900', flags: ['fax'], callerId: CID });
    assert.deepEqual(fax?.answer?.candidates.map((c) => c.name), ['FaxPipe']);
    const [tf] = await call(core, 'routing.route', { clusters: ['demo-5.0'], number: '+18005551234', callerId: CID });
    assert.deepEqual(tf?.answer?.endpoints.map((e) => e.route), ['sip:18005551234@tf.lumen.example']);
    assert.ok(tf?.answer?.excluded.some((x) => x.resourceId === TELIA && x.code === 'class_group'));
  });

  test('an offline cluster answers from its last pull and says so; a cluster never pulled says it knows no carrier', async () => {
    await em50.goOffline();
    try {
      await core.dispatch('clusters.check', { cluster: 'demo-5.0' });
      const [a] = await call(core, 'routing.route', { clusters: ['demo-5.0'], number: '+442071234567', callerId: CID });
      assert.equal(a?.data.offline, true);
      assert.equal(typeof a?.data.pulledAt, 'number');
      assert.deepEqual(a?.answer?.candidates.map((c) => c.resourceId), [TELIA]);
    } finally {
      await em50.goOnline();
    }
    const fresh = await startEmulator({ flavor: '4.3' });
    try {
      await addCluster(core, 'fresh', fresh);
      const [f] = await call(core, 'routing.route', { clusters: ['fresh'], number: '+442071234567', callerId: CID });
      assert.equal(f?.data.pulledAt, null);
      assert.deepEqual(f?.answer?.endpoints, []);
      assert.ok(f?.data.notes.some((n) => /global carriers of fresh were never pulled/.test(n)), f?.data.notes.join('\n'));
      await call(core, 'clusters.remove', { cluster: 'fresh' });
    } finally {
      await fresh.close();
    }
  });

  test('a number with letters is one clear input error', async () => {
    const r = await core.dispatch('routing.route', { number: '+1415CALLME', callerId: CID });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.code, 'invalid_input');
      assert.match(r.error.message, /is not a dialled number/);
    }
  });
});

// `carrier-desk route NUMBER --offline FILE --flavor ...` as a spawned process: the JSON answer, exit codes 0/1/2,
// one clear line for bad input, human output, and no data folder needed or created.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliProcess } from '../../support/cli.ts';
import { tempDir } from '../../support/temp.ts';

const TELIA = 'f0000000000000000000000000000001';
const E911 = 'f0000000000000000000000000000003';
const world = {
  resources: [
    { id: TELIA, name: 'Telia Wholesale', rules: ['^\\+44(\\d{10})$', '^\\+?(\\d{7,15})$', '^(\\d+'], weight_cost: 20, cid_rules: [],
      gateways: [{ server: 'sip1.wholesale.telia.example', invite_format: 'e164' }, { server: 'sip2.wholesale.telia.example', port: 5080, prefix: '00' }] },
    { id: E911, name: 'Emergency 911', emergency: true, rules: ['^(911)$'], weight_cost: 1, gateways: [{ server: 'e911.example', port: 5061 }, { server: 'e911b.example' }] },
    { id: 'f0000000000000000000000000000004', name: 'CID locked', rules: ['^\\+49(\\d+)$'], cid_rules: ['^\\+49'], gateways: [{ server: 'de.example' }] },
    { id: 'f1000000000000000000000000000001', account_id: 'c3', name: 'Acme BYOC', rules: ['^\\+?1?(\\d{10})$'], gateways: [{ server: 'acme.example' }] },
  ],
  classifiers: { '911': { regex: '^911$', friendly_name: 'Emergency' }, '1': { regex: '^\\+', friendly_name: 'Any E.164' } },
  accounts: [{ id: 'a1', parent_id: null }, { id: 'c3', parent_id: 'a1' }],
};

interface Answer {
  number: string;
  classification: string | null;
  candidates: { resourceId: string; name: string; weight: number }[];
  endpoints: { resourceId: string; gatewayIndex: number; route: string; inviteNumber?: string; toDid: string; inviteFormat: string; emergency: boolean }[];
  bridgeOrder?: { resourceId: string; gatewayIndex: number }[];
  excluded: { resourceId: string; why: string }[];
  warnings: { message: string }[];
  error?: { code: string; message: string };
}

async function withWorld(fn: (file: string, env: NodeJS.ProcessEnv, dataDir: string) => Promise<void>): Promise<void> {
  const dir = tempDir('cd-route-');
  try {
    const file = join(dir.path, 'world.json');
    writeFileSync(file, JSON.stringify(world));
    const dataDir = join(dir.path, 'data-never-made');
    await fn(file, { CARRIER_DESK_DATA_DIR: dataDir }, dataDir);
  } finally {
    dir.remove();
  }
}

test('route --offline --json answers with carriers, endpoints and reasons; exit 0; no data folder made', async () => {
  await withWorld(async (file, env, dataDir) => {
    const r = await runCliProcess(['route', '+442071234567', '--offline', file, '--flavor', '5.0', '--caller-id', '+14155550100', '--json'], { env });
    assert.equal(r.code, 0, r.err);
    const a = JSON.parse(r.out) as Answer;
    assert.equal(a.number, '+442071234567');
    assert.equal(a.classification, '1', 'the file\'s classifier order is kept although "1" is all digits');
    assert.deepEqual(a.candidates.map((c) => [c.resourceId, c.name, c.weight]), [[TELIA, 'Telia Wholesale', 20]]);
    assert.deepEqual(a.endpoints.map((e) => [e.resourceId, e.gatewayIndex, e.route, e.toDid, e.inviteFormat, e.emergency, e.inviteNumber]), [
      [TELIA, 0, 'sip:442071234567@sip1.wholesale.telia.example', '442071234567', 'e164', false, undefined],
      [TELIA, 1, 'sip:00442071234567@sip2.wholesale.telia.example:5080', '442071234567', 'route', false, '00442071234567'],
    ]);
    assert.ok(a.excluded.some((x) => x.resourceId === 'f1000000000000000000000000000001' && /§2\.1/.test(x.why)));
    assert.ok(a.warnings.some((w) => /drops it/.test(w.message)), 'the invalid rule is reported, the answer still given');
    assert.equal(existsSync(dataDir), false, 'offline routing needs no data folder');
  });
});

test('route --offline: emergency bridge order, local carriers, no carrier, and a failing call (exit 1)', async () => {
  await withWorld(async (file, env) => {
    const e = JSON.parse((await runCliProcess(['route', '911', '--offline', file, '--flavor', '4.3', '--json'], { env })).out) as Answer;
    assert.deepEqual(e.endpoints.map((x) => x.gatewayIndex), [0, 1]);
    assert.deepEqual(e.bridgeOrder!.map((x) => x.gatewayIndex), [1, 0]);
    const local = await runCliProcess(['route', '4158867900', '--offline', file, '--flavor', '4.3', '--account', 'c3', '--local', '--json'], { env });
    assert.equal(local.code, 0, local.err);
    assert.deepEqual((JSON.parse(local.out) as Answer).endpoints.map((x) => x.route), ['sip:4158867900@acme.example']);
    const none = await runCliProcess(['route', '+33123456789', '--offline', file, '--flavor', '5.0', '--caller-id', '+1415', '--flags', 'fax', '--json'], { env });
    assert.equal(none.code, 0);
    assert.deepEqual((JSON.parse(none.out) as Answer).endpoints, []);
    const fail = await runCliProcess(['route', '+4930123456', '--offline', file, '--flavor', '4.3', '--json'], { env });
    assert.equal(fail.code, 1);
    const f = JSON.parse(fail.out) as Answer;
    assert.equal(f.error?.code, 'cid_rules_no_caller_id');
    assert.match(f.error!.message, /CID locked/);
  });
});

test('route without --json prints the class, carriers in order, dial strings and reasons', async () => {
  await withWorld(async (file, env) => {
    const r = await runCliProcess(['route', '+442071234567', '--offline', file, '--flavor', '5.0', '--caller-id', '+14155550100'], { env });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /class 1/);
    assert.match(r.out, /Carriers, in the order Kazoo tries them:\n {2}1\. Telia Wholesale .* rule 2 .* sends 442071234567/);
    assert.match(r.out, /gateway 2: sip:00442071234567@sip2\.wholesale\.telia\.example:5080/);
    assert.match(r.out, /Not used:\n.*Emergency 911/);
  });
});

test('bad input gets one clear line and exit 2: letters, flavor, file, JSON, depth, options', async () => {
  await withWorld(async (file, env) => {
    const dir = join(file, '..');
    writeFileSync(join(dir, 'bad.json'), '{"resources": [');
    writeFileSync(join(dir, 'deep.json'), `{"resources": [${'['.repeat(200)}${']'.repeat(200)}]}`);
    writeFileSync(join(dir, 'nores.json'), '{"carriers": []}');
    const cases: [string[], RegExp][] = [
      [['route', '+1415CALLNOW', '--offline', file, '--flavor', '5.0'], /not a dialled number/],
      [['route', '+14158867900', '--offline', file, '--flavor', '6.1'], /Unknown Kazoo flavor "6\.1"/],
      [['route', '+14158867900', '--offline', file], /--flavor 4\.3 or --flavor 5\.0/],
      [['route', '+14158867900', '--offline', join(dir, 'missing.json'), '--flavor', '5.0'], /Cannot read .*missing\.json: no such file/],
      [['route', '+14158867900', '--offline', join(dir, 'bad.json'), '--flavor', '5.0'], /bad\.json is not valid JSON/],
      [['route', '+14158867900', '--offline', join(dir, 'deep.json'), '--flavor', '5.0'], /nested deeper than 64 levels/],
      [['route', '+14158867900', '--offline', join(dir, 'nores.json'), '--flavor', '5.0'], /no "resources" list/],
      [['route', '+14158867900', '--flavor', '5.0'], /--offline FILE/],
      [['route', '+14158867900', '--offline', file, '--flavor', '5.0', '--local'], /--account ID/],
    ];
    for (const [args, message] of cases) {
      const r = await runCliProcess(args, { env });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
      assert.match(r.err, message);
      assert.equal(r.err.trim().split('\n').length, 1, `one line: ${r.err}`);
      assert.doesNotMatch(r.err, /\bat .*\.ts:\d+/, 'no stack trace');
    }
  });
});

test('route --offline --channel-var/--sip-header/--zone: the gateway\'s SIP invite parameters in JSON and text; a pair without "=" exits 2', async () => {
  const dir = tempDir('cd-route-ip-');
  try {
    const file = join(dir.path, 'world.json');
    const gateway = { server: 'sip.example', invite_parameters: { static: ['npid'], dynamic: ['custom_channel_vars.tns_cic', { key: 'custom_sip_headers.x_auth_ip', tag: 'source_ip' }, { key: 'zone', tag: 'zone' }] } };
    writeFileSync(file, JSON.stringify({ resources: [{ id: TELIA, name: 'Telia Wholesale', rules: ['^\\+(\\d+)$'], gateways: [gateway] }] }));
    const env = { CARRIER_DESK_DATA_DIR: join(dir.path, 'data') };
    const args = ['route', '+442071234567', '--offline', file, '--flavor', '5.0', '--channel-var', 'TNS-CIC=cic=2002', '--sip-header', 'X-Auth-IP=10.0.0.9', '--zone', 'eu', '--caller-id', '+14155550100'];
    const j = await runCliProcess([...args, '--json'], { env });
    assert.equal(j.code, 0, j.err);
    assert.deepEqual((JSON.parse(j.out) as { endpoints: { inviteParameters?: string[] }[] }).endpoints[0]!.inviteParameters, ['npid', 'zone=eu', 'source_ip=10.0.0.9', 'cic=2002']);
    const t = await runCliProcess(args, { env });
    assert.match(t.out, /INVITE parameters: npid;zone=eu;source_ip=10\.0\.0\.9;cic=2002/);
    const bad = await runCliProcess([...args, '--channel-var', 'novalue'], { env });
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--channel-var "novalue": give NAME=VALUE/);
  } finally {
    dir.remove();
  }
});

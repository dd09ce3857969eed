// Pull reads and caches each cluster's routing data (routing-spec §10) beside its resources: the classifier table in
// runtime order (digit-only names kept in place), the stepswitch and number_manager settings when the login may read
// them, the account tree, the flavor; a failed or wrong-shaped read keeps what was known and never fails the pull.
// The routing world of a cluster is assembled from these stored facts (and the plan's documents with drafts).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, routingDemoSeed, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import { startProxy, type Rule } from '../kazoo-client/proxy.ts';
import type { Core } from '../../../electron/core/index.ts';
import { clusterWorld } from '../../../electron/core/routing-data/world.ts';
import { ACME, MASTER, addCluster, call, openCore, tempDir } from '../sync/helpers.ts';

const NORTHWIND = 'b0000000000000000000000000000002';

function world(core: Core, cluster: string, withDrafts = false) {
  const store = core.services.sync.store;
  return clusterWorld(store, store.cluster(cluster), { withDrafts });
}

const factOf = (core: Core, cluster: string, kind: string) => world(core, cluster).status.facts.find((f) => f.kind === kind)!;
/** The cached table as the world carries it: [name, entry] pairs in runtime order. */
const table = (w: { classifiers?: unknown } | null | undefined) => (w?.classifiers as [string, Record<string, unknown>][] | undefined);

for (const flavor of ['4.3', '5.0'] as const) {
  describe(`routing data at pull (${flavor})`, () => {
    const tmp = tempDir(`routing-data-${flavor}`);
    let emu: EmulatorHandle;
    let core: Core;
    after(async () => {
      await core?.close();
      await emu?.close();
      tmp.cleanup();
    });

    test('pull caches the classifier table in runtime order, the configs, the account tree and the flavor', async () => {
      emu = await startEmulator({ flavor, seed: routingDemoSeed() });
      emu.setSystemConfig('number_manager', {
        classifiers: [['did_us', { regex: '^\\+1([2-9]\\d{9})$' }], ['44', { regex: '^\\+44', friendly_name: 'UK' }], ['unknown', { regex: '^(.*)$', friendly_name: 'Unknown' }]],
        e164_converters: [['^0(\\d{10})$', { prefix: '+44' }], ['^(\\d{10})$', { prefix: '+1' }]],
      }, 'patch');
      emu.setSystemConfig('stepswitch', { default: { default_weight: 7, route_by: 'stepswitch_resources' }, 'kazoo_apps@node1.example': { default_weight: 9 } });
      core = openCore(tmp.dir);
      await addCluster(core, 'c', emu);
      const before = Date.now();
      const r = await call(core, 'pull.run', { cluster: 'c', all: true });
      assert.deepEqual(r.routing?.failed, []);
      assert.deepEqual(r.routing?.notReadable, []);
      assert.deepEqual([...(r.routing?.read ?? [])].sort(), ['accounts', 'classifiers', 'flavor', 'number_manager', 'stepswitch']);

      const { world: w, status } = world(core, 'c');
      assert.ok(w);
      assert.equal(w.flavor, flavor);
      // The digit-only name stays between did_us and unknown (JSON.parse would have moved it first).
      assert.deepEqual(table(w)?.map(([n]) => n), ['did_us', '44', 'unknown']);
      // 5.0's classifier API loses the regex of an entry without friendly_name (routing-spec §3.2, §9): an admin login
      // takes it back from the stored table of system_configs/number_manager.
      assert.equal(table(w)?.[0]?.[1].regex, '^\\+1([2-9]\\d{9})$');
      assert.ok(!status.notes.some((n) => /without a regex/.test(n)), status.notes.join('\n'));
      assert.equal(w.stepswitch?.default_weight, 7);
      assert.deepEqual((w.e164Converters as [string, unknown][]).map(([re]) => re), ['^0(\\d{10})$', '^(\\d{10})$']);
      const acme = w.accounts?.find((a) => a.id === ACME);
      assert.deepEqual(acme, { id: ACME, parent_id: NORTHWIND });
      assert.deepEqual(w.accounts?.find((a) => a.id === MASTER), { id: MASTER, parent_id: null });
      // Resources: global ones plain, account ones marked with their account.
      assert.ok(w.resources.some((d) => d.name === 'Telia Wholesale' && d.account_id === undefined));
      assert.ok(w.resources.some((d) => d.name === 'Acme BYOC Twilio' && d.account_id === ACME));
      // Secrets are never opened for routing.
      assert.ok(w.resources.every((d) => JSON.stringify(d).includes('$sealed') === false));
      const telia = w.resources.find((d) => d.name === 'Telia Wholesale') as { gateways: { password: string }[] };
      assert.equal(telia.gateways[0]!.password, '***');

      for (const f of status.facts) {
        assert.equal(f.status, 'ok', f.kind);
        assert.ok(f.fetchedAt! >= before, f.kind);
      }
      assert.ok(status.notes.some((n) => /differ on kazoo_apps@node1\.example/.test(n)), status.notes.join('\n'));
      assert.ok(status.scopes.some((s) => s.scope === 'global'));
    });

    test('a login that may not read system configs: recorded as such, defaults assumed and said', async () => {
      const other = tempDir(`routing-data-acme-${flavor}`);
      const c2 = openCore(other.dir);
      try {
        const v = await call(c2, 'clusters.add', { name: 'acme', url: emu.url, auth: { kind: 'user', accountName: 'Acme Corp', username: 'acme', password: 'demo-acme-pass' } });
        assert.equal(v.reachability, 'online');
        const r = await call(c2, 'pull.run', { cluster: 'acme' });
        assert.deepEqual([...(r.routing?.notReadable ?? [])].sort(), ['number_manager', 'stepswitch']);
        assert.deepEqual(r.routing?.failed, []);
        const { world: w, status } = world(c2, 'acme');
        assert.equal(w?.stepswitch, undefined);
        assert.equal(w?.e164Converters, undefined);
        assert.deepEqual(table(w)?.map(([n]) => n), ['did_us', '44', 'unknown']);
        // Without the stored table, 5.0's stripped entry stays without its regex, and the answer says so.
        assert.equal(table(w)?.[0]?.[1].regex === undefined, flavor === '5.0');
        assert.equal(status.notes.some((n) => /did_us without a regex.*§3\.2, §9/.test(n)), flavor === '5.0', status.notes.join('\n'));
        assert.deepEqual(w?.accounts?.map((a) => [a.id, a.parent_id]), [[MASTER, null], [NORTHWIND, MASTER], [ACME, NORTHWIND]]);
        assert.ok(status.notes.some((n) => /may not read the stepswitch settings: Kazoo's defaults are assumed.*§10/.test(n)), status.notes.join('\n'));
        assert.equal(status.facts.find((f) => f.kind === 'stepswitch')?.status, 'not_readable');
      } finally {
        await c2.close();
        other.cleanup();
      }
    });

    test('as after the plan: a changed draft replaces its resource, a new one is added, one marked for deletion goes', async () => {
      const telia = 'f0000000000000000000000000000001';
      await call(core, 'drafts.create', { name: 'Telia edit', from: { kind: 'snapshot', cluster: 'c', scope: 'global', id: telia } });
      await call(core, 'drafts.edit', { draft: 'Telia edit', set: [{ path: 'rules', value: ['^\\+44(\\d{10})$'] }] });
      await call(core, 'drafts.create', { name: 'New UK', from: { kind: 'json', doc: { name: 'New UK', rules: ['^\\+44(\\d+)$'], gateways: [{ server: 'uk.example' }] } } });
      await call(core, 'targets.add', { draft: 'New UK', cluster: 'c', scope: 'global' });
      await call(core, 'drafts.create', { name: 'Drop FaxPipe', from: { kind: 'snapshot', cluster: 'c', scope: 'global', id: 'f0000000000000000000000000000007' } });
      await call(core, 'drafts.markDelete', { draft: 'Drop FaxPipe', deleted: true });

      const plain = world(core, 'c').world!;
      const planned = world(core, 'c', true);
      const w = planned.world!;
      assert.deepEqual(plain.resources.find((d) => d.id === telia)?.rules, ['^\\+44(\\d{10})$', '^\\+?(\\d{7,15})$']);
      assert.deepEqual(w.resources.find((d) => d.id === telia)?.rules, ['^\\+44(\\d{10})$']);
      const added = w.resources.find((d) => d.name === 'New UK');
      assert.ok(added, 'the new carrier is in the world');
      assert.equal(added.account_id, undefined);
      assert.equal(added.weight_cost, 50, 'with the defaults the cluster will store (schema)');
      assert.ok(!w.resources.some((d) => d.id === 'f0000000000000000000000000000007'));
      assert.ok(plain.resources.some((d) => d.id === 'f0000000000000000000000000000007'));
      const effects = planned.status.drafts ?? [];
      assert.deepEqual(effects.map((e) => [e.draftName, e.action, e.applied]).sort(), [['Drop FaxPipe', 'delete', true], ['New UK', 'create', true], ['Telia edit', 'update', true]]);
      assert.equal(effects.find((e) => e.draftName === 'New UK')?.idChosenAtApply, true);
    });
  });
}

describe('a failed or wrong-shaped read keeps what was known', () => {
  const tmp = tempDir('routing-data-bad');
  let emu: EmulatorHandle;
  let core: Core;
  let bad = false;
  const envelope = (data: unknown) => ({ status: 'success', data, request_id: 'x', version: '5.0.0' });
  after(async () => {
    await core?.close();
    await emu?.close();
    tmp.cleanup();
  });

  test('wrong shapes are refused: the pull of resources succeeds and the cached tables stay as they were', async () => {
    emu = await startEmulator({ flavor: '5.0' });
    const proxy = await startProxy(emu.url, (req): Rule => {
      if (!bad) return { kind: 'forward' };
      const path = req.url ?? '';
      if (path.endsWith('/phone_numbers/classifiers')) return { kind: 'reply', status: 200, body: envelope('not a table') };
      if (path.startsWith('/v2/system_configs/number_manager')) return { kind: 'reply', status: 200, body: envelope({ e164_converters: { '^1': 'x' } }) };
      if (path.startsWith('/v2/system_configs/stepswitch')) return { kind: 'reply', status: 200, body: envelope({ default_weight: 'heavy' }) };
      if (path.endsWith('/parents')) return { kind: 'reply', status: 200, body: envelope({ not: 'a list' }) };
      return { kind: 'forward' };
    });
    after(() => proxy.close());
    core = openCore(tmp.dir);
    await call(core, 'clusters.add', { name: 'p', url: proxy.url, auth: { kind: 'user', accountName: 'Master', username: 'admin', password: 'demo-admin-pass' } });
    await call(core, 'pull.run', { cluster: 'p', scope: 'global' });
    const good = world(core, 'p');
    assert.equal(table(good.world)?.length, 7);

    bad = true;
    const r = await call(core, 'pull.run', { cluster: 'p', scope: 'global' });
    assert.deepEqual(r.scopes[0]?.errors, [], 'the resources were pulled');
    assert.deepEqual(r.routing?.failed.map((f) => f.kind).sort(), ['accounts', 'classifiers', 'number_manager', 'stepswitch']);
    for (const f of r.routing?.failed ?? []) assert.equal(f.error.code, 'bad_reply', f.kind);
    assert.match(r.routing!.failed.find((f) => f.kind === 'stepswitch')!.error.message, /default_weight is not a number/);
    const after2 = world(core, 'p');
    assert.deepEqual(after2.world, good.world, 'nothing cached changed');
    const cls = after2.status.facts.find((f) => f.kind === 'classifiers')!;
    assert.equal(cls.status, 'ok');
    assert.match(cls.error ?? '', /unexpected shape/);
    assert.ok(after2.status.notes.some((n) => /last read of the classifiers data failed/.test(n)));
  });

  test('an unreachable cluster: the failure is recorded next to the data kept', async () => {
    const kept = world(core, 'p').world;
    await emu.goOffline();
    try {
      const r = await core.dispatch('pull.run', { cluster: 'p', scope: 'global' });
      // The pull itself reports the cluster as not answering; the routing data is unchanged.
      if (r.ok) assert.ok((r.value as { scopes: { errors: unknown[] }[] }).scopes[0]!.errors.length > 0);
      assert.deepEqual(world(core, 'p').world, kept);
      assert.ok(factOf(core, 'p', 'flavor').status === 'ok');
    } finally {
      await emu.goOnline();
    }
  });
});

test('a cluster never pulled has no resources and says so; its flavor comes from the profile', async () => {
  const tmp = tempDir('routing-data-unpulled');
  const emu = await startEmulator({ flavor: '4.3' });
  const core = openCore(tmp.dir);
  try {
    await addCluster(core, 'fresh', emu);
    const [s] = await call(core, 'routing.status', { cluster: 'fresh' });
    assert.equal(s?.flavor, '4.3');
    assert.deepEqual(s?.scopes, []);
    assert.ok(s?.facts.every((f) => f.status === 'never'));
    assert.ok(s?.notes.some((n) => /classifier table was never read.*4\.3's default table is assumed \(routing-spec §3\.2\)/.test(n)), s?.notes.join('\n'));
    assert.deepEqual(world(core, 'fresh').world?.resources, []);
  } finally {
    await core.close();
    await emu.close();
    tmp.cleanup();
  }
});

// Integration: what an apply to many clusters does once rather than per target is keyed so it never mixes targets up.
// Two drafts with different gateway passwords, on clusters of two flavors (4.3 and 5.0: different schema sets), sent
// in one apply: each cluster holds each draft's own password, and the folder keeps each base sealed. The core opens
// and seals a secret once per process (secrets/memo-box.ts): the targets' bases of one draft share one sealed text,
// which still opens, in a fresh process, to that draft's password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DB_FILE } from '../../../electron/core/index.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import { call, closedAfterAll, coreWithClusters, otherLogin, raw } from './helpers.ts';

const opened = closedAfterAll();

/** The sealed texts of every password in a stored document. */
function sealedPasswords(docJson: string): string[] {
  const doc = JSON.parse(docJson) as { gateways?: { password?: { $sealed?: string } }[] };
  return (doc.gateways ?? []).map((g) => g.password?.$sealed ?? '(not sealed)');
}

test('one apply, two drafts with their own passwords, clusters of two flavors: each gets its own body; a secret is sealed once', async () => {
  const { emus, tmp, core } = await coreWithClusters(opened, 'fanout-secrets', [{ flavor: '5.0' }, { flavor: '4.3' }, { flavor: '5.0' }]);
  const drafts = [
    { name: 'Carrier one', server: 'sip.one.example', password: 'pw-one-secret', weight: 10 },
    { name: 'Carrier two', server: 'sip.two.example', password: 'pw-two-secret', weight: 20 },
  ];
  for (const d of drafts) {
    const doc = { name: d.name, weight_cost: d.weight, gateways: [{ server: d.server, password: d.password, enabled: true }], rules: ['^\\+1(\\d{10})$'] };
    await call(core, 'drafts.create', { name: d.name, from: { kind: 'json', doc } });
    await call(core, 'targets.addMany', { draft: d.name, allClusters: true, scope: 'global' });
  }
  const applied = await call(core, 'sync.apply', {});
  assert.deepEqual(applied.targets.map((t) => t.outcome), Array(6).fill('done'), JSON.stringify(applied.targets));

  // What each cluster holds: each draft's own server, weight and password, whatever the flavor.
  for (const em of emus) {
    const token = await otherLogin(em);
    const list = await raw(em, token, 'GET', '/v2/resources');
    for (const d of drafts) {
      const row = (list.body.data as { id: string; name: string }[]).find((r) => r.name === d.name);
      assert.ok(row, `${d.name} on the ${em.url} cluster`);
      const got = (await raw(em, token, 'GET', `/v2/resources/${row.id}`)).body.data;
      assert.equal(got.gateways[0].server, d.server);
      assert.equal(got.gateways[0].password, d.password);
      assert.equal(got.weight_cost, d.weight);
    }
  }
  await core.close();

  // The folder, read as a fresh process would: every base sealed, opened to its own draft's password; the bases of
  // one draft (one per cluster, each from its cluster's reply) share one sealed text.
  const db = new Database(join(tmp.dir, DB_FILE), { readonly: true });
  try {
    const box = new FileKeyBox(tmp.dir);
    for (const d of drafts) {
      const rows = db.prepare('SELECT t.base_doc_json AS base FROM draft_targets t JOIN drafts d ON d.id = t.draft_id WHERE d.name = ?').all(d.name) as { base: string }[];
      assert.equal(rows.length, 3);
      const sealed = rows.flatMap((r) => sealedPasswords(r.base));
      assert.equal(sealed.length, 3);
      assert.equal(new Set(sealed).size, 1, `one sealed text for ${d.name}'s password: ${sealed.join(', ')}`);
      assert.ok(!rows.some((r) => r.base.includes(d.password)), 'never stored in the clear');
      assert.equal(box.open(sealed[0]!), d.password);
    }
  } finally {
    db.close();
  }
});

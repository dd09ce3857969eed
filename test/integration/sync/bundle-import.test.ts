// Integration (issue 15 item 9): importing a bundle never merges or drops silently. Two bundle drafts that would land
// on one draft (the same name in any case, or one's id and the other's name) refuse the whole bundle, nothing
// imported; targets that cannot be added here (a cluster not set up, a scope that is none) are listed with why, in
// the contract's result and by the CLI (exit 1), while the drafts themselves are imported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_FORMAT } from '../../../electron/core/drafts/bundle.ts';
import { call, openCore, tempDir } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../../bin/carrier-desk.js', import.meta.url));
const ACCOUNT = 'c0000000000000000000000000000003';

const bundle = (drafts: { id?: string; name: string; targets?: { cluster: string; scope: string }[] }[]) =>
  JSON.stringify({
    format: BUNDLE_FORMAT,
    secretsIncluded: false,
    drafts: drafts.map((d) => ({ ...(d.id ? { id: d.id } : {}), name: d.name, markedForDelete: false, doc: { name: d.name, rules: ['^\\+?(\\d+)$'] }, targets: (d.targets ?? []).map((t) => ({ ...t, remoteId: null })) })),
  });

test('a bundle whose drafts would merge is refused whole; targets that cannot be added are reported', async (t) => {
  const tmp = tempDir('bundle');
  const core = openCore(tmp.dir);
  t.after(async () => {
    await core.close();
    tmp.cleanup();
  });
  await call(core, 'clusters.add', { name: 'lab', url: 'http://127.0.0.1:9', auth: { kind: 'api_key', apiKey: 'k'.repeat(32) }, check: false });

  const dup = await core.dispatch('bundle.import', { text: bundle([{ name: 'Carrier X' }, { name: 'carrier x' }]) });
  assert.ok(!dup.ok);
  assert.equal(dup.error.code, 'invalid_input');
  assert.match(dup.error.message, /two drafts that would be merged: 'Carrier X' and 'carrier x' \(they have the same name\).*Nothing was imported\./);
  assert.deepEqual(await call(core, 'drafts.list', {}), []);

  const r = await call(core, 'bundle.import', {
    text: bundle([
      { id: 'draft-one-0001', name: 'One', targets: [{ cluster: 'lab', scope: 'global' }, { cluster: 'nowhere', scope: 'global' }, { cluster: 'lab', scope: 'not-a-scope' }, { cluster: 'lab', scope: ACCOUNT }] },
      { name: 'Two' },
    ]),
  });
  assert.deepEqual([r.created, r.updated, r.unchanged], [['One', 'Two'], [], []]);
  assert.deepEqual(r.skippedTargets.map((s) => [s.draft, s.cluster, s.scope]), [['One', 'nowhere', 'global'], ['One', 'lab', 'not-a-scope']]);
  assert.match(r.skippedTargets[0]!.reason, /no cluster named 'nowhere' here: add it under that name, then import the bundle again/);
  assert.match(r.skippedTargets[1]!.reason, /'not-a-scope' is not a scope/);
  const one = await call(core, 'drafts.get', { draft: 'One' });
  assert.deepEqual(one.targets.map((x) => x.scope).sort(), [ACCOUNT, 'global']);

  // One bundle draft matches 'One' by id, another by name: both would become 'One'.
  const clash = await core.dispatch('bundle.import', { text: bundle([{ id: 'draft-one-0001', name: 'Renamed' }, { name: 'one' }]) });
  assert.ok(!clash.ok);
  assert.match(clash.error.message, /'Renamed' and 'one' \(both go to the draft 'One'\)/);
  assert.equal((await call(core, 'drafts.get', { draft: 'One' })).version, 1, 'nothing was imported');
});

test('the CLI lists the targets it could not add and exits 1', { timeout: 120_000 }, (t) => {
  const tmp = tempDir('bundle-cli');
  t.after(() => tmp.cleanup());
  const file = join(tmp.dir, 'b.json');
  writeFileSync(file, bundle([{ name: 'Three', targets: [{ cluster: 'nowhere', scope: 'global' }] }]));
  const r = spawnSync(process.execPath, [BIN, '--data-dir', tmp.dir, 'import', file], { encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /Imported: 1 created, 0 updated, 0 unchanged\.\n1 target\(s\) not added:\n {2}Three → nowhere global: There is no cluster named 'nowhere' here/);
});

// End-to-end: a draft is added on several clusters at once from the targets panel (issue 16 item 2): two ticked
// clusters get a target each, 'All clusters' adds the rest and names those that had it already, and one apply
// creates the carrier on every cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appSetting } from '../support/e2e-setting.ts';
import { addCluster, call } from '../support/core-calls.ts';
import { DraftsPage } from './pages/DraftsPage.ts';

test('targets panel: several clusters at once, then all clusters, one apply for all', async (t) => {
  const { emus, host, browser, passed } = await appSetting(t, { emulators: [{ flavor: '5.0' }, { flavor: '5.0' }, { flavor: '4.3' }], browser: { width: 1280, height: 900 }, failureShot: 'targets-many-failure' });
  const names = ['east', 'west', 'north'];
  for (const [i, n] of names.entries()) await addCluster(host.core, n, emus[i]!);
  const draft = await call(host.core, 'drafts.create', { name: 'Fan Carrier', from: { kind: 'json', doc: { name: 'Fan Carrier', gateways: [{ server: 'gw.fan.example' }], rules: ['^\\+1(\\d{10})$'] } } });

  const { page } = browser;
  await page.goto(host.web.url);
  const drafts = new DraftsPage(page);
  await drafts.open();
  await drafts.select('Fan Carrier');
  await drafts.tab('Targets & sync');

  const first = await drafts.addTargetsOn(['east', 'west']);
  assert.match(first, /Added on east, west\./);
  await page.getByTestId('target-east').waitFor();
  await page.getByTestId('target-west').waitFor();
  assert.equal(await page.getByTestId('target-north').count(), 0);

  const second = await drafts.addTargetsOn('all');
  assert.match(second, /Added on north\./);
  assert.match(second, /Already a target: east, west\./);
  await page.getByTestId('target-north').waitFor();
  const stored = await call(host.core, 'drafts.get', { draft: draft.id });
  assert.deepEqual(stored.targets.map((x) => `${x.clusterName}/${x.scope}`).sort(), ['east/global', 'north/global', 'west/global']);

  const applied = await call(host.core, 'sync.apply', { draft: draft.id });
  assert.equal(applied.targets.filter((x) => x.outcome === 'done').length, 3);
  passed();
});

// End-to-end: the Route screen in Chromium against two emulated clusters (Kazoo 4.3 and 5.0, routing demo seed): one
// answer per cluster side by side — the Telia example (routing-spec §5.2, §5.3), 988 classified differently by the two
// branches (§3.2, §9), a calling account picked by name with its own carriers (§2.1), an offline cluster answered
// from its last pull and marked so (the card updates by itself); and the plan view's routing impact on a number list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.ts';
import { call } from '../support/core-calls.ts';
import { startRoutingDemo } from '../support/routing-demo.ts';
import { RoutePage } from './pages/RoutePage.ts';
import { DraftsPage } from './pages/DraftsPage.ts';
import { selectMatching } from './pages/select.ts';

const CID = '+14155550100';
const BOTH = ['demo-4.3', 'demo-5.0'];

test('route screen: one answer per cluster, account by name, offline marked; plan view routing impact', async (t) => {
  const demo = await startRoutingDemo(t, 'route');
  const { host, browser, e50 } = demo;
  await call(host.core, 'pull.run', { cluster: 'demo-4.3', all: true });
  await call(host.core, 'pull.run', { cluster: 'demo-5.0', all: true });

  const { page } = browser;
  await page.goto(host.web.url);
  const route = new RoutePage(page);
  await route.open();

  // The Telia example: its last rule decides, the longest group is sent, on both clusters.
  await route.route({ number: '+442071234567', callerId: CID }, BOTH);
  for (const c of BOTH) {
    assert.deepEqual(await route.carriers(c), ['Telia Wholesale'], c);
    assert.deepEqual(await route.dialStrings(c), ['sip:442071234567@sip1.wholesale.telia.example', 'sip:442071234567@sip2.wholesale.telia.example'], c);
    assert.match(await route.answer(c).getByTestId('route-basis').innerText(), /Answered from the global carriers as pulled on /);
    // invite_format e164 is acted on by ecallmgr, not stepswitch: the answer says it is uncertain (§6.4).
    await route.answer(c).getByTestId('route-uncertain').waitFor();
  }
  await screenshot(page, 'route-telia');

  // 988: emergency on 4.3 (to the emergency-class carrier), unknown on 5.0 (no carrier).
  await route.route({ number: '988', callerId: CID }, BOTH);
  assert.match(await route.answer('demo-4.3').getByTestId('route-class').innerText(), /class emergency/);
  assert.deepEqual(await route.carriers('demo-4.3'), ['Intrado E911 - emergency']);
  assert.match(await route.answer('demo-5.0').getByTestId('route-class').innerText(), /class unknown/);
  await route.answer('demo-5.0').getByTestId('route-none').waitFor();
  await screenshot(page, 'route-988');

  // A calling account picked by name, with its own carriers (use_local_resources).
  await route.route({ number: '4158867900', callerId: CID, account: 'Acme Corp', own: true }, BOTH);
  for (const c of BOTH) {
    assert.deepEqual(await route.carriers(c), ['Acme BYOC Twilio'], c);
    assert.match(await route.answer(c).getByTestId('route-basis').innerText(), /own carriers of Acme Corp as pulled on .*calling account Acme Corp/);
  }

  // 5.0 goes offline: once the app notices, the answer on screen is asked again and marked as from the last pull.
  await route.route({ number: '+442071234567', callerId: CID }, BOTH);
  const asked = await route.answeredCount();
  await e50.goOffline();
  await host.core.dispatch('clusters.check', { cluster: 'demo-5.0' });
  await route.answer('demo-5.0').getByTestId('route-offline').waitFor();
  assert.ok((await route.answeredCount()) > asked, 'asked again by itself');
  assert.deepEqual(await route.carriers('demo-5.0'), ['Telia Wholesale']);
  assert.equal(await route.answer('demo-4.3').getByTestId('route-offline').count(), 0);
  await e50.goOnline();

  // The plan view: a draft narrowing Telia to UK numbers, its routing impact on a number list.
  await call(host.core, 'numbers.import', { name: 'sample', text: '+442071234567\n+14158867900\n+18005551234\n', country: 'US', wait: true });
  await call(host.core, 'drafts.create', { name: 'Telia Wholesale', from: { kind: 'snapshot', cluster: 'demo-4.3', scope: 'global', id: 'f0000000000000000000000000000001' } });
  await call(host.core, 'drafts.edit', { draft: 'Telia Wholesale', set: [{ path: 'rules', value: ['^\\+44(\\d{10})$'] }] });
  const drafts = new DraftsPage(page);
  await drafts.open();
  await drafts.select('Telia Wholesale');
  await drafts.tab('Targets & sync');
  await page.getByRole('button', { name: 'Plan', exact: true }).click();
  await page.getByTestId('plan-summary').waitFor();
  const sample = page.getByRole('group', { name: 'Routing impact sample' });
  await selectMatching(sample.getByLabel('Number list'), /^sample/);
  await sample.getByLabel('Caller id').fill(CID);
  await page.getByRole('button', { name: 'Show routing impact' }).click();
  const impact = page.getByTestId('route-impact');
  await impact.waitFor();
  const text = await impact.innerText();
  assert.match(text, /demo-4\.3, global.*: 2 of 3 numbers route differently: 1 another carrier, 0 another gateway, 1 another dial string/);
  assert.match(text, /\+442071234567: Telia Wholesale \(sip:442071234567@sip1\.wholesale\.telia\.example\) → Telia Wholesale \(sip:2071234567@sip1/);
  await screenshot(page, 'route-plan-impact');

  // The route screen, as after the plan: Telia now sends the national number.
  await route.open();
  await route.route({ number: '+442071234567', callerId: CID, withDrafts: true }, BOTH);
  assert.equal((await route.dialStrings('demo-4.3'))[0], 'sip:2071234567@sip1.wholesale.telia.example');
  assert.match(await route.answer('demo-4.3').getByTestId('route-drafts').innerText(), /Telia Wholesale \(update\)/);
  assert.equal((await route.dialStrings('demo-5.0'))[0], 'sip:442071234567@sip1.wholesale.telia.example');

  assert.deepEqual(browser.problems, []);
  demo.passed();
});

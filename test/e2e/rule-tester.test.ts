// End-to-end: the draft editor's "Test a dialed number" box in Chromium, answered by the core's routing simulator
// (routing.test) for the draft's target clusters (emulated Kazoo 4.3 and 5.0): the Telia example — the last listed
// matching rule decides (routing-spec §5.2), the longest group is sent (§5.3), one dial string per gateway built as
// §6.3 and not rewritten by invite_format e164 (flagged, §6.4) — and an unsaved PCRE-only rule (§11.12) that makes
// the answer uncertain, flagged live at the field from the shared PCRE list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot } from '../support/browser.ts';
import { call } from '../support/core-calls.ts';
import { startRoutingDemo } from '../support/routing-demo.ts';
import { DraftsPage } from './pages/DraftsPage.ts';
import { RuleTesterPage } from './pages/RuleTesterPage.ts';

const TELIA = 'f0000000000000000000000000000001';

test('rule tester: Telia decided by its last rule, number sent 442071234567, dial strings per gateway; PCRE-only rule uncertain', async (t) => {
  const demo = await startRoutingDemo(t, 'rule-tester');
  const { host, browser } = demo;
  await call(host.core, 'pull.run', { cluster: 'demo-4.3' });
  await call(host.core, 'pull.run', { cluster: 'demo-5.0' });
  await call(host.core, 'drafts.create', { name: 'Telia Wholesale', from: { kind: 'snapshot', cluster: 'demo-4.3', scope: 'global', id: TELIA } });
  await call(host.core, 'targets.add', { draft: 'Telia Wholesale', cluster: 'demo-5.0', scope: 'global', resourceId: TELIA });

  const { page } = browser;
  await page.goto(host.web.url);
  const drafts = new DraftsPage(page);
  await drafts.open();
  await drafts.select('Telia Wholesale');
  const tester = new RuleTesterPage(page);

  // Rules ["^\+44(\d{10})$", "^\+?(\d{7,15})$"]: both match, the last listed decides and its group is sent.
  await tester.test('+442071234567');
  assert.equal(await tester.answers().count(), 1, 'both targets give the same answer: shown once');
  const where = await tester.answers().first().locator('h4').innerText();
  assert.match(where, /demo-4\.3, demo-5\.0 \(Kazoo 4\.3 and 5\.x\)/);
  assert.match(await tester.decision(), /^Decided by rule 2 \^\\\+\?\(\\d\{7,15\}\)\$: the last listed rule that matches decides \(routing-spec §5\.2\)/);
  assert.equal(await tester.sent(), '442071234567');
  // §6.3: sip: + prefix + number + suffix @ server (port 5060 left out); invite_format e164 does not add a +.
  assert.deepEqual(await tester.dialStrings(2), ['sip:442071234567@sip1.wholesale.telia.example', 'sip:442071234567@sip2.wholesale.telia.example']);
  assert.match(await tester.dialNote(0), /invite_format e164: stepswitch passes it on unchanged.*routing-spec §6\.4/);
  // The rules list marks the deciding rule (the second), not the first that matches.
  const rules = page.getByTestId('list-rules');
  assert.match(await rules.getByRole('listitem').nth(1).innerText(), /decides for the test number/);
  assert.doesNotMatch(await rules.getByRole('listitem').nth(0).innerText(), /decides for the test number/);
  // The rule linter (from the core, live while editing) says why: rule 2 takes every number rule 1 would (§5.2, §11.9).
  await rules.getByRole('listitem').nth(0).getByText(/Rule 1 is never used.*routing-spec §5\.2, §11\.9/).waitFor();
  // Uncertain only for what ecallmgr does with invite_format e164 (§6.4), not for the rules: both read alike in PCRE.
  assert.match(await tester.uncertain().innerText(), /§6\.4/);
  assert.doesNotMatch(await tester.uncertain().innerText(), /§11\.12|PCRE/);
  await screenshot(page, 'rule-tester-telia');

  // A possessive quantifier (PCRE only) added at the end, not saved: Kazoo tries it first, JavaScript cannot run it.
  await drafts.addRule('^\\+44(\\d++)$');
  await rules.getByText(/possessive quantifier.*routing-spec §11\.12/).waitFor();
  await tester.uncertain().filter({ hasText: /possessive quantifier/ }).waitFor();
  await tester.settled('+442071234567');
  assert.match(await tester.uncertain().innerText(), /^Uncertain: Kazoo may decide differently/);
  await screenshot(page, 'rule-tester-uncertain');

  // A number no rule matches: the carrier is not used, said with its reason.
  await tester.test('12345');
  assert.match(await tester.decision(), /^No rule matches 12345: Kazoo does not use this carrier/);
  demo.passed();
});

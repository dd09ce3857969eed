// The plan's routing impact (`plan --route-sample LIST`, routing.planImpact): per draft target, the numbers of a list
// that route differently after apply — another carrier, another gateway, another dial string — with examples, and
// "no routing change" when nothing changes; before = the pulled snapshots, after = with that target's document.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { routingDemoSeed, startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import type { Core } from '../../../electron/core/index.ts';
import { runCliProcess } from '../../support/cli.ts';
import { ACME, addCluster, call, openCore, tempDir } from '../sync/helpers.ts';

const TELIA = 'f0000000000000000000000000000001';
const INTELIQUENT = 'f0000000000000000000000000000005';
const ACME_BYOC = 'f1000000000000000000000000000001';
const CID = '+14155550100';

let emu: EmulatorHandle;
let core: Core;
const tmp = tempDir('plan-impact');

// 3 UK numbers (Telia only), 4 US numbers (Bandwidth, Inteliquent, Telia), 2 toll-free (Lumen's class group).
const SAMPLE = ['+442071234567', '+442079460000', '+441612345678', '+14158867900', '+12125550111', '+13125550122', '+16465550133', '+18005551234', '+18885550000'];

before(async () => {
  emu = await startEmulator({ flavor: '5.0', seed: routingDemoSeed() });
  core = openCore(tmp.dir);
  await addCluster(core, 'demo', emu);
  await call(core, 'pull.run', { cluster: 'demo', all: true });
  await call(core, 'numbers.import', { name: 'sample', text: SAMPLE.join('\n') + '\n', country: 'US', wait: true });
});
after(async () => {
  await core?.close();
  await emu?.close();
  tmp.cleanup();
});

test('per target: which numbers change carrier, gateway or dial string, with examples; no change said as such', async () => {
  // Telia keeps only its UK rule: UK numbers now send the 10 national digits (dial string), US numbers lose Telia (carrier).
  await call(core, 'drafts.create', { name: 'Telia Wholesale', from: { kind: 'snapshot', cluster: 'demo', scope: 'global', id: TELIA } });
  await call(core, 'drafts.edit', { draft: 'Telia Wholesale', set: [{ path: 'rules', value: ['^\\+44(\\d{10})$'] }] });
  // Inteliquent's second gateway disabled: its US numbers keep their carriers but lose one gateway.
  await call(core, 'drafts.create', { name: 'Inteliquent US', from: { kind: 'snapshot', cluster: 'demo', scope: 'global', id: INTELIQUENT } });
  await call(core, 'drafts.edit', { draft: 'Inteliquent US', set: [{ path: 'gateways.1.enabled', value: false }] });
  // A new note on Acme's carrier: no routing change (it is routed through Acme's own local calls). Drafts keep the
  // carriers' names, so only the edited fields change.
  await call(core, 'drafts.create', { name: 'Acme BYOC Twilio', from: { kind: 'snapshot', cluster: 'demo', scope: ACME, id: ACME_BYOC } });
  await call(core, 'drafts.edit', { draft: 'Acme BYOC Twilio', set: [{ path: 'notes', value: 'checked' }] });

  const r = await call(core, 'routing.planImpact', { list: 'sample', callerId: CID, examples: 2 });
  assert.equal(r.numbers, SAMPLE.length);
  const by = new Map(r.targets.map((t) => [t.draftName, t]));
  const telia = by.get('Telia Wholesale')!;
  assert.deepEqual([telia.routed, telia.changed, telia.carrier, telia.gateway, telia.dialString], [9, 7, 4, 0, 3]);
  assert.deepEqual(telia.examples[0], {
    number: '+442071234567',
    before: { carriers: ['Telia Wholesale'], route: 'sip:442071234567@sip1.wholesale.telia.example' },
    after: { carriers: ['Telia Wholesale'], route: 'sip:2071234567@sip1.wholesale.telia.example' },
  });
  const inteliquent = by.get('Inteliquent US')!;
  assert.deepEqual([inteliquent.changed, inteliquent.carrier, inteliquent.gateway, inteliquent.dialString], [4, 0, 4, 0]);
  const acme = by.get('Acme BYOC Twilio')!;
  assert.equal(acme.scope, ACME);
  assert.deepEqual([acme.changed, acme.routed], [0, 9]);

  // The CLI: plan --route-sample prints each target, "no routing change" for Acme's; --json carries routeImpact.
  const text = await runCliProcess(['--data-dir', tmp.dir, 'plan', '--route-sample', 'sample', '--caller-id', CID]);
  assert.match(text.out, /Routing impact on number list 'sample' \(9 numbers\):/);
  assert.match(text.out, /Telia Wholesale → demo global \(update\): 7 of 9 numbers route differently: 4 another carrier, 0 another gateway, 3 another dial string/);
  assert.match(text.out, /\+442071234567: Telia Wholesale sip:442071234567@sip1\.wholesale\.telia\.example {2}→ {2}Telia Wholesale sip:2071234567@sip1/);
  assert.match(text.out, /Acme BYOC Twilio → demo account c0000000000000000000000000000003 \(update\): no routing change/);
  const json = await runCliProcess(['--data-dir', tmp.dir, '--json', 'plan', '--route-sample', 'sample', '--draft', 'Acme BYOC Twilio']);
  const doc = JSON.parse(json.out) as { routeImpact: { targets: { draftName: string; changed: number }[] } };
  assert.deepEqual(doc.routeImpact.targets.map((t) => [t.draftName, t.changed]), [['Acme BYOC Twilio', 0]]);
  const missing = await runCliProcess(['--data-dir', tmp.dir, 'plan', '--route-sample', 'no-such-list']);
  assert.notEqual(missing.code, 0);
  assert.match(missing.err, /Number list 'no-such-list' does not exist/);
});

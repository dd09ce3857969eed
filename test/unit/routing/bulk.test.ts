// Bulk routing (explain: false) skips reasons and uses a prefix index to skip resources whose rules cannot match:
// it must give the same classification, candidates and endpoints as the explaining route, for many numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileWorld, type RoutingFlavor } from '../../../electron/core/routing/index.ts';
import { gw, hexId } from './support.ts';

/** A deterministic pseudo-random sequence (so a failure can be replayed). */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

test('explain: false gives the same answers as explain: true (prefix index is only a shortcut)', () => {
  const rand = rng(42);
  const pick = <T>(a: T[]): T => a[Math.floor(rand() * a.length)]!;
  const rules = ['^\\+44(\\d{10})$', '^\\+?(\\d{7,15})$', '^\\+1(\\d{10})$', '^\\+1415(\\d{7})$', '^(911)$', '^\\+4(\\d+)$', '\\d{10}', '^\\+49(\\d+)$|^0049(\\d+)$', '^\\+(\\d++)$', '^011(\\d+)$'];
  const resources = Array.from({ length: 60 }, (_, i) => {
    const doc: Record<string, unknown> = { id: hexId(i + 1), name: `R${i}`, weight_cost: Math.floor(rand() * 5), gateways: [gw(`g${i}`), gw(`h${i}`, { enabled: rand() > 0.3 })] };
    if (rand() < 0.2) doc.classifiers = { [pick(['did_us', 'international', 'tollfree_us', 'emergency'])]: { enabled: rand() > 0.2 } };
    else doc.rules = [pick(rules), ...(rand() < 0.5 ? [pick(rules)] : [])];
    if (rand() < 0.2) doc.flags = ['fax'];
    if (rand() < 0.1) doc.require_flags = true;
    return doc;
  });
  const numbers = ['+442071234567', '4158867900', '+14158867900', '911', '+4930123456', '01149301234', '+18005551234', '3335555', '+33123456789', '+1415555'];
  for (const flavor of ['4.3', '5.0'] as RoutingFlavor[]) {
    const world = compileWorld({ flavor, resources });
    for (const number of numbers) {
      for (const flags of [[], ['fax']]) {
        const req = { number, flags, callerIdNumber: '+14155550100' };
        const full = world.route(req);
        const bulk = world.route(req, { explain: false });
        assert.equal(bulk.classification, full.classification);
        assert.deepEqual(bulk.candidates, full.candidates, `${flavor} ${number} ${flags}`);
        assert.deepEqual(bulk.endpoints, full.endpoints, `${flavor} ${number} ${flags}`);
        assert.deepEqual(bulk.error, full.error);
        assert.deepEqual(bulk.uncertain, full.uncertain);
        assert.deepEqual(bulk.excluded, []);
      }
    }
  }
});

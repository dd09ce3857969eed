// The client against the emulator in docs-quirks mode: numbers as strings, `successes`, job listing summaries.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, randomDigits, until, type Harness } from './emulator-harness.ts';

for (const flavor of ['4.3', '5.0'] as const) {
  describe(`docs-quirks mode (${flavor})`, () => {
    let h: Harness;
    before(async () => {
      h = await harness({ flavor, faults: { docsQuirks: true } });
    });
    after(async () => {
      await h.close();
    });

    test('resources, jobs and listings parse to the same typed shapes', async () => {
      const c = h.client();
      const p = await c.probe();
      assert.equal(p.flavor, flavor);
      const A = p.accountId;
      const scope = { kind: 'account' as const, accountId: A };
      const made = await c.resources.create(scope, { name: 'quirky', gateways: [{ server: 'q.example.net' }] });
      assert.equal(made.doc.weight_cost, 50);
      const gw = (made.doc.gateways ?? [])[0] as Record<string, unknown>;
      assert.equal(gw.port, 5060);
      const listed = await c.resources.list(scope, { pageSize: 2 });
      const item = listed.find((r) => r.id === made.doc.id);
      assert.ok(item);
      assert.equal(typeof item.weight_cost, 'number');
      const num = `+1415${randomDigits(7)}`;
      const job = await c.jobs.create(scope, { numbers: [num], resource_id: made.doc.id, name: 'q' });
      const done = await until(() => c.jobs.get(scope, job.id), (j) => j.status === 'complete');
      assert.ok(done.success && num in done.success, JSON.stringify(done).slice(0, 300));
      assert.equal(typeof done.timestamp, 'number');
      const jobs = await c.jobs.list(scope);
      const mine = jobs.find((j) => j.id === job.id);
      assert.ok(mine);
      assert.equal(mine.successCount, 1);
    });
  });
}

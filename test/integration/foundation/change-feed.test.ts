// The change feed on two real connections to one data folder: another connection's writes are handed over once, by
// area and thing; this connection's own writes are not handed over again (its services announced them already).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempDir } from '../../support/temp.ts';
import { call } from '../../support/core-calls.ts';
import { createCore, type Core } from '../../../electron/core/index.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import type { EventMessage } from '../../../electron/shared/contract.ts';

function open(dir: string): Core {
  return createCore({ dataDir: dir, secrets: new FileKeyBox(dir) });
}

test('another connection\u2019s writes become events once; this connection\u2019s own are not repeated', async (t) => {
  const dir = tempDir();
  const app = open(dir.path);
  const cli = open(dir.path);
  t.after(async () => (await app.close(), await cli.close(), dir.remove()));
  const seen: EventMessage[] = [];
  app.events.subscribe((m) => seen.push(m));
  const drafts = () => seen.filter((m) => m.event === 'drafts.changed').map((m) => (m.payload as { draftId: string }).draftId);

  assert.equal(app.changes.poll(), 0, 'nothing changed yet');
  const a = await call(cli, 'drafts.create', { name: 'A' });
  assert.equal(app.changes.poll(), 1);
  assert.deepEqual(drafts(), [a.id]);
  assert.equal(app.changes.poll(), 0, 'handed over once');

  // The app's own writes: its service emitted the event; the feed does not repeat it, even after another write.
  seen.length = 0;
  const own = await call(app, 'drafts.create', { name: 'Own' });
  assert.deepEqual(drafts(), [own.id]);
  assert.equal(app.changes.poll(), 0);
  await call(cli, 'settings.set', { key: 'jobs.chunkSize', value: 100 });
  const b = await call(cli, 'drafts.create', { name: 'B' });
  assert.equal(app.changes.poll(), 2);
  assert.deepEqual(drafts(), [own.id, b.id]);
  assert.deepEqual(seen.filter((m) => m.event === 'settings.changed').map((m) => m.payload), [{ keys: ['jobs.chunkSize'] }]);

  // A thing changed many times between two looks is handed over once.
  seen.length = 0;
  for (let i = 0; i < 5; i++) await call(cli, 'drafts.edit', { draft: 'B', set: [{ path: 'weight_cost', value: i }] });
  await call(cli, 'drafts.remove', { draft: 'A' });
  assert.equal(app.changes.poll(), 2);
  assert.deepEqual(drafts().sort(), [a.id, b.id].sort());
});

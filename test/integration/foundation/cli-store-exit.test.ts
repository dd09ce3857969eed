// The `carrier-desk` process leaves its store to its exit (no close, so no checkpoint of the write-ahead log: Core.close
// `leaveStore`). What it committed must still be what every other process reads: the next command, a second writer,
// and an app holding the folder open (its change feed), and the database stays whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../../support/temp.ts';
import { cliJson, runCliProcess } from '../../support/cli.ts';
import { call } from '../../support/core-calls.ts';
import { createCore, DB_FILE } from '../../../electron/core/index.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import type { EventMessage } from '../../../electron/shared/contract.ts';

interface DraftRow {
  name: string;
}

test('a command\u2019s writes left in the write-ahead log at its exit are read by the next processes and the open app', async (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const wal = join(dir.path, `${DB_FILE}-wal`);

  const first = await runCliProcess(['--data-dir', dir.path, 'drafts', 'create', '--name', 'First']);
  assert.equal(first.code, 0, first.err);
  // The process did not checkpoint on its way out: its commits are still in the log (a close would have emptied it into
  // the database file and removed it).
  assert.ok(statSync(wal, { throwIfNoEntry: false })?.size, 'the write-ahead log is left for the next opener');
  assert.deepEqual((await cliJson<DraftRow[]>(dir.path, ['drafts', 'list'])).map((d) => d.name), ['First']);

  // A second writing process on top of the left log, then the app opens the folder and sees both.
  const second = await runCliProcess(['--data-dir', dir.path, 'drafts', 'create', '--name', 'Second']);
  assert.equal(second.code, 0, second.err);
  const app = createCore({ dataDir: dir.path, secrets: new FileKeyBox(dir.path) });
  t.after(() => app.close());
  assert.deepEqual((await call(app, 'drafts.list', {})).map((d) => d.name).sort(), ['First', 'Second']);

  // While the app holds the folder, a command's commit reaches it through the change feed (PRAGMA data_version).
  const seen: EventMessage[] = [];
  app.events.subscribe((m) => seen.push(m));
  assert.equal(app.changes.poll(), 0);
  const third = await runCliProcess(['--data-dir', dir.path, 'drafts', 'create', '--name', 'Third']);
  assert.equal(third.code, 0, third.err);
  assert.equal(app.changes.poll(), 1);
  assert.equal(seen.filter((m) => m.event === 'drafts.changed').length, 1);
  assert.deepEqual((await call(app, 'drafts.list', {})).map((d) => d.name).sort(), ['First', 'Second', 'Third']);

  // Once the last connection closes, the log is checkpointed into a database that checks whole.
  await app.close();
  const db = new Database(join(dir.path, DB_FILE), { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    assert.deepEqual((db.prepare('SELECT name FROM drafts ORDER BY name').all() as DraftRow[]).map((r) => r.name), ['First', 'Second', 'Third']);
  } finally {
    db.close();
  }
});

// Integration: the outbox schema keeps one live row per target (issue 15 item 1). A store from before the rule,
// holding two unfinished rows of one target, keeps the newest when it is upgraded; after that the schema refuses a
// second queued or in-flight row for a target, whatever code tries to add it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../../electron/core/db/open.ts';
import { defaultMigrationsDir } from '../../../electron/core/db/migrate.ts';
import { tempDir } from '../../support/temp.ts';

const ROW = `INSERT INTO outbox (target_id, op, remote_id, state, attempts, next_attempt_at, created_at, updated_at) VALUES ('t1', 'create', 'r1', ?, 0, 0, 0, 0)`;

test('an upgraded store keeps the newest unfinished row of a target; the schema then refuses a second one', (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  // The migrations before the one-live-row rule: a store as the app left it until then.
  const before = join(dir.path, 'migrations-before');
  mkdirSync(before);
  const files = readdirSync(defaultMigrationsDir).sort();
  for (const file of files.slice(0, files.findIndex((f) => f.endsWith('_outbox_one_live_row.sql')))) copyFileSync(join(defaultMigrationsDir, file), join(before, file));
  const path = join(dir.path, 'store.sqlite');
  const old = openDatabase(path, { migrationsDir: before }).db;
  old.exec(`INSERT INTO clusters (id, name, base_url, auth_kind, secret_sealed, created_at, updated_at) VALUES ('c1', 'one', 'http://x', 'api_key', 's', 0, 0);
            INSERT INTO drafts (id, name, current_version, created_at, updated_at) VALUES ('d1', 'Carrier', 1, 0, 0);
            INSERT INTO draft_targets (id, draft_id, cluster_id, scope, created_at, updated_at) VALUES ('t1', 'd1', 'c1', 'global', 0, 0);`);
  // What two applies at once used to leave: a row in flight and a newer queued one for the same target.
  old.prepare(ROW).run('in_flight');
  old.prepare(ROW).run('queued');
  old.close();

  const { db } = openDatabase(path);
  t.after(() => db.close());
  const rows = db.prepare('SELECT id, state FROM outbox ORDER BY id').all();
  assert.deepEqual(rows, [{ id: 1, state: 'superseded' }, { id: 2, state: 'queued' }]);
  assert.throws(() => db.prepare(ROW).run('queued'), /UNIQUE constraint failed/);
  assert.throws(() => db.prepare(ROW).run('in_flight'), /UNIQUE constraint failed/);
  // Finished rows are history: any number of them.
  db.prepare("UPDATE outbox SET state = 'done' WHERE id = 2").run();
  db.prepare(ROW).run('done');
  db.prepare(ROW).run('queued');
  assert.equal((db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state IN ('queued', 'in_flight')").get() as { n: number }).n, 1);
});

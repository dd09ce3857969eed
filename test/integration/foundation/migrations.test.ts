// The local store: migrations fresh and from every earlier version, edited migration and newer store refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../../electron/core/db/open.ts';
import { defaultMigrationsDir, loadMigrations, DatabaseFromNewerAppError, EditedMigrationError } from '../../../electron/core/db/migrate.ts';
import { tempDir } from '../../support/temp.ts';

const all = loadMigrations();

function migrationsUpTo(dir: string, n: number): string {
  const out = join(dir, `migrations-${n}`);
  mkdirSync(out);
  for (const file of readdirSync(defaultMigrationsDir).sort().slice(0, n)) copyFileSync(join(defaultMigrationsDir, file), join(out, file));
  return out;
}

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}

test('a fresh store gets every migration, WAL, foreign keys and a busy timeout', (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const { db, migration } = openDatabase(join(dir.path, 'a.sqlite'));
  t.after(() => db.close());
  assert.equal(migration.from, 0);
  assert.equal(migration.to, all.length);
  assert.deepEqual(migration.applied, all.map((m) => m.name));
  assert.equal(db.pragma('user_version', { simple: true }), all.length);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.equal(db.pragma('busy_timeout', { simple: true }), 5000);
  assert.ok(tables(db).includes('clusters'));
  assert.ok(tables(db).includes('settings'));
});

test('a store at every earlier version upgrades to the latest and keeps its data', (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  for (let k = 1; k < all.length + 1; k++) {
    const path = join(dir.path, `v${k}.sqlite`);
    const first = openDatabase(path, { migrationsDir: migrationsUpTo(dir.path, k) });
    assert.equal(first.db.pragma('user_version', { simple: true }), k);
    first.db
      .prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('kept', '\"yes\"', 1)")
      .run();
    first.db.close();
    const second = openDatabase(path);
    assert.equal(second.migration.from, k);
    assert.deepEqual(second.migration.applied, all.slice(k).map((m) => m.name));
    assert.equal(second.db.pragma('user_version', { simple: true }), all.length);
    assert.equal((second.db.prepare("SELECT value_json FROM settings WHERE key = 'kept'").get() as { value_json: string }).value_json, '"yes"');
    second.db.close();
  }
});

test('reopening an up-to-date store applies nothing', (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const path = join(dir.path, 'a.sqlite');
  openDatabase(path).db.close();
  const again = openDatabase(path);
  t.after(() => again.db.close());
  assert.deepEqual(again.migration.applied, []);
});

test('an applied migration that was edited is refused with a clear message', (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const migrations = migrationsUpTo(dir.path, all.length);
  const path = join(dir.path, 'a.sqlite');
  openDatabase(path, { migrationsDir: migrations }).db.close();
  const file = join(migrations, readdirSync(migrations).sort()[0]!);
  writeFileSync(file, readFileSync(file, 'utf8') + '\n-- edited\nCREATE TABLE sneaky (x INTEGER) STRICT;\n');
  assert.throws(() => openDatabase(path, { migrationsDir: migrations }), (e: unknown) => {
    assert.ok(e instanceof EditedMigrationError);
    assert.match(e.message, /0001_init was changed after it had been applied/);
    return true;
  });
  // Nothing was changed: the sneaky table does not exist.
  const db = new Database(path);
  t.after(() => db.close());
  assert.ok(!tables(db).includes('sneaky'));
});

test('a store written by a newer app is refused, not crashed on, and left untouched', (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const path = join(dir.path, 'a.sqlite');
  openDatabase(path).db.close();
  const raw = new Database(path);
  raw.pragma(`user_version = ${all.length + 5}`);
  raw.close();
  assert.throws(() => openDatabase(path), (e: unknown) => {
    assert.ok(e instanceof DatabaseFromNewerAppError);
    assert.equal(e.code, 'db_too_new');
    assert.match(e.message, /newer Carrier Desk/);
    return true;
  });
  const check = new Database(path);
  t.after(() => check.close());
  assert.equal(check.pragma('user_version', { simple: true }), all.length + 5);
});

test('a failing migration rolls back entirely and leaves the version where it was', (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const migrations = migrationsUpTo(dir.path, all.length);
  const bad = String(all.length + 1).padStart(4, '0');
  writeFileSync(join(migrations, `${bad}_broken.sql`), 'CREATE TABLE half_done (x INTEGER) STRICT;\nINSERT INTO no_such_table VALUES (1);\n');
  const path = join(dir.path, 'a.sqlite');
  assert.throws(() => openDatabase(path, { migrationsDir: migrations }), /no such table/);
  const db = new Database(path);
  t.after(() => db.close());
  assert.equal(db.pragma('user_version', { simple: true }), all.length);
  assert.ok(!tables(db).includes('half_done'));
});

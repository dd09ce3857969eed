// Numbered SQL migrations: applied in order, one transaction each, version in PRAGMA user_version,
// checksums of applied files kept so an edited migration is refused instead of silently diverging.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import { AppError } from '../errors.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationReport {
  from: number;
  to: number;
  applied: string[];
}

export class DatabaseFromNewerAppError extends AppError {
  constructor(dbVersion: number, appVersion: number) {
    super(
      'db_too_new',
      `This data folder was written by a newer Carrier Desk (store version ${dbVersion}, this app knows ${appVersion}). ` +
        'Update Carrier Desk, or start it with another --data-dir. Nothing was changed.',
      { dbVersion, appVersion },
    );
  }
}

export class EditedMigrationError extends AppError {
  constructor(name: string) {
    super(
      'migration_edited',
      `Migration ${name} was changed after it had been applied to this store. ` +
        'Applied migrations must never be edited: restore the file and add a new migration instead. Nothing was changed.',
      { name },
    );
  }
}

export const defaultMigrationsDir = fileURLToPath(new URL('./migrations/', import.meta.url));

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function loadMigrations(dir: string = defaultMigrationsDir): Migration[] {
  const list = readdirSync(dir)
    .map((file) => {
      const m = FILE_PATTERN.exec(file);
      if (!m) return null;
      const sql = readFileSync(join(dir, file), 'utf8');
      return { version: Number(m[1]), name: file.replace(/\.sql$/, ''), sql, checksum: checksumOf(sql) };
    })
    .filter((m): m is Migration => m !== null)
    .sort((a, b) => a.version - b.version);
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migrations must be numbered 0001, 0002, ... without gaps; found ${m.name}.`);
  });
  return list;
}

function checksumOf(sql: string): string {
  // Line endings must not change a checksum (a git checkout on Windows may rewrite them).
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

export function migrate(db: Database.Database, dir?: string): MigrationReport {
  const migrations = loadMigrations(dir);
  const latest = migrations.length;
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > latest) throw new DatabaseFromNewerAppError(from, latest);

  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const applied = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as {
    version: number;
    name: string;
    checksum: string;
  }[];
  for (const row of applied) {
    const known = migrations[row.version - 1];
    if (!known || known.checksum !== row.checksum) throw new EditedMigrationError(row.name);
  }

  const done: string[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  for (const m of migrations.slice(from)) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, m.checksum, Date.now());
      db.pragma(`user_version = ${m.version}`);
    })();
    done.push(m.name);
  }
  return { from, to: latest, applied: done };
}

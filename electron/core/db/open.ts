// Opens the local SQLite store with the house pragmas and brings its schema up to date.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, type MigrationReport } from './migrate.ts';

export type Db = Database.Database;

export interface OpenOptions {
  /** Folder of NNNN_name.sql files; defaults to the migrations shipped beside this module. */
  migrationsDir?: string;
  readonly?: boolean;
  /** Path of a better_sqlite3.node built for another runtime (the Electron app in development). */
  nativeBinding?: string;
}

export function openDatabase(path: string, opts: OpenOptions = {}): { db: Db; migration: MigrationReport } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { readonly: opts.readonly ?? false, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const migration = migrate(db, opts.migrationsDir);
    return { db, migration };
  } catch (e) {
    db.close();
    throw e;
  }
}

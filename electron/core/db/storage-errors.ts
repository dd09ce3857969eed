// SQLite's own error texts ("attempt to write a readonly database", "disk I/O error", "database is locked", ...) as
// one sentence a person can act on. Used by toErrorValue (errors.ts), the one choke point every host goes through,
// so the CLI, the app and the number-list workers word them alike; the SQLite code and text stay in the details.

export interface StorageProblem {
  code: string;
  message: string;
}

const CHECK_FOLDER = 'Check that the data folder and the files in it (carrier-desk.sqlite and its -wal and -shm files) belong to you and are writable';

/** The sentence for a better-sqlite3 SqliteError (its `code` is SQLITE_*), or null for anything else. */
export function storageProblem(e: unknown): StorageProblem | null {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  // Extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED...) share their primary code's advice.
  const primary = /^SQLITE_[A-Z]+/.exec(code)?.[0];
  switch (primary) {
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
      return { code: 'storage_readonly', message: `Carrier Desk cannot write to its data folder: the database is read-only. ${CHECK_FOLDER}, and that the disk is not mounted read-only.` };
    case 'SQLITE_CANTOPEN':
      return { code: 'storage_unavailable', message: `Carrier Desk cannot open its database in the data folder. ${CHECK_FOLDER}, and that the folder still exists (a removed disk or network share?).` };
    case 'SQLITE_IOERR':
      return { code: 'storage_io', message: 'Reading or writing the data folder failed (a disk error). Check the disk or network share holding it and that it has free space, then try again.' };
    case 'SQLITE_FULL':
      return { code: 'storage_full', message: 'The disk holding the data folder is full. Free some space, then try again; what was saved before is kept.' };
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return { code: 'storage_busy', message: 'The data folder is busy: another Carrier Desk process (the app, a command or `watch`) held the database too long. Try again in a moment.' };
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return {
        code: 'storage_damaged',
        message: 'The database file carrier-desk.sqlite is damaged or is not a Carrier Desk database. Restore it from a backup, or move it away (with its -wal and -shm files) to start with an empty one.',
      };
    default:
      return null;
  }
}

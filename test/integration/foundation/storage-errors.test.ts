// Integration (issue 15 item 9): SQLite's own texts become a sentence that says what to do, at the one choke point
// every host goes through, with SQLite's code kept in the details. Each case is a real SQLite condition on a real
// store: a read-only store (query_only, and a folder the user may not write: the CLI run as another user, since tests
// run as root and root writes anywhere), a full one (max_page_count), a locked one (another connection holds the write
// lock) and a damaged file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createCore, DB_FILE } from '../../../electron/core/index.ts';
import { FileKeyBox } from '../../../electron/core/secrets/file-key-box.ts';
import { tempDir } from '../../support/temp.ts';
import { canRunCliAs, runCliProcess } from '../../support/cli.ts';

const AS_ROOT = process.getuid?.() === 0;
const NOBODY = 65534;
/** Root can meet a file mode only through another user, who must be able to reach this checkout. */
const OTHER_USER_BLOCKED = AS_ROOT && !canRunCliAs(NOBODY);

async function cli(dataDir: string, args: string[], asOther = false): Promise<{ status: number | null; stderr: string }> {
  const r = await runCliProcess(['--data-dir', dataDir, ...args], asOther && AS_ROOT ? { uid: NOBODY } : {});
  return { status: r.code, stderr: r.err };
}

const BIG_DOC = { name: 'Big', rules: ['^\\+?(\\d+)$'], notes: 'x'.repeat(200_000) };

test('read-only, full and locked stores answer a sentence with what to do; SQLite code kept in the details', async (t) => {
  const dir = tempDir();
  t.after(() => dir.remove());
  const core = createCore({ dataDir: dir.path, secrets: new FileKeyBox(dir.path) });
  t.after(() => core.close());
  const create = (name: string) => core.dispatch('drafts.create', { name, from: { kind: 'json', doc: { ...BIG_DOC, name } } });

  core.db.pragma('query_only = 1');
  const readonly = await create('A');
  assert.ok(!readonly.ok);
  assert.equal(readonly.error.code, 'storage_readonly');
  assert.match(readonly.error.message, /^Carrier Desk cannot write to its data folder: the database is read-only\. Check that the data folder .* writable/);
  assert.deepEqual((readonly.error.details as { sqliteCode: string }).sqliteCode, 'SQLITE_READONLY');
  core.db.pragma('query_only = 0');

  const pages = core.db.pragma('page_count', { simple: true }) as number;
  core.db.pragma(`max_page_count = ${pages}`);
  const full = await create('B');
  assert.ok(!full.ok);
  assert.equal(full.error.code, 'storage_full');
  assert.match(full.error.message, /disk holding the data folder is full\. Free some space/);
  core.db.pragma('max_page_count = 1073741823');
  assert.equal((await core.dispatch('drafts.list', {})).ok, true, 'nothing saved before was harmed');

  // Another process holds the write lock longer than the store waits.
  const other = new Database(join(dir.path, DB_FILE));
  t.after(() => other.close());
  other.exec('BEGIN IMMEDIATE');
  core.db.pragma('busy_timeout = 50');
  const locked = await create('C');
  other.exec('ROLLBACK');
  assert.ok(!locked.ok);
  assert.equal(locked.error.code, 'storage_busy');
  assert.match(locked.error.message, /data folder is busy: another Carrier Desk process .* Try again in a moment/);
  assert.equal((await create('D')).ok, true, 'once the lock is gone the same call works');
});

test('the CLI on a damaged store or a folder it may not write says so in one line naming the folder', { timeout: 300_000 }, async (t) => {
  const damaged = tempDir();
  t.after(() => damaged.remove());
  writeFileSync(join(damaged.path, DB_FILE), 'this is not a database'.repeat(300));
  const r1 = await cli(damaged.path, ['drafts', 'list']);
  assert.equal(r1.status, 1);
  assert.match(r1.stderr, /^carrier-desk: The database file carrier-desk\.sqlite is damaged or is not a Carrier Desk database\. Restore it from a backup, or move it away .* Data folder: \S+\n$/);

  if (OTHER_USER_BLOCKED) {
    t.skip('running as root in a checkout user nobody cannot reach: the file-mode cases need another user');
    return;
  }
  const ro = tempDir();
  t.after(() => ro.remove());
  const setup = await cli(ro.path, ['drafts', 'create', '--name', 'Kept']);
  assert.equal(setup.status, 0, setup.stderr);
  if (AS_ROOT) {
    // The folder and the store stay root's (readable, not writable, by the other user), who owns only its key file.
    chmodSync(ro.path, 0o755);
    chownSync(join(ro.path, 'secret.key'), NOBODY, NOBODY);
    chmodSync(join(ro.path, 'logs'), 0o777);
    for (const f of readdirSync(join(ro.path, 'logs'))) chmodSync(join(ro.path, 'logs', f), 0o666);
  } else {
    for (const f of readdirSync(ro.path)) if (f.startsWith(DB_FILE)) chmodSync(join(ro.path, f), 0o444);
    chmodSync(ro.path, 0o555);
    t.after(() => chmodSync(ro.path, 0o755));
  }
  const r2 = await cli(ro.path, ['drafts', 'create', '--name', 'New'], true);
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /^carrier-desk: Carrier Desk cannot write to its data folder: the database is read-only\. Check that the data folder .*writable.* Data folder: \S+\n$/);
  assert.doesNotMatch(r2.stderr, /attempt to write a readonly database|SqliteError|\n\s+at /);
});

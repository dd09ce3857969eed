// Owns the settings table: small JSON values by key. A stored value that the settings catalogue no longer
// accepts (written by hand or by an older version) reads as the fallback rather than breaking its reader.
import type { Db } from '../open.ts';
import { settingSpec, type SettingKey } from '../../../shared/settings.ts';
import { readJson } from '../../../shared/json-limits.ts';
import { ReadCache } from './read-cache.ts';

/** Far above any setting's value; a stored text past it (or not JSON, or nested absurdly) reads as the fallback. */
const MAX_SETTING_CHARS = 64 * 1024;

export class SettingsRepo {
  private readonly getStmt;
  private readonly setStmt;
  private readonly deleteStmt;
  /** Values as last read (null: not set, or not acceptable), by key; set and remove forget them (read-cache.ts). */
  private readonly kept: ReadCache<{ value: unknown } | null>;

  constructor(db: Db) {
    this.kept = new ReadCache(db);
    this.getStmt = db.prepare<[string], { value_json: string }>('SELECT value_json FROM settings WHERE key = ?');
    this.setStmt = db.prepare(
      'INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at',
    );
    this.deleteStmt = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');
  }

  get<T>(key: string, fallback: T): T {
    // Read before every request (the reply limits): kept while nothing wrote the settings.
    const kept = this.kept.get(key, () => this.read(key));
    return kept ? (kept.value as T) : fallback;
  }

  private read(key: string): { value: unknown } | null {
    const row = this.getStmt.get(key);
    if (!row) return null;
    const read = readJson(row.value_json, { what: `The setting ${key}`, maxChars: MAX_SETTING_CHARS });
    if (!read.ok) return null;
    const spec = settingSpec(key);
    return spec && !spec.schema.safeParse(read.value).success ? null : { value: read.value };
  }

  /** The value in force for a catalogue setting: the one set, else the catalogue's default. */
  current<T>(key: SettingKey): T {
    return this.get<T>(key, settingSpec(key)?.default as T);
  }

  has(key: string): boolean {
    return this.getStmt.get(key) !== undefined;
  }

  set(key: string, value: unknown, now: number): void {
    this.kept.clear();
    this.setStmt.run(key, JSON.stringify(value ?? null), now);
  }

  remove(key: string): void {
    this.kept.clear();
    this.deleteStmt.run(key);
  }
}

// Owns the settings table: small JSON values by key.
import type { Db } from '../open.ts';

export class SettingsRepo {
  private readonly getStmt;
  private readonly allStmt;
  private readonly setStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { value_json: string }>('SELECT value_json FROM settings WHERE key = ?');
    this.allStmt = db.prepare<[], { key: string; value_json: string }>('SELECT key, value_json FROM settings ORDER BY key');
    this.setStmt = db.prepare(
      'INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at',
    );
  }

  get<T>(key: string, fallback: T): T {
    const row = this.getStmt.get(key);
    return row ? (JSON.parse(row.value_json) as T) : fallback;
  }

  all(): Record<string, unknown> {
    return Object.fromEntries(this.allStmt.all().map((r) => [r.key, JSON.parse(r.value_json)]));
  }

  set(key: string, value: unknown, now: number): void {
    this.setStmt.run(key, JSON.stringify(value ?? null), now);
  }
}

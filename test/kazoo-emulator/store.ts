// In-memory cluster state (accounts, users, CouchDB-like databases, numbers, config) built from a seed,
// with JSON persistence for --state FILE.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { storedConfigDoc } from './routing-config.ts';
import type { AccountRec, Config, Doc, JsonObject, NumberRec, Seed, UserRec } from './types.ts';

export const GREGORIAN_OFFSET_S = 62167219200;
export const toGregorian = (ms: number): number => Math.floor(ms / 1000) + GREGORIAN_OFFSET_S;

export const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
export const sha1 = (s: string): string => createHash('sha1').update(s).digest('hex');

export function accountDb(accountId: string): string {
  return `account%2F${accountId.slice(0, 2)}%2F${accountId.slice(2, 4)}%2F${accountId.slice(4)}`;
}
export function modbName(accountId: string, yyyymm: string): string {
  return `${accountDb(accountId)}-${yyyymm}`;
}
export function yyyymm(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Account name as Kazoo normalises it for user_auth lookups (kzd_accounts:normalize_name). */
export const normalizeName = (n: string): string => n.toLowerCase().replace(/[^a-z0-9]/g, '');

interface Persisted {
  version: 1;
  masterAccountId: string;
  config: Config;
  accounts: AccountRec[];
  users: UserRec[];
  dbs: Record<string, Doc[]>;
  numbers: NumberRec[];
  portRequests: { number: string; account_id?: string }[];
  tokenSecret: string;
  tokenEpoch: number;
  systemConfigs?: Record<string, JsonObject>;
}

export class Store {
  masterAccountId = '';
  config!: Config;
  accounts = new Map<string, AccountRec>();
  users = new Map<string, UserRec>();
  dbs = new Map<string, Map<string, Doc>>();
  numbers = new Map<string, NumberRec>();
  portRequests = new Map<string, { number: string; account_id?: string }>();
  /** system_config documents (`{default: {...}, <node>: {...}}`) used for routing: number_manager, stepswitch. */
  systemConfigs = new Map<string, JsonObject>();
  tokenSecret = randomBytes(32).toString('hex');
  tokenEpoch = 0;

  private onChange: () => void = () => {};

  setOnChange(fn: () => void): void {
    this.onChange = fn;
  }
  changed(): void {
    this.onChange();
  }

  static fromSeed(seed: Seed, nowMs: number, withDefaults: (doc: JsonObject) => JsonObject = (d) => d): Store {
    const s = new Store();
    const created = toGregorian(nowMs);
    if (!seed || typeof seed.master_account_id !== 'string' || !Array.isArray(seed.accounts)) {
      throw new Error('seed: "master_account_id" (string) and "accounts" (array) are required');
    }
    s.masterAccountId = seed.master_account_id;
    const c = seed.config ?? {};
    s.config = {
      job_recovery_timeout_s: c.job_recovery_timeout_s ?? 21600,
      job_recovery_threshold_s: c.job_recovery_threshold_s ?? 3600,
      token_lifetime_s: c.token_lifetime_s ?? 3600,
      page_size: c.page_size ?? 50,
      allow_peers: c.allow_peers ?? false,
      ...(c.phonebook_url ? { phonebook_url: c.phonebook_url } : {}),
    };
    for (const [i, a] of seed.accounts.entries()) {
      if (typeof a.id !== 'string' || typeof a.name !== 'string') throw new Error(`seed: accounts[${i}] needs "id" and "name"`);
      s.accounts.set(a.id, {
        id: a.id,
        name: a.name,
        realm: a.realm ?? `${normalizeName(a.name) || a.id.slice(0, 8)}.sip.example.com`,
        ...(a.parent_id ? { parent_id: a.parent_id } : {}),
        tree: [],
        superduper_admin: a.superduper_admin ?? false,
        reseller: a.reseller ?? false,
        allow_number_additions: a.allow_number_additions ?? false,
        enabled: a.enabled ?? true,
        ...(a.api_key ? { api_key: a.api_key } : {}),
        created,
      });
    }
    if (!s.accounts.has(s.masterAccountId)) throw new Error(`seed: master_account_id ${s.masterAccountId} is not in "accounts"`);
    for (const a of s.accounts.values()) {
      const tree: string[] = [];
      let p = a.parent_id;
      const seen = new Set<string>();
      while (p && !seen.has(p)) {
        seen.add(p);
        tree.unshift(p);
        p = s.accounts.get(p)?.parent_id;
      }
      a.tree = tree;
      s.db(accountDb(a.id));
    }
    for (const [i, u] of (seed.users ?? []).entries()) {
      if (!s.accounts.has(u.account_id)) throw new Error(`seed: users[${i}].account_id ${u.account_id} is not a seeded account`);
      s.addUser(u.id, u.account_id, u.username, u.password, u.priv_level ?? 'admin', u.first_name, u.last_name);
    }
    for (const [i, r] of (seed.resources ?? []).entries()) {
      const { account_id, id, ...fields } = r;
      if (typeof id !== 'string') throw new Error(`seed: resources[${i}] needs an "id"`);
      if (account_id && !s.accounts.has(account_id)) throw new Error(`seed: resources[${i}].account_id ${account_id} is not a seeded account`);
      const dbName = account_id ? accountDb(account_id) : 'offnet';
      s.save(dbName, {
        ...withDefaults(fields), _id: id, _rev: '', pvt_type: 'resource', pvt_vsn: '1', pvt_account_db: dbName,
        ...(account_id ? { pvt_account_id: account_id } : {}), pvt_created: created, pvt_modified: created,
      });
    }
    for (const n of seed.numbers ?? []) {
      s.numbers.set(n.number, {
        number: n.number, account_id: n.account_id, state: n.state, module: n.module ?? 'knm_local',
        ...(n.resource_id ? { resource_id: n.resource_id } : {}), created, modified: created, features: [],
      });
    }
    for (const p of seed.port_requests ?? []) {
      const rec = typeof p === 'string' ? { number: p } : p;
      s.portRequests.set(rec.number, rec);
    }
    for (const [id, doc] of Object.entries(seed.system_configs ?? {})) {
      try {
        s.systemConfigs.set(id, storedConfigDoc(id, doc));
      } catch (e) {
        throw new Error(`seed: ${(e as Error).message}`);
      }
    }
    s.db('offnet');
    return s;
  }

  addUser(id: string, accountId: string, username: string, password: string, priv: string, first?: string, last?: string): void {
    const creds = `${username.toLowerCase()}:${password}`;
    this.users.set(id, {
      id, account_id: accountId, username, md5: md5(creds), sha1: sha1(creds), priv_level: priv, enabled: true,
      ...(first ? { first_name: first } : {}), ...(last ? { last_name: last } : {}),
    });
  }

  db(name: string): Map<string, Doc> {
    let d = this.dbs.get(name);
    if (!d) {
      d = new Map();
      this.dbs.set(name, d);
    }
    return d;
  }

  get(dbName: string, id: string): Doc | undefined {
    return this.dbs.get(dbName)?.get(id);
  }

  /** Save with a fresh CouchDB-style revision `N-md5`. */
  save(dbName: string, doc: Doc): Doc {
    const prev = this.get(dbName, doc._id);
    const n = prev ? parseInt(prev._rev, 10) + 1 : 1;
    const { _rev: _ignored, ...body } = doc;
    const saved = { ...body, _rev: `${n}-${md5(JSON.stringify(body) + n)}` } as Doc;
    this.db(dbName).set(doc._id, saved);
    this.changed();
    return saved;
  }

  hardDelete(dbName: string, id: string): void {
    this.dbs.get(dbName)?.delete(id);
    this.changed();
  }

  isSuperDuper(accountId: string): boolean {
    return this.accounts.get(accountId)?.superduper_admin === true;
  }

  /** True when `ancestor` is `accountId` itself or one of its ancestors. */
  isAncestorOrSelf(ancestor: string, accountId: string): boolean {
    const a = this.accounts.get(accountId);
    return !!a && (a.id === ancestor || a.tree.includes(ancestor));
  }

  resellerOf(accountId: string): string {
    const a = this.accounts.get(accountId);
    if (!a) return this.masterAccountId;
    for (const id of [...a.tree].reverse()) if (this.accounts.get(id)?.reseller) return id;
    return this.masterAccountId;
  }

  toJSON(): Persisted {
    const dbs: Record<string, Doc[]> = {};
    for (const [name, d] of this.dbs) dbs[name] = [...d.values()];
    return {
      version: 1, masterAccountId: this.masterAccountId, config: this.config, accounts: [...this.accounts.values()],
      users: [...this.users.values()], dbs, numbers: [...this.numbers.values()], portRequests: [...this.portRequests.values()],
      tokenSecret: this.tokenSecret, tokenEpoch: this.tokenEpoch, systemConfigs: Object.fromEntries(this.systemConfigs),
    };
  }

  static fromJSON(p: Persisted): Store {
    const s = new Store();
    s.masterAccountId = p.masterAccountId;
    s.config = p.config;
    for (const a of p.accounts) s.accounts.set(a.id, a);
    for (const u of p.users) s.users.set(u.id, u);
    for (const [name, docs] of Object.entries(p.dbs)) s.dbs.set(name, new Map(docs.map((d) => [d._id, d])));
    for (const n of p.numbers) s.numbers.set(n.number, n);
    for (const r of p.portRequests) s.portRequests.set(r.number, r);
    s.tokenSecret = p.tokenSecret;
    s.tokenEpoch = p.tokenEpoch;
    for (const [id, doc] of Object.entries(p.systemConfigs ?? {})) s.systemConfigs.set(id, doc);
    return s;
  }

  static load(path: string): Store | undefined {
    if (!existsSync(path)) return undefined;
    let parsed: Persisted;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8')) as Persisted;
    } catch (e) {
      throw new Error(`state file ${path} is not valid JSON (${(e as Error).message}); delete it or pass another --state`);
    }
    if (parsed.version !== 1) throw new Error(`state file ${path}: unknown version ${String(parsed.version)}`);
    return Store.fromJSON(parsed);
  }

  saveTo(path: string): void {
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.toJSON()));
    renameSync(tmp, path);
  }
}

/** Public view of a stored doc: `_id`→`id`, `_rev`, `_*` (except `_read_only`) and `pvt_*` removed. */
export function publicFields(doc: Doc | JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === '_read_only') out[k] = v;
    else if (k.startsWith('_') || k.startsWith('pvt_')) continue;
    else out[k] = v;
  }
  if (typeof doc['_id'] === 'string') out['id'] = doc['_id'];
  return out;
}

/** Private fields only (`_id`, `_rev`, `pvt_*`), as crossbar_doc:load_merge keeps them. */
export function privateFields(doc: Doc): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(doc)) if (k.startsWith('_') || k.startsWith('pvt_')) out[k] = v;
  return out;
}

/** Strip `_*`/`pvt_*` keys from request data (kz_doc:public_fields) and keep `id` (from `id` or `_id`). */
export function requestPublic(data: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(data)) if (!k.startsWith('_') && !k.startsWith('pvt_')) out[k] = v;
  const id = data['id'] ?? data['_id'];
  if (id === null || id === undefined) delete out['id'];
  else out['id'] = id;
  return out;
}

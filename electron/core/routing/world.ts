// A world compiled once for many requests: input checked, classifier table and converters compiled, each database's
// resources loaded on first use (global, or one account's), and the account tree indexed for hunt checks (§2.1).
import { ClassifierTable } from './classifiers.ts';
import { readStepswitchConfig, type StepswitchConfig } from './config.ts';
import { Normaliser } from './e164.ts';
import { WorldInputError } from './failure.ts';
import { docId, isObject } from './kz-json.ts';
import { loadScope, type LoadedScope } from './load.ts';
import type { AccountRef, JsonObject, RoutingFlavor, World } from './types.ts';

export interface ScopeDoc {
  doc: JsonObject;
  /** The account of an account-local document; undefined for a global one. */
  accountId?: string;
}

export class WorldState {
  readonly flavor: RoutingFlavor;
  readonly config: StepswitchConfig;
  readonly table: ClassifierTable;
  readonly normaliser: Normaliser;
  readonly docs: ScopeDoc[];
  readonly accounts: Map<string, AccountRef>;
  readonly onNet: Set<string>;
  private readonly scopes = new Map<string, LoadedScope>();

  constructor(world: World) {
    if (world.flavor !== '4.3' && world.flavor !== '5.0') throw new WorldInputError('flavor', `Unknown Kazoo flavor ${JSON.stringify(world.flavor)}: use 4.3 or 5.0.`);
    this.flavor = world.flavor;
    this.config = readStepswitchConfig(world.stepswitch);
    this.table = new ClassifierTable(world.flavor, world.classifiers);
    this.normaliser = new Normaliser(world.e164Converters);
    this.docs = checkResources(world.resources);
    this.accounts = new Map((world.accounts ?? []).map((a) => [a.id, a]));
    this.onNet = new Set(world.onNetNumbers ?? []);
  }

  /** The loaded resources of the global database (key '') or of one account's database. */
  scope(accountId?: string): LoadedScope {
    const key = accountId ?? '';
    let s = this.scopes.get(key);
    if (!s) {
      const docs = this.docs.filter((d) => (d.accountId ?? '') === key).map((d) => d.doc);
      s = loadScope(docs, { flavor: this.flavor, table: this.table, config: this.config, global: accountId === undefined });
      this.scopes.set(key, s);
    }
    return s;
  }

  /**
   * kzd_accounts:is_in_account_hierarchy(Hunt, Account, true): the hunt account is the calling account or one of its
   * ancestors. 'unknown' when the account tree given does not say.
   */
  huntAllowed(hunt: string, account: string | undefined): boolean | 'unknown' {
    if (account !== undefined && hunt === account) return true;
    if (account === undefined) return 'unknown';
    const a = this.accounts.get(account);
    if (!a) return 'unknown';
    if (a.tree) return a.tree.includes(hunt);
    const seen = new Set<string>([account]);
    let parent = a.parent_id ?? undefined;
    while (parent && !seen.has(parent)) {
      if (parent === hunt) return true;
      seen.add(parent);
      const p = this.accounts.get(parent);
      // The parent's own ancestors are not in the list: the hunt account may still be one of them.
      if (!p) return 'unknown';
      parent = p.parent_id ?? undefined;
    }
    return false;
  }
}

/** Resources as given: objects with an id, unique per database; CouchDB view rows ({doc: ...}) are unwrapped. */
function checkResources(list: readonly unknown[]): ScopeDoc[] {
  if (!Array.isArray(list)) throw new WorldInputError('resources', '"resources" must be a list of resource documents.');
  const seen = new Set<string>();
  return list.map((raw, i) => {
    const doc = isObject(raw) && isObject(raw.doc) && raw.key !== undefined ? raw.doc : raw;
    if (!isObject(doc)) throw new WorldInputError('resources', `resources[${i}] is not a JSON object.`);
    const id = docId(doc);
    if (!id) throw new WorldInputError('resources', `resources[${i}]${typeof doc.name === 'string' ? ` (${doc.name})` : ''} has no "id" (or "_id").`);
    const acct = doc.account_id ?? doc.pvt_account_id;
    if (acct !== undefined && (typeof acct !== 'string' || acct === '')) throw new WorldInputError('resources', `resources[${i}] (${id}) has an "account_id" that is not an account id.`);
    const key = `${acct ?? ''}/${id}`;
    if (seen.has(key)) throw new WorldInputError('resources', `resources[${i}]: the id ${id} appears twice in the ${acct ? `account ${acct}` : 'global'} database.`);
    seen.add(key);
    return acct === undefined ? { doc } : { doc, accountId: acct as string };
  });
}

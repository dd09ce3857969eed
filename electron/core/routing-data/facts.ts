// The routing data a cluster serves, checked and reduced to what the simulator uses (routing-spec §10): the classifier
// table in runtime order, the stepswitch and number_manager settings of the `default` node (with the names of node
// sections that may override them), the account tree. A reply of the wrong shape is refused with a BadReplyError
// naming the field, so nothing cached is replaced by it. Pure: no I/O.
import { AppError } from '../errors.ts';
import { asBoolean, asNumber, isObject } from '../kazoo/coerce.ts';
import type { JsonObject, OrderedData } from '../kazoo/index.ts';

export class BadReplyError extends AppError {
  constructor(what: string, why: string) {
    super('bad_reply', `The cluster's ${what} has an unexpected shape (${why}); the data kept from the last good read is used.`);
  }
}

/** [name, entry] in the order the cluster classifies with (§3.2). */
export type ClassifierTable = [string, JsonObject][];

export interface ConfigFacts {
  /** The settings of the `default` node as Crossbar shows them (schema defaults filled in); ordered maps as pairs. */
  settings: JsonObject;
  /** Node or zone sections of the document: their values override `default` on that node (§10). */
  nodes: string[];
}

export interface AccountNode {
  id: string;
  parent_id: string | null;
  name?: string;
}

export interface FlavorFacts {
  flavor: '4.3' | '5.0';
  version?: string;
}

/** available_classifiers/0: every entry an object; `regex`, when present, a string (§3.2). */
export function classifierTable(reply: OrderedData): ClassifierTable {
  const what = 'classifier table (phone_numbers/classifiers)';
  if (!isObject(reply.data)) throw new BadReplyError(what, 'data is not an object');
  const entries = reply.entries([]) ?? Object.entries(reply.data);
  return entries.map(([name, entry]): [string, JsonObject] => {
    // The deprecated string form is turned into an object by Kazoo itself; accept it the same way.
    if (typeof entry === 'string') return [name, { regex: entry, friendly_name: name }];
    if (!isObject(entry)) throw new BadReplyError(what, `entry "${name}" is not an object`);
    if (entry.regex !== undefined && typeof entry.regex !== 'string') throw new BadReplyError(what, `"${name}".regex is not a string`);
    return [name, entry];
  });
}

type FieldType = 'number' | 'string' | 'boolean';

/** Settings stepswitch reads (§2.3, §5.6, §6.3, §8, Appendix B) and their types; others are kept as sent. */
const STEPSWITCH_FIELDS: Record<string, FieldType> = {
  route_by: 'string', default_weight: 'number', default_route: 'string', default_prefix: 'string', default_suffix: 'string',
  min_shortdial_correction: 'number', max_shortdial_correction: 'number', fixed_length_shortdial_correction: 'number',
  min_shortdial_destination: 'number', cid_rules_honor_diversions: 'boolean', ensure_valid_emergency_cid: 'boolean',
  deny_invalid_emergency_cid: 'boolean', default_emergency_cid_number: 'string', use_first_dedicated_proxy_only: 'boolean',
};

const NUMBER_MANAGER_FIELDS: Record<string, FieldType> = { reconcile_regex: 'string', converter: 'string' };

function coerce(value: unknown, type: FieldType): unknown {
  if (type === 'number') return asNumber(value);
  if (type === 'boolean') return asBoolean(value);
  // a numeric prefix is turned into text (§6.3)
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** A section key naming an Erlang node (`app@host`): its values override `default` on that node only. */
const isNodeKey = (k: string, v: unknown): boolean => k.includes('@') && isObject(v);

/**
 * GET /v2/system_configs/{stepswitch|number_manager}: the flat view Crossbar sends (or a document still nested under
 * `default`), checked field by field; ordered maps (e164_converters) keep the reply's order.
 */
export function configFacts(id: 'stepswitch' | 'number_manager', reply: OrderedData): ConfigFacts {
  const what = `system config ${id}`;
  if (!isObject(reply.data)) throw new BadReplyError(what, 'data is not an object');
  const root = reply.data;
  const nested = isObject(root.default);
  const flat: JsonObject = nested ? { ...(root.default as JsonObject), ...root } : { ...root };
  delete flat.default;
  delete flat.id;
  const nodes = Object.keys(flat).filter((k) => isNodeKey(k, flat[k]));
  for (const n of nodes) delete flat[n];
  const fields = id === 'stepswitch' ? STEPSWITCH_FIELDS : NUMBER_MANAGER_FIELDS;
  for (const [k, type] of Object.entries(fields)) {
    if (flat[k] === null) delete flat[k];
    if (flat[k] === undefined) continue;
    const v = coerce(flat[k], type);
    if (v === undefined) throw new BadReplyError(what, `${k} is not a ${type}`);
    flat[k] = v;
  }
  if (id === 'number_manager') {
    const pairsOf = (k: string): [string, unknown][] => {
      if (!isObject(flat[k])) throw new BadReplyError(what, `${k} is not an object`);
      const at = nested && root[k] === undefined ? ['default', k] : [k];
      return reply.entries(at) ?? Object.entries(flat[k] as JsonObject);
    };
    if (flat.e164_converters !== undefined) {
      const pairs = pairsOf('e164_converters');
      for (const [re, conv] of pairs) {
        if (!isObject(conv)) throw new BadReplyError(what, `e164_converters["${re}"] is not an object`);
        for (const k of ['prefix', 'suffix']) {
          if (conv[k] !== undefined && typeof conv[k] !== 'string') throw new BadReplyError(what, `e164_converters["${re}"].${k} is not a string`);
        }
      }
      flat.e164_converters = pairs;
    }
    // The stored table (or, when nothing is stored yet, the schema's alphabetical default, §10): the runtime order comes
    // from the phone_numbers table; this one only gives back entries master's classifier API stripped (§3.2, §9).
    if (flat.classifiers !== undefined) flat.classifiers = pairsOf('classifiers');
  }
  return { settings: flat, nodes };
}

/** The Kazoo flavor from the version an authenticated reply carries (4.x → 4.3 behaviour, 5.x → 5.0). */
export function flavorFacts(version: string | undefined, fallback: string | null): FlavorFacts | undefined {
  if (version && /^4\./.test(version)) return { flavor: '4.3', version };
  if (version && /^5\./.test(version)) return { flavor: '5.0', version };
  if (fallback === '4.3' || fallback === '5.0') return { flavor: fallback, ...(version ? { version } : {}) };
  return undefined;
}

function idOf(item: unknown, what: string, i: number): { id: string; name?: string } {
  if (!isObject(item) || typeof item.id !== 'string' || item.id === '') throw new BadReplyError(what, `item ${i} has no id`);
  return { id: item.id, ...(typeof item.name === 'string' ? { name: item.name } : {}) };
}

/**
 * The accounts the login sees with their parents (for hunt-account checks, §2.1): its ancestors (`parents`, root
 * first), itself, and its descendants (each with `tree`, ancestor ids root first).
 */
export function accountTree(login: { id: string; name?: string }, parents: unknown, descendants: unknown): AccountNode[] {
  if (!Array.isArray(parents)) throw new BadReplyError("account's parents", 'data is not a list');
  if (!Array.isArray(descendants)) throw new BadReplyError("account's descendants", 'data is not a list');
  const out = new Map<string, AccountNode>();
  const chain = parents.map((p, i) => idOf(p, "account's parents", i));
  chain.forEach((a, i) => out.set(a.id, { ...a, parent_id: chain[i - 1]?.id ?? null }));
  out.set(login.id, { id: login.id, parent_id: chain[chain.length - 1]?.id ?? null, ...(login.name ? { name: login.name } : {}) });
  descendants.forEach((d, i) => {
    const a = idOf(d, "account's descendants", i);
    const tree = (d as JsonObject).tree;
    if (!Array.isArray(tree) || !tree.every((x) => typeof x === 'string')) throw new BadReplyError("account's descendants", `item ${i} has no tree`);
    out.set(a.id, { ...a, parent_id: (tree[tree.length - 1] as string | undefined) ?? login.id });
  });
  return [...out.values()];
}

// The routing data of a simulated cluster (routing-spec §3, §10): the system_config documents `number_manager` and
// `stepswitch` with each branch's code defaults, E.164 normalisation with the configured converters, classification
// with the stored table in its stored order, and Kazoo's `available_classifiers/0` (friendly names filled in, with
// master's bug for entries without one). Ordered objects (classifier tables, converters) are kept as [key, value]
// pairs so that a name made only of digits keeps its place (JavaScript objects would move it to the front).
import type { Flavor, JsonObject } from './types.ts';

export type Pairs = [string, unknown][];

/** An object whose keys must be rendered in this order (see orderedJson). */
export class Ordered {
  constructor(readonly pairs: Pairs) {}
  get(key: string): unknown {
    return this.pairs.find(([k]) => k === key)?.[1];
  }
}

/** JSON text of a value in which Ordered instances keep their key order. */
export function orderedJson(v: unknown): string {
  if (v instanceof Ordered) return `{${v.pairs.map(([k, x]) => `${JSON.stringify(k)}:${orderedJson(x)}`).join(',')}}`;
  if (Array.isArray(v)) return `[${v.map(orderedJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => `${JSON.stringify(k)}:${orderedJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

const PP = 'SS(###) ### - ####';

/** KC ?DEFAULT_CLASSIFIERS of each branch, in code (precedence) order; 988 is emergency on 4.3 only (§3.2, §9). */
export function codeDefaultClassifiers(flavor: Flavor): Pairs {
  return [
    ['tollfree_us', { regex: '^\\+1((?:800|88\\d|877|866|855|844|833|822)\\d{7})$', friendly_name: 'US TollFree', pretty_print: PP }],
    ['toll_us', { regex: '^\\+1(900\\d{7})$', friendly_name: 'US Toll', pretty_print: PP }],
    ['emergency', {
      regex: flavor === '4.3' ? '^(911|922|933|988|833|811|711|999)$' : '^(911|922|933|833|811|711|999)$',
      emergency: true, friendly_name: 'Emergency Dispatcher',
    }],
    ['caribbean', {
      regex: '^\\+?1((?:684|264|268|242|246|441|284|345|767|809|829|849|473|671|876|664|670|787|939|869|758|784|721|868|649|340)\\d{7})$',
      friendly_name: 'Caribbean', pretty_print: PP,
    }],
    ['did_us', { regex: '^(\\+?1)?([2-9][0-9]{2}[2-9][0-9]{6})$', friendly_name: 'US DID', pretty_print: PP }],
    ['international', { regex: '^\\+([2-9]\\d{7,})$', friendly_name: 'International' }],
    ['unknown', { regex: '^(.*)$', friendly_name: 'Unknown' }],
  ];
}

/** number_manager.e164_converters defaults, identical on both branches (§3.1). */
export const DEFAULT_E164_CONVERTERS: Pairs = [
  ['^(\\+?1)?([2-9][0-9]{2}[2-9][0-9]{6})$', { prefix: '+1' }],
  ['^011(\\d{5,})$|^00(\\d{5,})$', { prefix: '+' }],
  ['^[2-9]\\d{7,}$', { prefix: '+' }],
];

/** Schema defaults Crossbar shows for keys absent from the stored `default` node (system_config.stepswitch.json). */
const STEPSWITCH_SCHEMA_DEFAULTS: JsonObject = {
  assume_inbound_e164: false, cid_rules_honor_diversions: false, default_audio_codecs: [], default_bypass_media: false,
  default_caller_id_type: 'external', default_codecs: [], default_prefix: '', default_progress_timeout: 8, default_suffix: '',
  default_video_codecs: [], default_weight: 3, deny_emergency_bridge_cause: 'Emergency service not configured',
  deny_emergency_bridge_code: 486, deny_invalid_emergency_cid: false, ensure_valid_emergency_cid: false, format_from_uri: false,
  max_shortdial_correction: 5, min_shortdial_correction: 2, route_by: 'stepswitch_resources', use_first_dedicated_proxy_only: true,
};

/** The schema default of number_manager (classifiers in the schema's alphabetical order, §3.2, §10). */
function numberManagerSchemaDefaults(flavor: Flavor): JsonObject {
  const alphabetical = [...codeDefaultClassifiers(flavor)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    available_module_name: 'knm_local', carrier_modules: ['knm_local'], classifiers: alphabetical, converters: ['regex'],
    default_force_outbound: false, e164_converters: DEFAULT_E164_CONVERTERS, force_local_outbound: true,
    force_port_in_outbound: true, force_port_out_outbound: true,
    reconcile_regex: '^(\\+?1)?\\d{10}$|^\\+[2-9]\\d{7,}$|^011\\d*$|^00\\d*$',
  };
}

export const ROUTING_CONFIG_IDS = ['number_manager', 'stepswitch'] as const;
export type RoutingConfigId = (typeof ROUTING_CONFIG_IDS)[number];
export const isRoutingConfigId = (id: string): id is RoutingConfigId => (ROUTING_CONFIG_IDS as readonly string[]).includes(id);

/** Keys whose value is an ordered object, stored as pairs. */
const ORDERED_KEYS = new Set(['classifiers', 'e164_converters']);

const isObj = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** An ordered object given as an object or as [[key, value], ...]; throws with a message naming the problem. */
export function toPairs(v: unknown, what: string): Pairs {
  if (isObj(v)) return Object.entries(v);
  if (Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string')) return v as Pairs;
  throw new Error(`${what} must be an object or a list of [name, value] pairs`);
}

/**
 * Normalises a system_config document given by a seed or the admin API to the stored form: `{default: {...},
 * <node>: {...}}` (a document without `default` is taken as the default node), ordered keys as pairs.
 */
export function storedConfigDoc(id: string, doc: unknown): JsonObject {
  if (!isObj(doc)) throw new Error(`system_configs/${id} must be a JSON object`);
  const withDefault = isObj(doc['default']) ? doc : { default: doc };
  const out: JsonObject = {};
  for (const [node, section] of Object.entries(withDefault)) {
    if (!isObj(section)) throw new Error(`system_configs/${id}: "${node}" must be an object`);
    const s: JsonObject = {};
    for (const [k, v] of Object.entries(section)) s[k] = ORDERED_KEYS.has(k) && v !== null ? toPairs(v, `system_configs/${id}.${node}.${k}`) : v;
    out[node] = s;
  }
  return out;
}

/** Merges `patch` into the default node; a null value removes the key. */
export function patchConfigDoc(id: string, doc: JsonObject, patch: unknown): JsonObject {
  if (!isObj(patch)) throw new Error(`system_configs/${id}: the patch must be a JSON object`);
  const next = storedConfigDoc(id, { ...doc, default: { ...(doc['default'] as JsonObject) } });
  const def = next['default'] as JsonObject;
  for (const [k, v] of Object.entries(storedConfigDoc(id, { default: patch })['default'] as JsonObject)) {
    if (v === null) delete def[k];
    else def[k] = v;
  }
  return next;
}

/** Access to the stored documents; `write` persists a change (kapps_config writes code defaults on first use). */
export interface ConfigStore {
  systemConfigs: Map<string, JsonObject>;
  changed(): void;
}

function defaultNode(store: ConfigStore, id: RoutingConfigId): JsonObject {
  let doc = store.systemConfigs.get(id);
  if (!doc) store.systemConfigs.set(id, (doc = { default: {} }));
  if (!isObj(doc['default'])) doc['default'] = {};
  return doc['default'] as JsonObject;
}

/** kapps_config:get/4 with a default: the code default is written into the document on first use (§3.2). */
function getOrWrite(store: ConfigStore, id: RoutingConfigId, key: string, fallback: () => Pairs): Pairs {
  const node = defaultNode(store, id);
  const v = node[key];
  if (Array.isArray(v)) return v as Pairs;
  const d = fallback();
  node[key] = d;
  store.changed();
  return d;
}

export const runtimeClassifiers = (store: ConfigStore, flavor: Flavor): Pairs =>
  getOrWrite(store, 'number_manager', 'classifiers', () => codeDefaultClassifiers(flavor));
export const runtimeConverters = (store: ConfigStore): Pairs =>
  getOrWrite(store, 'number_manager', 'e164_converters', () => DEFAULT_E164_CONVERTERS);

function compile(re: unknown): RegExp | undefined {
  if (typeof re !== 'string') return undefined;
  try {
    return new RegExp(re);
  } catch {
    return undefined;
  }
}

/** KR to_e164: `+…` kept; else the first converter that matches gives prefix + last captured group + suffix (§3.1). */
export function normalize(num: string, converters: Pairs): string {
  if (num.startsWith('+')) return num;
  for (const [re, conv] of converters) {
    const m = compile(re)?.exec(num);
    if (!m) continue;
    let cap = m[0];
    for (let i = m.length - 1; i >= 1; i--) {
      if (m[i] !== undefined) {
        cap = m[i]!;
        break;
      }
    }
    const c = isObj(conv) ? conv : {};
    return `${typeof c['prefix'] === 'string' ? c['prefix'] : ''}${cap}${typeof c['suffix'] === 'string' ? c['suffix'] : ''}`;
  }
  return num;
}

/** KC classify_number: the first classifier of the stored table whose regex matches anywhere (object without regex: `^$`). */
export function classify(e164: string, table: Pairs): string | undefined {
  for (const [name, entry] of table) {
    const re = typeof entry === 'string' ? entry : isObj(entry) && typeof entry['regex'] === 'string' ? entry['regex'] : '^$';
    if (compile(re)?.test(e164)) return name;
  }
  return undefined;
}

/**
 * KC available_classifiers/0 → correct_depreciated_classifiers/3: a string entry becomes {regex, friendly_name}; an
 * object without friendly_name gets one on 4.3, while master replaces it by the classifiers seen so far plus
 * friendly_name, losing its regex (§3.2, §9).
 */
export function availableClassifiers(table: Pairs, flavor: Flavor): Ordered {
  const acc: Pairs = [];
  const set = (k: string, v: unknown) => {
    const i = acc.findIndex(([x]) => x === k);
    if (i >= 0) acc[i] = [k, v];
    else acc.push([k, v]);
  };
  for (const [name, entry] of table) {
    if (typeof entry === 'string') set(name, { regex: entry, friendly_name: name });
    else if (isObj(entry) && entry['friendly_name'] === undefined) {
      if (flavor === '4.3') set(name, { ...entry, friendly_name: name });
      else set(name, new Ordered([...acc.map(([k, v]): [string, unknown] => [k, v]), ['friendly_name', name]]));
    } else set(name, entry);
  }
  return new Ordered(acc);
}

/** The reply of GET …/phone_numbers/classifiers/{number} (cb_phone_numbers classify_number/2). */
export function classifiedNumber(number: string, store: ConfigStore, flavor: Flavor): unknown {
  const e164 = normalize(number, runtimeConverters(store));
  const name = classify(e164, runtimeClassifiers(store, flavor));
  const base: Pairs = [['number', number], ['e164', e164]];
  if (name === undefined) return new Ordered(base);
  const entry = availableClassifiers(runtimeClassifiers(store, flavor), flavor).get(name);
  const own: Pairs = entry instanceof Ordered ? entry.pairs : isObj(entry) ? Object.entries(entry) : [];
  return new Ordered([...own.filter(([k]) => k !== 'name' && k !== 'number' && k !== 'e164'), ['name', name], ...base]);
}

/** GET /v2/system_configs/{id}: the default node over the schema defaults, plus the node sections (§10). */
export function configView(id: RoutingConfigId, store: ConfigStore, flavor: Flavor): Ordered {
  const doc = store.systemConfigs.get(id) ?? { default: {} };
  const defaults = id === 'stepswitch' ? STEPSWITCH_SCHEMA_DEFAULTS : numberManagerSchemaDefaults(flavor);
  const merged: JsonObject = { ...defaults, ...(isObj(doc['default']) ? doc['default'] : {}) };
  const section = (s: JsonObject): Pairs => Object.entries(s).map(([k, v]) => [k, ORDERED_KEYS.has(k) && Array.isArray(v) ? new Ordered(v as Pairs) : v]);
  const nodes: Pairs = Object.entries(doc).filter(([k, v]) => k !== 'default' && isObj(v)).map(([k, v]) => [k, new Ordered(section(v as JsonObject))]);
  return new Ordered([['id', id], ...section(merged), ...nodes]);
}

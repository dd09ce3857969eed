// Kazoo fills schema defaults into every stored document (and coerces "50" → 50); comparing a draft with what the
// cluster stored therefore needs the same filling, done here from the cluster's schema set (pure, no ajv).
// Each schema node is compiled once (per schema set) into a small plan. applyDefaults copies documents on the walk
// (parts the schema does not describe are shared, never mutated); the plan's normalizeResource copies only what
// filling changes, and normalizedEquals compares without a copy.
import { deepEqual, hashDoc, isObject, isPrivateKey, publicFields, type JsonObject } from './canonical.ts';
import { schemaPattern, type SchemaPattern } from './schema-regex.ts';

/** Schema documents by Kazoo id ('resources', 'endpoint.media', ...); `$ref` values are bare ids. */
export type SchemaSet = Readonly<Record<string, JsonObject>>;

interface Node {
  numeric: boolean;
  integerOnly: boolean;
  boolean: boolean;
  stringType: boolean;
  /** Sub-schemas of the declared properties. */
  propNodes: Map<string, Node | null>;
  /** Only the properties with a default (the walk visits present keys, then these). */
  defaults: Default[];
  patterns: Pattern[];
  items: Node | null;
}

interface Pattern {
  re: SchemaPattern;
  node: Node;
  /** Answers by key: documents repeat the same few keys (classifier names), and RE2 is slow to ask (bounded). */
  seen: Map<string, boolean>;
}

function matches(pat: Pattern, key: string): boolean {
  let hit = pat.seen.get(key);
  if (hit === undefined) {
    hit = pat.re.test(key);
    if (pat.seen.size < 1024) pat.seen.set(key, hit);
  }
  return hit;
}

interface Default {
  key: string;
  node: Node | null;
  def: unknown;
  /** The default as fill writes it, made on first use (see filledDefault). */
  filled?: unknown;
}

const compiled = new WeakMap<SchemaSet, Map<string, Node | null>>();

const setKeys = new WeakMap<SchemaSet, string>();
/**
 * The content key of a schema set: hashDoc of all its schemas. Sets are never changed once made (frozen, shared by the
 * clusters that have the same schemas), so each set object is hashed once in a process, not per document.
 */
export function schemaSetKey(set: SchemaSet): string {
  let key = setKeys.get(set);
  if (key === undefined) setKeys.set(set, (key = hashDoc(set)));
  return key;
}

function resolve(schema: unknown, set: SchemaSet, depth = 0): JsonObject | undefined {
  if (!isObject(schema)) return undefined;
  const ref = schema.$ref;
  if (typeof ref === 'string' && depth < 8) {
    const name = ref.replace(/^#?\/?/, '').replace(/\.json$/, '').split('#')[0] ?? '';
    return resolve(set[name], set, depth + 1);
  }
  return schema;
}

function compile(schemaIn: unknown, set: SchemaSet, seen: Map<JsonObject, Node>, depth: number): Node | null {
  const schema = resolve(schemaIn, set);
  if (!schema || depth > 24) return null;
  const hit = seen.get(schema);
  if (hit) return hit;
  const t = schema.type;
  const types = typeof t === 'string' ? [t] : Array.isArray(t) ? t.filter((x): x is string => typeof x === 'string') : [];
  const node: Node = {
    numeric: types.includes('integer') || types.includes('number'),
    integerOnly: types.includes('integer') && !types.includes('number'),
    boolean: types.includes('boolean'),
    stringType: types.includes('string'),
    propNodes: new Map(),
    defaults: [],
    patterns: [],
    items: null,
  };
  seen.set(schema, node);
  if (isObject(schema.properties)) {
    for (const [key, sub] of Object.entries(schema.properties)) {
      const rs = resolve(sub, set);
      const n = compile(sub, set, seen, depth + 1);
      node.propNodes.set(key, n);
      if (rs && 'default' in rs) node.defaults.push({ key, node: n, def: rs.default });
    }
  }
  if (isObject(schema.patternProperties)) {
    for (const [p, sub] of Object.entries(schema.patternProperties)) {
      // RE2, not RegExp: the key pattern comes from the cluster and must not be able to freeze this walk. Not asked
      // whether RE2 can run it here: an unchecked pattern matches no key (its test fails), as if it were left out,
      // and asking would load and run RE2 for every schema compiled (~6 ms of an apply before its first reply)
      // though most documents have no member a pattern describes (classifiers, custom SIP headers).
      const n = compile(sub, set, seen, depth + 1);
      if (n) node.patterns.push({ re: schemaPattern(p), node: n, seen: new Map() });
    }
  }
  if (isObject(schema.items)) node.items = compile(schema.items, set, seen, depth + 1);
  return node;
}

function rootNode(set: SchemaSet, root: string): Node | null {
  let m = compiled.get(set);
  if (!m) compiled.set(set, (m = new Map()));
  if (!m.has(root)) m.set(root, set[root] ? compile(set[root], set, new Map(), 0) : null);
  return m.get(root) ?? null;
}

/** Kazoo's lenient typing: numeric strings for integer/number fields, 'true'/'false' for booleans. */
function coerce(node: Node, value: string): unknown {
  if (node.stringType) return value;
  if (node.numeric && /^-?\d+(\.\d+)?$/.test(value.trim())) {
    const n = Number(value);
    if (!node.integerOnly || Number.isInteger(n)) return n;
  }
  if (node.boolean && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function copyDefault(v: unknown): unknown {
  return v !== null && typeof v === 'object' ? JSON.parse(JSON.stringify(v)) : v;
}

/** A default as fill writes it, made once per schema node and frozen: shared by every document that lacks it. */
function filledDefault(d: Default): unknown {
  if (!('filled' in d)) d.filled = deepFreeze(d.node ? fill(d.node, copyDefault(d.def)) : copyDefault(d.def));
  return d.filled;
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** The members of `value` before `stop` (all of them for null), as they are: where a shared walk starts its copy. */
function membersBefore(value: JsonObject, stop: string | null): JsonObject {
  const out: JsonObject = {};
  for (const k in value) {
    if (k === stop) break;
    out[k] = value[k];
  }
  return out;
}

/**
 * `publicOnly`: the root of a stored resource, whose Crossbar-owned keys are left out in the same walk.
 * `share`: an object or list that filling leaves as it is comes back as it is, not copied (and defaults are shared
 * frozen copies): for documents that are compared and hashed, never changed. Without it every described part is a
 * new object the caller may change.
 */
function fill(node: Node, value: unknown, publicOnly = false, share = false): unknown {
  if (typeof value === 'string') return coerce(node, value);
  if (Array.isArray(value)) {
    if (!node.items) return value;
    if (!share) return value.map((v) => fill(node.items!, v));
    let list: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const f = fill(node.items, value[i], false, true);
      if (list) list.push(f);
      else if (f !== value[i]) (list = value.slice(0, i)).push(f);
    }
    return list ?? value;
  }
  if (!isObject(value)) return value;
  // Shared: the copy begins at the first member that filling changes or leaves out.
  let out: JsonObject | null = share ? null : {};
  for (const key in value) {
    const skip = publicOnly && isPrivateKey(key);
    const raw = value[key];
    let v = raw;
    if (!skip) {
      const sub = node.propNodes.get(key);
      if (sub) v = fill(sub, v, false, share);
      else if (sub === undefined && node.patterns.length > 0) {
        for (const pat of node.patterns) if (matches(pat, key)) v = fill(pat.node, v, false, share);
      }
    }
    if (out === null) {
      // '__proto__' is copied like fill without sharing does (assigning it sets the copy's prototype).
      if (!skip && v === raw && key !== '__proto__') continue;
      out = membersBefore(value, key);
    }
    if (!skip) out[key] = v;
  }
  for (const d of node.defaults) {
    if ((out ?? value)[d.key] !== undefined) continue;
    out ??= membersBefore(value, null);
    if (share) out[d.key] = filledDefault(d);
    else {
      const v = copyDefault(d.def);
      out[d.key] = d.node ? fill(d.node, v) : v;
    }
  }
  return out ?? value;
}

/** A copy of doc with the schema's defaults filled in (and lenient types coerced), starting at schema `root`. */
export function applyDefaults(doc: JsonObject, set: SchemaSet, root = 'resources'): JsonObject {
  const node = rootNode(set, root);
  return (node ? fill(node, doc) : { ...doc }) as JsonObject;
}

/**
 * The version of what normalizeResource makes of a document. Bump it with any change to that (what fill, coerce or the
 * compiled schema nodes do): the plan names the document it sends by this, the draft's hash and the schema set's
 * (sync/plan.ts contentHashOf), so without a bump an outbox row queued by an earlier build would count as the same
 * change and be sent as that build filled it.
 */
export const NORMALIZED_VERSION = 'carrier-desk normalized resource 1';

/**
 * The comparable form of a resource: public fields only, with the cluster's defaults filled, in one walk. Parts that
 * need no filling are the document's own objects (a cluster's document mostly is already filled): neither the
 * result nor `doc` may be changed while the other is in use.
 */
export function normalizeResource(doc: JsonObject, set: SchemaSet): JsonObject {
  const node = rootNode(set, 'resources');
  return node ? (fill(node, doc, true, true) as JsonObject) : publicFields(doc);
}

/**
 * deepEqual(normalizeResource(doc, set), normalized) without building the normalized copy: the plan asks this of
 * every ancestor it compares with the cluster's document. It walks `doc` as fill does and compares on the way, so it
 * must follow fill step for step (a property test compares the two on varied documents).
 */
export function normalizedEquals(doc: JsonObject, normalized: unknown, set: SchemaSet): boolean {
  const node = rootNode(set, 'resources');
  return node ? fillEquals(node, doc, normalized, true) : deepEqual(publicFields(doc), normalized);
}

function fillEquals(node: Node, value: unknown, other: unknown, publicOnly = false): boolean {
  if (typeof value === 'string') return coerce(node, value) === other;
  if (Array.isArray(value)) {
    if (!node.items) return deepEqual(value, other);
    if (!Array.isArray(other) || other.length !== value.length) return false;
    for (let i = 0; i < value.length; i++) if (!fillEquals(node.items, value[i], other[i])) return false;
    return true;
  }
  if (!isObject(value)) return value === other;
  if (!isObject(other)) return false;
  // Defined members of the filled copy, less those of `other` (each of ours is compared; equal counts: same keys).
  let n = 0;
  for (const key in value) {
    if (publicOnly && isPrivateKey(key)) continue;
    // Assigning '__proto__' on a plain object sets its prototype: leave such a document to fill itself.
    if (key === '__proto__') return deepEqual(fill(node, value, publicOnly), other);
    const v = value[key];
    if (v === undefined) continue; // filled copy: undefined here too, then the default if there is one
    n++;
    const sub = node.propNodes.get(key);
    let same: boolean;
    if (sub) same = fillEquals(sub, v, other[key]);
    else if (sub === undefined && node.patterns.length > 0) same = patternEquals(node, key, v, other[key]);
    else same = deepEqual(v, other[key]);
    if (!same) return false;
  }
  for (const d of node.defaults) {
    if (value[d.key] !== undefined && !(publicOnly && isPrivateKey(d.key))) continue;
    n++;
    if (!deepEqual(filledDefault(d), other[d.key])) return false;
  }
  for (const k in other) if (other[k] !== undefined) n--;
  return n === 0;
}

/** A member described by patternProperties: fill applies every matching pattern in turn (several: built, then compared). */
function patternEquals(node: Node, key: string, v: unknown, other: unknown): boolean {
  let only: Node | null = null;
  let count = 0;
  for (const pat of node.patterns) {
    if (!matches(pat, key)) continue;
    only = pat.node;
    count++;
  }
  if (count === 0) return deepEqual(v, other);
  if (count === 1) return fillEquals(only!, v, other);
  let f = v;
  for (const pat of node.patterns) if (matches(pat, key)) f = fill(pat.node, f);
  return deepEqual(f, other);
}

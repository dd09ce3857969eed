// Kazoo fills schema defaults into every stored document (and coerces "50" → 50); comparing a draft with what the
// cluster stored therefore needs the same filling, done here from the cluster's schema set (pure, no ajv).
// Each schema node is compiled once (per schema set) into a small plan, and documents are copied on the walk:
// parts the schema does not describe are shared, never mutated.
import { isObject, isPrivateKey, publicFields, type JsonObject } from './canonical.ts';
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
  defaults: { key: string; node: Node | null; def: unknown }[];
  patterns: { re: SchemaPattern; node: Node }[];
  items: Node | null;
}

const compiled = new WeakMap<SchemaSet, Map<string, Node | null>>();

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
      // RE2, not RegExp: the key pattern comes from the cluster and must not be able to freeze this walk.
      const re = schemaPattern(p);
      const n = compile(sub, set, seen, depth + 1);
      if (re.checked && n) node.patterns.push({ re, node: n });
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

/** `publicOnly`: the root of a stored resource, whose Crossbar-owned keys are left out in the same walk. */
function fill(node: Node, value: unknown, publicOnly = false): unknown {
  if (typeof value === 'string') return coerce(node, value);
  if (Array.isArray(value)) return node.items ? value.map((v) => fill(node.items!, v)) : value;
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key in value) {
    if (publicOnly && isPrivateKey(key)) continue;
    let v = value[key];
    const sub = node.propNodes.get(key);
    if (sub) v = fill(sub, v);
    else if (sub === undefined && node.patterns.length > 0) {
      for (const pat of node.patterns) if (pat.re.test(key)) v = fill(pat.node, v);
    }
    out[key] = v;
  }
  for (const d of node.defaults) {
    if (out[d.key] !== undefined) continue;
    const v = copyDefault(d.def);
    out[d.key] = d.node ? fill(d.node, v) : v;
  }
  return out;
}

/** A copy of doc with the schema's defaults filled in (and lenient types coerced), starting at schema `root`. */
export function applyDefaults(doc: JsonObject, set: SchemaSet, root = 'resources'): JsonObject {
  const node = rootNode(set, root);
  return (node ? fill(node, doc) : { ...doc }) as JsonObject;
}

/** The comparable form of a resource: public fields only, with the cluster's defaults filled (one copy, not two). */
export function normalizeResource(doc: JsonObject, set: SchemaSet): JsonObject {
  const node = rootNode(set, 'resources');
  return node ? (fill(node, doc, true) as JsonObject) : publicFields(doc);
}

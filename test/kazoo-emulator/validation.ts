// Schema loading and validation the Kazoo way: draft-04 with defaults written into the document,
// string→integer/number/boolean coercion (cb_context:maybe_fix_js_types) and Kazoo's error objects.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv04Module from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Flavor, JsonObject } from './types.ts';

// ajv-draft-04 is CommonJS: under NodeNext the default import is the module object.
const Ajv04 = Ajv04Module.default;
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Schema folder for a flavor: `<repo>/../shared/kazoo/schemas` when present, else the builtin schemas. */
export function resolveSchemasDir(flavor: Flavor, override?: string): string {
  const base = override ?? (existsSync(join(repoRoot, '../shared/kazoo/schemas/resources.json'))
    ? join(repoRoot, '../shared/kazoo/schemas')
    : join(repoRoot, 'electron/core/kazoo/builtin-schemas/5.0'));
  if (flavor === '4.3') {
    if (existsSync(join(base, '4.3'))) return join(base, '4.3');
    const sibling = join(base, '../4.3');
    if (base.endsWith('5.0') && existsSync(sibling)) return sibling;
  }
  return base;
}

export function builtinSchemasDir(flavor: Flavor): string {
  return join(repoRoot, 'electron/core/kazoo/builtin-schemas', flavor);
}

/** Kazoo-shaped validation errors: dotted path → rule → {message, ...}. */
export type ValidationErrors = Record<string, Record<string, JsonObject>>;
export type ValidationResult = { ok: true; data: JsonObject } | { ok: false; errors: ValidationErrors };

// Erlang's re understands POSIX classes such as [[:alnum:]]; JavaScript does not.
const POSIX: Record<string, string> = {
  alnum: 'A-Za-z0-9', alpha: 'A-Za-z', digit: '0-9', lower: 'a-z', upper: 'A-Z', space: '\\s', xdigit: '0-9A-Fa-f', word: '\\w',
};
function translatePattern(p: string): string {
  return p.replace(/\[:(\w+):\]/g, (m, name: string) => POSIX[name] ?? m);
}
function regExpEngine(pattern: string, flags: string): RegExp {
  return new RegExp(translatePattern(pattern), flags.replace('u', ''));
}
regExpEngine.code = 'regExpEngine';

export class SchemaSet {
  private readonly docs = new Map<string, JsonObject>();
  private readonly ajv: InstanceType<typeof Ajv04>;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly dir: string) {
    this.ajv = new Ajv04({
      strict: false, allErrors: true, verbose: true, useDefaults: true, validateFormats: false, unicodeRegExp: false,
      code: { regExp: regExpEngine as never },
    });
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as JsonObject;
      const name = typeof doc['_id'] === 'string' ? doc['_id'] : file.replace(/\.json$/, '');
      this.docs.set(name, doc);
    }
    for (const [name, doc] of this.docs) {
      const { _id: _ignored, id: _id2, ...schema } = doc;
      this.ajv.addSchema(schema, name);
    }
  }

  names(): string[] {
    return [...this.docs.keys()].sort();
  }

  /** The schema document as GET /v2/schemas/{name} shows it (public fields plus `id`). */
  get(name: string): JsonObject | undefined {
    const doc = this.docs.get(name);
    if (!doc) return undefined;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_') && !k.startsWith('pvt_')) out[k] = v;
    out['id'] = name;
    return out;
  }

  has(name: string): boolean {
    return this.docs.has(name);
  }

  /** Validate a copy of `data` (defaults filled, coercible strings fixed). */
  validate(name: string, data: unknown): ValidationResult {
    let fn = this.compiled.get(name);
    if (!fn) {
      fn = this.ajv.getSchema(name);
      if (!fn) throw new Error(`schema ${name} not found`);
      this.compiled.set(name, fn);
    }
    const doc = structuredClone(data) as JsonObject;
    for (let pass = 0; pass < 20; pass++) {
      if (fn(doc)) return { ok: true, data: doc };
      const errs = fn.errors ?? [];
      if (!fixTypes(doc, errs)) return { ok: false, errors: toKazooErrors(errs) };
    }
    return { ok: false, errors: toKazooErrors(fn.errors ?? []) };
  }
}

function pointerSegments(instancePath: string): string[] {
  if (!instancePath) return [];
  return instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Coerce "50"→50, "true"→true where the schema wants integer/number/boolean; true when anything changed. */
function fixTypes(doc: JsonObject, errors: ErrorObject[]): boolean {
  let changed = false;
  for (const e of errors) {
    if (e.keyword !== 'type') continue;
    const want = ([] as string[]).concat((e.params as { type: string | string[] }).type);
    const segs = pointerSegments(e.instancePath);
    if (segs.length === 0) continue;
    let parent: unknown = doc;
    for (const s of segs.slice(0, -1)) parent = (parent as Record<string, unknown>)?.[s];
    if (parent === null || typeof parent !== 'object') continue;
    const key = segs[segs.length - 1]!;
    const v = (parent as Record<string, unknown>)[key];
    if (typeof v !== 'string') continue;
    let fixed: unknown;
    if (want.includes('integer') && /^-?\d+$/.test(v.trim())) fixed = parseInt(v, 10);
    else if (want.includes('number') && v.trim() !== '' && Number.isFinite(Number(v))) fixed = Number(v);
    else if (want.includes('boolean') && (v === 'true' || v === 'false')) fixed = v === 'true';
    if (fixed !== undefined) {
      (parent as Record<string, unknown>)[key] = fixed;
      changed = true;
    }
  }
  return changed;
}

function dotted(segs: string[]): string {
  return segs.map((s) => s.replace(/\./g, '%2E')).join('.');
}

function valueAt(e: ErrorObject): unknown {
  return e.data;
}

function typeNames(t: string | string[]): string {
  return ([] as string[]).concat(t).join(', ');
}

/** Map ajv's errors to Kazoo's `{path: {rule: {message, target?, value?}}}` (kz_json_schema:error_to_jobj). */
export function toKazooErrors(errors: ErrorObject[]): ValidationErrors {
  // Errors of the branches of a failed oneOf/anyOf come right before it: jesse reports only the oneOf.
  const kept: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf') {
      while (kept.length) {
        const last = kept[kept.length - 1]!;
        if (last.instancePath === e.instancePath || last.instancePath.startsWith(e.instancePath + '/')) kept.pop();
        else break;
      }
    }
    kept.push(e);
  }
  const out: ValidationErrors = {};
  const put = (segs: string[], rule: string, body: JsonObject) => {
    const key = dotted(segs);
    (out[key] ??= {})[rule] = body;
  };
  for (const e of kept) {
    const segs = pointerSegments(e.instancePath);
    const p = e.params as Record<string, unknown>;
    const value = valueAt(e);
    switch (e.keyword) {
      case 'required':
        put([...segs, String(p['missingProperty'])], 'required', { message: 'Field is required but missing', value: String(p['missingProperty']) });
        break;
      case 'minLength':
        put(segs, 'minLength', { message: `String must be at least ${p['limit']} characters`, target: p['limit'], cause: value, value });
        break;
      case 'maxLength':
        put(segs, 'maxLength', { message: `String must not be more than ${p['limit']} characters`, target: p['limit'], cause: value, value });
        break;
      case 'minimum':
        put(segs, 'minimum', { message: `Value must be at least ${p['limit']}`, target: p['limit'], value });
        break;
      case 'maximum':
        put(segs, 'maximum', { message: `Value must be at most ${p['limit']}`, target: p['limit'], value });
        break;
      case 'enum':
        put(segs, 'enum', { message: 'Value not found in enumerated list of values', target: p['allowedValues'], value });
        break;
      case 'type':
        put(segs, 'type', { message: `Value did not match type(s): ${typeNames(p['type'] as string)}`, target: p['type'], value });
        break;
      case 'minItems':
        put(segs, 'minItems', { message: `The list must have at least ${p['limit']} items`, target: p['limit'], value });
        break;
      case 'maxItems':
        put(segs, 'maxItems', { message: `The list is more than ${p['limit']} items`, target: p['limit'], value });
        break;
      case 'uniqueItems':
        put(segs, 'uniqueItems', { message: 'List of items is not unique', value });
        break;
      case 'pattern':
        put(segs, 'pattern', { message: `Failed to match pattern '${p['pattern']}'`, target: p['pattern'], value });
        break;
      case 'additionalProperties':
        put([...segs, String(p['additionalProperty'])], 'additionalProperties', {
          message: 'Strict checking of data is enabled; only include schema-defined properties',
          value: (value as Record<string, unknown> | undefined)?.[String(p['additionalProperty'])] as never,
        });
        break;
      case 'minProperties':
        put(segs, 'minProperties', { message: `The object must have at least ${p['limit']} keys`, target: p['limit'] });
        break;
      case 'maxProperties':
        put(segs, 'maxProperties', { message: `The object must not have more than ${p['limit']} keys`, target: p['limit'] });
        break;
      case 'oneOf':
        put(segs, 'oneOf', { message: 'Value did not match exactly one of the schemas provided', value });
        break;
      case 'anyOf':
        put(segs, 'anyOf', { message: 'Value did not match any of the schemas provided', value });
        break;
      default:
        put(segs, e.keyword, { message: e.message ?? 'invalid', value });
    }
  }
  return out;
}

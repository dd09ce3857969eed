// Validates a resource document against a cluster's schema set with ajv (JSON-schema draft-04, as Kazoo's jesse),
// reporting Kazoo-style dotted field paths. Compiled validators are cached per schema-set content. Patterns run on
// RE2 (schema-regex.ts), never on a backtracking engine: a cluster's schema cannot freeze validation.
import type ajvDraft04 from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import type { Issue } from '../../shared/contract/sync.ts';
import { clone, hashDoc } from './canonical.ts';
import type { SchemaSet } from './defaults.ts';
import { lazyRequire } from '../lazy-require.ts';
import { isUncheckedPattern, schemaRegExpEngine } from './schema-regex.ts';

// ajv-draft-04 is CommonJS with `exports.default`; loaded on the first validation (start-up stays light).
const ajvModule = lazyRequire<{ default?: unknown }>('ajv-draft-04');
const Ajv04 = () => (ajvModule().default ?? ajvModule()) as unknown as typeof ajvDraft04.default;

const cache = new Map<string, ValidateFunction | null>();
/** The content key of a set object: sets are never changed once made, so one set is hashed once, not per document. */
const keys = new WeakMap<SchemaSet, string>();

function compile(set: SchemaSet): ValidateFunction | null {
  let key = keys.get(set);
  if (key === undefined) keys.set(set, (key = hashDoc(set)));
  if (cache.has(key)) return cache.get(key)!;
  let fn: ValidateFunction | null = null;
  if (set.resources) {
    const ajv = new (Ajv04())({ allErrors: true, strict: false, validateFormats: false, code: { regExp: schemaRegExpEngine() as never } });
    for (const [name, schema] of Object.entries(set)) {
      const s = clone(schema);
      // Kazoo schemas name themselves with id/_id; the bare ids are the keys we register, so drop them.
      delete s.id;
      delete s._id;
      delete s.$schema;
      try {
        ajv.addSchema(s, name);
      } catch {
        // A sub-schema we cannot load only weakens validation of the fields that use it.
      }
    }
    try {
      fn = ajv.getSchema('resources') ?? null;
    } catch {
      fn = null;
    }
  }
  if (cache.size > 32) cache.clear();
  cache.set(key, fn);
  return fn;
}

function pathOf(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~').replace(/\./g, '%2E'))
    .join('.');
}

/** Schema errors as Issues; [] when the set holds no 'resources' schema. */
export function validateAgainstSchemas(doc: Record<string, unknown>, set: SchemaSet): Issue[] {
  const fn = compile(set);
  if (!fn) return [];
  if (fn(clone(doc))) return [];
  const out: Issue[] = [];
  for (const e of fn.errors ?? []) {
    let path = pathOf(e.instancePath);
    let message = e.message ?? 'is not valid';
    if (e.keyword === 'required') {
      const missing = String((e.params as { missingProperty?: string }).missingProperty ?? '');
      path = path ? `${path}.${missing}` : missing;
      message = 'Field is required but missing.';
    } else if (e.keyword === 'enum') {
      message = `Value not found in the allowed values: ${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).join(', ')}.`;
    } else if (e.keyword === 'type') {
      message = `Value must be of type ${(e.params as { type?: string }).type}.`;
    } else {
      message = message.charAt(0).toUpperCase() + message.slice(1) + '.';
    }
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    const pattern = (e.params as { pattern?: unknown }).pattern;
    if (e.keyword === 'pattern' && typeof pattern === 'string' && isUncheckedPattern(pattern)) {
      out.push({
        path,
        rule: 'pattern_unchecked',
        message: `Not checked against the cluster's pattern ${JSON.stringify(pattern)}: it uses syntax that cannot be run in guaranteed time here (a look-around, a back-reference or a repeat count over 1000). The cluster checks it when the change is sent.`,
        severity: 'warning',
      });
      continue;
    }
    out.push({ path, rule: e.keyword, message, severity: 'error' });
  }
  return out;
}

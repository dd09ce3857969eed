// Validates a resource document against a cluster's schema set with ajv (JSON-schema draft-04, as Kazoo's jesse),
// reporting Kazoo-style dotted field paths. Compiled validators are cached per schema-set content.
import type ajvDraft04 from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import type { Issue } from '../../shared/contract/sync.ts';
import { clone, hashDoc } from './canonical.ts';
import type { SchemaSet } from './defaults.ts';
import { lazyRequire } from '../lazy-require.ts';

const POSIX: Record<string, string> = {
  alnum: 'a-zA-Z0-9', alpha: 'a-zA-Z', digit: '0-9', space: '\\s', upper: 'A-Z', lower: 'a-z', xdigit: '0-9a-fA-F', word: '\\w', punct: '!-\\/:-@\\[-`{-~',
};

/** Kazoo's schemas use PCRE (POSIX classes like [[:alnum:]]); translate what JavaScript lacks. */
function regExpEngine(source: string, flags: string): RegExp {
  const s = source.replace(/\[:(\w+):\]/g, (m, n: string) => POSIX[n] ?? m);
  try {
    return new RegExp(s, flags);
  } catch {
    try {
      return new RegExp(s, flags.replace('u', ''));
    } catch {
      return /[^]*/;
    }
  }
}
(regExpEngine as unknown as { code: string }).code = 'new RegExp';

// ajv-draft-04 is CommonJS with `exports.default`; loaded on the first validation (start-up stays light).
const ajvModule = lazyRequire<{ default?: unknown }>('ajv-draft-04');
const Ajv04 = () => (ajvModule().default ?? ajvModule()) as unknown as typeof ajvDraft04.default;

const cache = new Map<string, ValidateFunction | null>();

function compile(set: SchemaSet): ValidateFunction | null {
  const key = hashDoc(set);
  if (cache.has(key)) return cache.get(key)!;
  let fn: ValidateFunction | null = null;
  if (set.resources) {
    const ajv = new (Ajv04())({ allErrors: true, strict: false, validateFormats: false, code: { regExp: regExpEngine as never } });
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
    out.push({ path, rule: e.keyword, message, severity: 'error' });
  }
  return out;
}

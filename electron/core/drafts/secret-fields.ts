// Secrets inside resource documents (gateways[].password and any key the redactor calls sensitive): sealed with
// the SecretBox before a document touches SQLite, opened on read, masked for display, left out of exports.
import { SENSITIVE_KEY } from '../secrets/redactor.ts';
import { openAndGuard, type SecretBox } from '../secrets/secret-box.ts';
import { isObject, type JsonObject } from './canonical.ts';
import { SECRET_OMITTED } from './local-checks.ts';

const SEALED = '$sealed';

function mapSecrets(value: unknown, fn: (secret: string, key: string) => unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => mapSecrets(v, fn));
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = typeof v === 'string' && SENSITIVE_KEY.test(k) ? fn(v, k) : mapSecrets(v, fn);
  }
  return out;
}

/** The document as stored: every secret string replaced by {"$sealed": "..."}. */
export function sealDoc(doc: JsonObject, box: SecretBox): JsonObject {
  return mapSecrets(doc, (s) => (s === SECRET_OMITTED ? s : { [SEALED]: box.seal(s) })) as JsonObject;
}

function openValue(value: unknown, box: SecretBox): unknown {
  if (Array.isArray(value)) return value.map((v) => openValue(v, box));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === SEALED && typeof value[SEALED] === 'string') return openAndGuard(box, value[SEALED]);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) out[k] = openValue(v, box);
  return out;
}

/** Reverses sealDoc (and registers every opened secret with the redactor). */
export function openDoc(stored: JsonObject, box: SecretBox): JsonObject {
  return openValue(stored, box) as JsonObject;
}

export function sealedJson(doc: JsonObject, box: SecretBox): string {
  return JSON.stringify(sealDoc(doc, box));
}

export function openJson(text: string, box: SecretBox): JsonObject {
  return openDoc(JSON.parse(text) as JsonObject, box);
}

/** For screens and logs: secrets shown as '***'. */
export function maskSecrets<T>(value: T): T {
  return mapSecrets(value, () => '***') as T;
}

/** For exports without --include-secrets. */
export function omitSecrets(doc: JsonObject): JsonObject {
  return mapSecrets(doc, () => SECRET_OMITTED) as JsonObject;
}

/** A dotted path whose last key is sensitive (for masking diff entries). */
export function isSecretPath(path: string): boolean {
  const last = path.split('.').pop() ?? '';
  return SENSITIVE_KEY.test(last);
}

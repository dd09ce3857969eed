// Secrets inside resource documents (gateways[].password and any key the redactor calls sensitive): sealed with
// the SecretBox before a document touches SQLite, opened on read (a secret this machine cannot decrypt reads as the
// SECRET_UNREADABLE placeholder, never as an error), masked for every output, left out of exports, and put back
// when a masked copy is saved (by the box's reference of each secret, see SecretBox.ref).
import { SENSITIVE_KEY } from '../secrets/redactor.ts';
import { openAndGuard, SecretUnavailableError, type SecretBox } from '../secrets/secret-box.ts';
import { isObject, type JsonObject } from './canonical.ts';
import { isMissingSecret, isSecretMask, maskRef, SECRET_MASK, SECRET_OMITTED, SECRET_UNREADABLE } from '../../shared/secret-marks.ts';

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

function sealedText(value: unknown): string | null {
  if (!isObject(value)) return null;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === SEALED && typeof value[SEALED] === 'string' ? value[SEALED] : null;
}

/** The document as stored: every secret string replaced by {"$sealed": "..."}; placeholders stay as they are. */
export function sealDoc(doc: JsonObject, box: SecretBox): JsonObject {
  // A mask that reached this point was not matched to a stored secret: it is stored as missing, never as the password.
  return mapSecrets(doc, (s) => (isMissingSecret(s) ? s : isSecretMask(s) ? SECRET_OMITTED : { [SEALED]: box.seal(s) })) as JsonObject;
}

/** Opened documents holding at least one secret this machine could not decrypt (see hasUnreadable). */
const withUnreadable = new WeakSet<object>();

/** Opens one sealed value; one that cannot be decrypted here reads as SECRET_UNREADABLE. */
function openSealed(sealed: string, box: SecretBox, seen: { unreadable: boolean }): string {
  try {
    return openAndGuard(box, sealed);
  } catch (e) {
    if (!(e instanceof SecretUnavailableError)) throw e;
    seen.unreadable = true;
    return SECRET_UNREADABLE;
  }
}

function openValue(value: unknown, box: SecretBox, seen: { unreadable: boolean }): unknown {
  if (Array.isArray(value)) return value.map((v) => openValue(v, box, seen));
  if (!isObject(value)) return value;
  const sealed = sealedText(value);
  if (sealed !== null) return openSealed(sealed, box, seen);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) out[k] = openValue(v, box, seen);
  return out;
}

/** Reverses sealDoc (and registers every opened secret with the redactor). */
export function openDoc(stored: JsonObject, box: SecretBox): JsonObject {
  const seen = { unreadable: false };
  const doc = openValue(stored, box, seen) as JsonObject;
  if (seen.unreadable) withUnreadable.add(doc);
  return doc;
}

/** Whether a document returned by openDoc/openJson holds a secret that could not be decrypted here. */
export function hasUnreadable(doc: JsonObject | null | undefined): boolean {
  return !!doc && withUnreadable.has(doc);
}

export function sealedJson(doc: JsonObject, box: SecretBox): string {
  return JSON.stringify(sealDoc(doc, box));
}

export function openJson(text: string, box: SecretBox): JsonObject {
  return openDoc(JSON.parse(text) as JsonObject, box);
}

/**
 * A stored document for output: each secret as '***#ref' (the box's reference: the same for the same secret, so a
 * copy saved back keeps that secret wherever its element moved), or the placeholder of a secret that is missing or
 * cannot be decrypted here.
 */
export function maskStored(stored: JsonObject, box: SecretBox): JsonObject {
  const seen = { unreadable: false };
  const visit = (value: unknown, key: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => visit(v, ''));
    const sealed = sealedText(value);
    if (sealed !== null) {
      const plain = openSealed(sealed, box, seen);
      return plain === SECRET_UNREADABLE ? plain : `${SECRET_MASK}#${box.ref(plain)}`;
    }
    if (isObject(value)) {
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) out[k] = visit(v, k);
      return out;
    }
    return typeof value === 'string' && SENSITIVE_KEY.test(key) && !isMissingSecret(value) ? SECRET_MASK : value;
  };
  return visit(stored, '') as JsonObject;
}

/** For screens, diffs and logs: secrets shown as '***' (placeholders of missing secrets stay readable). */
export function maskSecrets<T>(value: T): T {
  return mapSecrets(value, (s) => (isMissingSecret(s) ? s : SECRET_MASK)) as T;
}

/** For exports without secrets. */
export function omitSecrets(doc: JsonObject): JsonObject {
  return mapSecrets(doc, () => SECRET_OMITTED) as JsonObject;
}

/** Dotted paths of the placeholders of missing secrets in a document (nothing holding one may be sent). */
export function missingSecretPaths(value: unknown): string[] {
  const out: string[] = [];
  collectMissing(value, [], out);
  return out;
}

/** The path is kept as a segment stack and joined only for a hit: the plan asks this of every document it sends. */
function collectMissing(value: unknown, segs: (string | number)[], out: string[]): void {
  if (isMissingSecret(value)) out.push(segs.join('.'));
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      segs.push(i);
      collectMissing(value[i], segs, out);
      segs.pop();
    }
  } else if (isObject(value)) {
    for (const k in value) {
      segs.push(k);
      collectMissing(value[k], segs, out);
      segs.pop();
    }
  }
}

/**
 * A copy of `doc` where each secret that could not be decrypted takes the value `from` holds at the same place.
 * Used for sync bases: what the cluster holds now is the best knowledge of what it held then.
 */
export function fillUnreadable(doc: JsonObject, from: JsonObject): JsonObject {
  const visit = (v: unknown, f: unknown): unknown => {
    if (v === SECRET_UNREADABLE) return typeof f === 'string' ? f : v;
    if (Array.isArray(v)) return v.map((x, i) => visit(x, Array.isArray(f) ? f[i] : undefined));
    if (!isObject(v)) return v;
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) out[k] = visit(x, isObject(f) ? f[k] : undefined);
    return out;
  };
  return visit(doc, from) as JsonObject;
}

/**
 * Puts the stored secrets back into a document coming back from an output (the editor, `drafts show` saved back, a
 * bundle): '***#ref' takes the secret that mask was made from (in `current`, else in `older` stored versions), a plain
 * '***' or an export's placeholder takes the secret at the same place in `current`. A mask that matches nothing reads
 * as missing (the checks then ask for it), never as the literal password.
 */
export function resolveMasks(incoming: JsonObject, current: JsonObject | null, box: SecretBox, older: () => Iterable<JsonObject> = () => []): JsonObject {
  const seen = { unreadable: false };
  // ref → secret, of the current version first, then (only when a ref is not found there) of the older ones.
  let refs: Map<string, string> | null = null;
  let olderDone = false;
  const collect = (value: unknown, into: Map<string, string>): void => {
    const sealed = sealedText(value);
    if (sealed !== null) {
      const plain = openSealed(sealed, box, { unreadable: false });
      if (plain !== SECRET_UNREADABLE) into.set(box.ref(plain), plain);
    } else if (Array.isArray(value)) for (const v of value) collect(v, into);
    else if (isObject(value)) for (const v of Object.values(value)) collect(v, into);
  };
  const byRef = (ref: string): string | undefined => {
    if (!refs) collect(current, (refs = new Map()));
    if (!refs.has(ref) && !olderDone) {
      olderDone = true;
      for (const doc of older()) collect(doc, refs);
    }
    return refs.get(ref);
  };
  const stored = (v: unknown): string | undefined => {
    const sealed = sealedText(v);
    if (sealed !== null) return openSealed(sealed, box, seen);
    return typeof v === 'string' ? v : undefined;
  };
  const visit = (v: unknown, cur: unknown, key: string): unknown => {
    if (isMissingSecret(v) || (typeof v === 'string' && SENSITIVE_KEY.test(key) && isSecretMask(v))) {
      const ref = isMissingSecret(v) ? null : maskRef(v);
      const value = ref ? byRef(ref) : stored(cur);
      return value === undefined || isSecretMask(value) ? (v === SECRET_UNREADABLE ? v : SECRET_OMITTED) : value;
    }
    if (Array.isArray(v)) return v.map((x, i) => visit(x, Array.isArray(cur) ? cur[i] : undefined, ''));
    if (!isObject(v)) return v;
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) out[k] = visit(x, isObject(cur) ? cur[k] : undefined, k);
    return out;
  };
  const doc = visit(incoming, current, '') as JsonObject;
  if (seen.unreadable) withUnreadable.add(doc);
  return doc;
}

/** A dotted path whose last key is sensitive (for masking diff entries). */
export function isSecretPath(path: string): boolean {
  const last = path.split('.').pop() ?? '';
  return SENSITIVE_KEY.test(last);
}

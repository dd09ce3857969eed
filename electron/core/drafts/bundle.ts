// Export/import bundle of drafts: deterministic, diff-friendly JSON (sorted keys, 2-space indent, drafts by name),
// secrets left out unless asked for.
import { UserInputError } from '../errors.ts';
import { isObject, sortKeysDeep, type JsonObject } from './canonical.ts';
import { omitSecrets } from './secret-fields.ts';
import { readJson } from '../../shared/json-limits.ts';

/** Far above any real bundle (a thousand carriers are a few MB); a larger text is refused before it is parsed. */
const MAX_BUNDLE_CHARS = 64 * 1024 * 1024;

export const BUNDLE_FORMAT = 'carrier-desk-bundle/1';

export interface BundleDraft {
  id: string;
  name: string;
  markedForDelete: boolean;
  doc: JsonObject;
  targets: { cluster: string; scope: string; remoteId: string | null }[];
}
export interface Bundle {
  format: typeof BUNDLE_FORMAT;
  secretsIncluded: boolean;
  drafts: BundleDraft[];
}

export function buildBundle(drafts: BundleDraft[], includeSecrets: boolean): string {
  const list = [...drafts]
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
    .map((d) => ({
      ...d,
      doc: includeSecrets ? d.doc : omitSecrets(d.doc),
      targets: [...d.targets].sort((a, b) => a.cluster.localeCompare(b.cluster) || a.scope.localeCompare(b.scope)),
    }));
  const bundle: Bundle = { format: BUNDLE_FORMAT, secretsIncluded: includeSecrets, drafts: list };
  return JSON.stringify(sortKeysDeep(bundle), null, 2) + '\n';
}

export function parseBundle(text: string): Bundle {
  const read = readJson(text, { what: 'The bundle', maxChars: MAX_BUNDLE_CHARS });
  if (!read.ok) throw new UserInputError(read.message);
  const raw = read.value;
  if (!isObject(raw) || raw.format !== BUNDLE_FORMAT || !Array.isArray(raw.drafts)) {
    throw new UserInputError(`This is not a Carrier Desk bundle (expected "format": "${BUNDLE_FORMAT}" and a "drafts" list).`);
  }
  const drafts = raw.drafts.map((d, i): BundleDraft => {
    if (!isObject(d) || typeof d.name !== 'string' || !isObject(d.doc)) throw new UserInputError(`Bundle draft ${i} needs a "name" and a "doc" object.`);
    const targets = Array.isArray(d.targets) ? d.targets.filter(isObject) : [];
    return {
      id: typeof d.id === 'string' ? d.id : '',
      name: d.name,
      markedForDelete: d.markedForDelete === true,
      doc: d.doc,
      targets: targets.map((t) => ({ cluster: String(t.cluster ?? ''), scope: String(t.scope ?? ''), remoteId: typeof t.remoteId === 'string' ? t.remoteId : null })),
    };
  });
  return { format: BUNDLE_FORMAT, secretsIncluded: raw.secretsIncluded === true, drafts };
}

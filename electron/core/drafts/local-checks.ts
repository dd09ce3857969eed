// Checks a resource draft without any cluster: the routing linter (regexes as Kazoo compiles them, rules under
// stepswitch's semantics, classifiers, weights: core/routing/lint.ts), duplicate gateways, secrets left out of an
// import or not decryptable on this machine.
import type { Issue } from '../../shared/contract/sync.ts';
import { isObject, type JsonObject } from './canonical.ts';
import { lintResource } from '../routing/lint.ts';
import { SECRET_OMITTED, SECRET_UNREADABLE } from '../../shared/secret-marks.ts';

export { SECRET_OMITTED };

/** Rules of the issues about a secret that is not there: they block every target of the draft (see plan.ts). */
export const MISSING_SECRET_RULES: ReadonlySet<string> = new Set(['secret_missing', 'secret_unreadable']);

function secretsLeftOut(value: unknown, path: string, out: Issue[]): void {
  if (value === SECRET_OMITTED) {
    out.push({ path, rule: 'secret_missing', message: 'Not set: it was left out of an export (or a masked copy could not be matched to it). Enter it again.', severity: 'error' });
  } else if (value === SECRET_UNREADABLE) {
    out.push({
      path,
      rule: 'secret_unreadable',
      message: "Cannot be decrypted on this machine: it was saved with another secret key (secret.key was replaced) or by the desktop app's keychain. Enter it again.",
      severity: 'error',
    });
  } else if (Array.isArray(value)) value.forEach((v, i) => secretsLeftOut(v, path ? `${path}.${i}` : String(i), out));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) secretsLeftOut(v, path ? `${path}.${k}` : k, out);
}

/** Every finding; with `warnings: false` the errors only (what blocks a change), leaving out the costlier advice. */
export function localChecks(doc: JsonObject, opts: { warnings?: boolean } = {}): Issue[] {
  const out: Issue[] = lintResource(doc, opts);
  if (Array.isArray(doc.gateways) && opts.warnings !== false) {
    const seen = new Map<string, number>();
    doc.gateways.forEach((g, i) => {
      if (!isObject(g) || typeof g.server !== 'string') return;
      const key = `${g.server.toLowerCase()}|${g.port ?? 5060}|${g.prefix ?? ''}`;
      const first = seen.get(key);
      if (first !== undefined) {
        out.push({ path: `gateways.${i}`, rule: 'duplicate_gateway', message: `Gateway ${i} repeats gateway ${first} (same server ${g.server}, port ${g.port ?? 5060} and prefix).`, severity: 'warning' });
      } else seen.set(key, i);
    });
  }
  secretsLeftOut(doc, '', out);
  return out;
}

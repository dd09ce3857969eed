// Checks a resource draft without any cluster: the routing linter (regexes as Kazoo compiles them, rules under
// stepswitch's semantics, classifiers, weights: core/routing/lint.ts), duplicate gateways, secrets left out of an import.
import type { Issue } from '../../shared/contract/sync.ts';
import { isObject, type JsonObject } from './canonical.ts';
import { lintResource } from '../routing/lint.ts';

/** Written in place of a secret by an export without --include-secrets. */
export const SECRET_OMITTED = '__carrier_desk_secret_omitted__';

function secretsLeftOut(value: unknown, path: string, out: Issue[]): void {
  if (value === SECRET_OMITTED) {
    out.push({ path, rule: 'secret_missing', message: `${path} was left out when the draft was exported; set it again.`, severity: 'error' });
  } else if (Array.isArray(value)) value.forEach((v, i) => secretsLeftOut(v, path ? `${path}.${i}` : String(i), out));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) secretsLeftOut(v, path ? `${path}.${k}` : k, out);
}

export function localChecks(doc: JsonObject): Issue[] {
  const out: Issue[] = lintResource(doc);
  if (Array.isArray(doc.gateways)) {
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

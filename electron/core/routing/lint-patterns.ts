// Every regex field of a resource document checked the way Kazoo compiles it (routing-spec §5.1, §5.2): an invalid
// pattern is an error (Kazoo drops it), a construct PCRE reads differently from JavaScript a warning (§11.12; the one
// list in electron/shared/pcre.ts), an empty pattern a warning (it matches everything and sends nothing, §5.3).
import { checkKazooPattern } from '../../shared/pcre.ts';
import type { Issue } from '../../shared/contract/sync.ts';
import { isObject } from './kz-json.ts';
import type { JsonObject } from './types.ts';

/** A field path segment as the editor writes it (a dot in a classifier name is %2E). */
export function seg(name: string): string {
  return name.replace(/\./g, '%2E');
}

/** Checks one pattern; `path` names its field. */
export function checkPattern(pattern: unknown, path: string): Issue[] {
  if (typeof pattern !== 'string') return [{ path, rule: 'type', message: 'A pattern must be a string.', severity: 'error' }];
  if (pattern === '') return [{ path, rule: 'empty_pattern', message: 'An empty pattern matches every number and makes Kazoo send an empty number (routing-spec §5.3).', severity: 'warning' }];
  const c = checkKazooPattern(pattern);
  const out: Issue[] = [];
  if (!c.compiles && !c.kazooKeeps) {
    out.push({ path, rule: 'regex', message: `The pattern ${JSON.stringify(pattern)} does not compile: ${c.error}. Kazoo drops it (routing-spec §5.2).`, severity: 'error' });
  }
  for (const n of c.notes) {
    out.push(n.kind === 'pcre_only'
      ? { path, rule: 'pcre_only', message: `The pattern uses ${n.what}: valid for Kazoo (PCRE) but ${c.compiles ? 'read differently by' : 'not understood by'} JavaScript, so Carrier Desk cannot check or simulate it exactly (routing-spec §11.12).`, severity: 'warning' }
      : { path, rule: 'pcre_differs', message: `The pattern uses ${n.what} (routing-spec §11.12).`, severity: 'warning' });
  }
  return out;
}

/** Every regex field of a resource: rules, cid_rules, rules_test, flat-rate lists, classifier and formatter regexes. */
export function patternsOf(doc: JsonObject): { path: string; value: unknown }[] {
  const out: { path: string; value: unknown }[] = [];
  for (const key of ['rules', 'cid_rules', 'rules_test']) {
    const list = doc[key];
    if (Array.isArray(list)) list.forEach((v, i) => out.push({ path: `${key}.${i}`, value: v }));
  }
  for (const key of ['flat_rate_whitelist', 'flat_rate_blacklist']) if (doc[key] !== undefined) out.push({ path: key, value: doc[key] });
  if (isObject(doc.classifiers)) {
    for (const [name, c] of Object.entries(doc.classifiers)) if (isObject(c) && c.regex !== undefined) out.push({ path: `classifiers.${seg(name)}.regex`, value: c.regex });
  }
  if (isObject(doc.formatters)) {
    for (const [name, f] of Object.entries(doc.formatters)) {
      const list = Array.isArray(f) ? f : [f];
      list.forEach((o, i) => {
        if (isObject(o) && o.regex !== undefined) out.push({ path: `formatters.${name}${Array.isArray(f) ? `.${i}` : ''}.regex`, value: o.regex });
      });
    }
  }
  return out;
}

export function patternIssues(doc: JsonObject): Issue[] {
  return patternsOf(doc).flatMap((p) => checkPattern(p.value, p.path));
}

// Checks a resource draft without any cluster: every rule/cid_rule compiles, where JavaScript and PCRE (Kazoo's
// Erlang `re`) read a pattern differently, empty rules, duplicate gateways, secrets left out of an import.
import type { Issue } from '../../shared/contract/sync.ts';
import { isObject, type JsonObject } from './canonical.ts';

/** Written in place of a secret by an export without --include-secrets. */
export const SECRET_OMITTED = '__carrier_desk_secret_omitted__';

const PCRE_ONLY: { re: RegExp; what: string }[] = [
  { re: /\(\?>/, what: 'an atomic group (?>...)' },
  { re: /(?:[^\\]|^)(?:[*+?}])\+/, what: 'a possessive quantifier (++, *+, ?+)' },
  { re: /\(\?P[<=>]/, what: 'a Python-style named group (?P<...>)' },
  { re: /\(\?[imsxUJ-]+\)/, what: 'an inline flag group such as (?i)' },
  { re: /\(\?[imsxUJ-]+:/, what: 'a flag group such as (?i:...)' },
  { re: /\\[AZzG]/, what: 'a PCRE anchor (\\A, \\Z, \\z or \\G; JavaScript reads them as plain letters)' },
  { re: /\\[hHRKeQE]/, what: 'a PCRE escape (\\h, \\R, \\K, \\e or \\Q...\\E)' },
  { re: /\\x\{/, what: 'a \\x{...} code point escape' },
  { re: /\\[pP]\{/, what: 'a Unicode property escape \\p{...}' },
  { re: /\\g\{?-?\d|\\k\{/, what: 'a PCRE back-reference (\\g1, \\g{...}, \\k{...})' },
  { re: /\(\?(R|\d+|&)/, what: 'a recursive pattern (?R)' },
  { re: /\(\?\(/, what: 'a conditional group (?(...)...)' },
  { re: /\(\*[A-Z_]+/, what: 'a PCRE verb such as (*UTF8)' },
  { re: /\[\[:\w+:\]/, what: 'a POSIX class such as [[:digit:]] (JavaScript reads it as a plain character set)' },
];

const DIFFERENT: { re: RegExp; what: string }[] = [
  { re: /\(\?<[=!]/, what: 'a lookbehind: PCRE accepts only fixed-length lookbehinds (JavaScript accepts any)' },
  { re: /\\[dwsb][^]*[^\p{ASCII}]|[^\p{ASCII}][^]*\\[dwsb]/u, what: '\\d/\\w/\\s with non-ASCII text: in Unicode mode PCRE and JavaScript match different characters' },
  { re: /\\[1-9]\d/, what: 'a two-digit back-reference (\\10...): PCRE and JavaScript decide differently between group and octal' },
];

/** Checks one pattern; `path` names its field. */
export function checkPattern(pattern: unknown, path: string): Issue[] {
  if (typeof pattern !== 'string') return [{ path, rule: 'type', message: 'A pattern must be a string.', severity: 'error' }];
  const out: Issue[] = [];
  const pcreOnly = PCRE_ONLY.filter((p) => p.re.test(pattern));
  let compiles = true;
  try {
    new RegExp(pattern);
  } catch (e) {
    compiles = false;
    if (pcreOnly.length === 0) {
      out.push({ path, rule: 'regex', message: `The pattern ${JSON.stringify(pattern)} does not compile: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}.`, severity: 'error' });
    }
  }
  for (const p of pcreOnly) {
    out.push({
      path,
      rule: 'pcre_only',
      message: `The pattern uses ${p.what}: valid for Kazoo (PCRE) but ${compiles ? 'read differently by' : 'not understood by'} JavaScript, so it cannot be checked here.`,
      severity: 'warning',
    });
  }
  for (const d of DIFFERENT) if (d.re.test(pattern)) out.push({ path, rule: 'pcre_differs', message: `The pattern uses ${d.what}.`, severity: 'warning' });
  return out;
}

function patternsOf(doc: JsonObject): { path: string; value: unknown }[] {
  const out: { path: string; value: unknown }[] = [];
  for (const key of ['rules', 'cid_rules', 'rules_test']) {
    const list = doc[key];
    if (Array.isArray(list)) list.forEach((v, i) => out.push({ path: `${key}.${i}`, value: v }));
  }
  for (const key of ['flat_rate_whitelist', 'flat_rate_blacklist']) if (doc[key] !== undefined) out.push({ path: key, value: doc[key] });
  if (isObject(doc.classifiers)) {
    for (const [name, c] of Object.entries(doc.classifiers)) if (isObject(c) && c.regex !== undefined) out.push({ path: `classifiers.${name.replace(/\./g, '%2E')}.regex`, value: c.regex });
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

function secretsLeftOut(value: unknown, path: string, out: Issue[]): void {
  if (value === SECRET_OMITTED) {
    out.push({ path, rule: 'secret_missing', message: `${path} was left out when the draft was exported; set it again (drafts edit --set ${path}=...).`, severity: 'error' });
  } else if (Array.isArray(value)) value.forEach((v, i) => secretsLeftOut(v, path ? `${path}.${i}` : String(i), out));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) secretsLeftOut(v, path ? `${path}.${k}` : k, out);
}

export function localChecks(doc: JsonObject): Issue[] {
  const out: Issue[] = [];
  for (const p of patternsOf(doc)) out.push(...checkPattern(p.value, p.path));
  if (Array.isArray(doc.rules) && doc.rules.length === 0) {
    out.push({ path: 'rules', rule: 'empty_rules', message: 'The rules list is empty: Kazoo never routes a call to a resource without rules. Add at least one rule, e.g. "^\\+?(\\d+)$".', severity: 'warning' });
  }
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

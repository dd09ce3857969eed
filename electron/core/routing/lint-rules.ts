// Linting a plain resource's `rules` under stepswitch's semantics: the last matching rule decides (routing-spec §5.2,
// §11.9: "unreachable" is judged in reverse order), the longest capture group is sent (§5.3, §11.10), rules see the
// normalised number (§3.1, §11.11). Set questions go to rule-language.ts; results are cached per rule list.
import { RegExpParser, type AST } from '@eslint-community/regexpp';
import type { Issue } from '../../shared/contract/sync.ts';
import { checkKazooPattern } from '../../shared/pcre.ts';
import { kregex, longestGroup } from './regex.ts';
import { E164, example, intersects, isSubset, matchesConverted, ruleLanguage, union, type Language } from './rule-language.ts';

/** A finding that can only be a warning: the rule linter never blocks a change (lintResource relies on it). */
export type Advice = Issue & { severity: 'warning' };

const parser = new RegExpParser({ ecmaVersion: 2022 });
const cache = new Map<string, Advice[]>();

interface Kept {
  index: number;
  source: string;
  lang: Language | null;
  ast: AST.Pattern | null;
}

const warn = (path: string, rule: string, message: string): Advice => ({ path, rule, message, severity: 'warning' });

export function ruleFindings(rules: readonly unknown[]): Advice[] {
  const key = JSON.stringify(rules);
  const hit = cache.get(key);
  if (hit) return hit;
  const kept: Kept[] = [];
  rules.forEach((r, index) => {
    if (typeof r !== 'string' || r === '' || !checkKazooPattern(r).kazooKeeps) return;
    let ast: AST.Pattern | null = null;
    try {
      ast = parser.parsePattern(r, undefined, undefined, { unicode: false });
    } catch {
      ast = null;
    }
    kept.push({ index, source: r, lang: ruleLanguage(r), ast });
  });
  const out = [...shadowFindings(kept), ...kept.flatMap(perRule)];
  if (cache.size > 2000) cache.clear();
  cache.set(key, out);
  return out;
}

const n = (k: Kept) => `rule ${k.index + 1}`;

/** §5.2/§11.9 in reverse order: a rule whose every number a later rule takes first; a catch-all last rule. */
function shadowFindings(kept: Kept[]): Advice[] {
  const out: Advice[] = [];
  const last = kept[kept.length - 1];
  if (last?.lang && kept.length > 1 && isSubset(E164(), last.lang)) {
    out.push(warn(`rules.${last.index}`, 'broad_last_rule', `${cap(n(last))} (the last) matches every E.164 number, and Kazoo tries the rules from the last one up: the rules above it only get numbers it does not match (routing-spec §5.2, §11.9). Put specific rules after broad ones.`));
  }
  for (let i = kept.length - 2; i >= 0; i--) {
    const k = kept[i]!;
    const later = kept.slice(i + 1).filter((x) => x.lang !== null);
    if (!k.lang || later.length === 0 || k.lang.isEmpty) continue;
    if (!isSubset(k.lang, union(later.map((x) => x.lang!)))) continue;
    const single = later.find((x) => isSubset(k.lang!, x.lang!));
    const by = single ? n(single) : later.filter((x) => intersects(k.lang!, x.lang!)).map(n).join(' and ');
    const ex = example(k.lang);
    out.push(warn(`rules.${k.index}`, 'rule_unreachable', `${cap(n(k))} is never used: every number it matches${ex ? ` (e.g. ${ex})` : ''} is taken first by ${by}, because Kazoo tries the rules from the last one up (routing-spec §5.2, §11.9). Move it below ${by} or remove it.`));
  }
  return out;
}

function cap(s: string): string {
  return s[0]!.toUpperCase() + s.slice(1);
}

function perRule(k: Kept): Advice[] {
  const out: Advice[] = [];
  const path = `rules.${k.index}`;
  if (k.ast && capturingGroups(k.ast).length === 0) {
    const sample = k.lang ? (example(k.lang, E164()) ?? example(k.lang)) : undefined;
    // kregex: a cluster's pattern runs through the same bounded engine as routing (issue 15), never a raw RegExp.
    const m = sample ? (kregex(k.source).re?.exec(sample) ?? null) : null;
    const shown = m ? ` (${sample} → ${m[0]}${m[0] !== sample ? ', part of the number' : ''})` : '';
    out.push(warn(path, 'no_capture_group', `${cap(n(k))} has no capture group, so Kazoo sends the matched text itself${shown}. Put the part to send in ( ) (routing-spec §5.3, §11.10).`));
  } else if (k.ast && canSendNothing(k.ast)) {
    const m = k.lang ? emptyExample(k) : undefined;
    out.push(warn(path, 'empty_capture', `${cap(n(k))}: its capture groups can all be empty, and Kazoo then sends an empty number (sip:@server)${m ? `, e.g. for ${m}` : ''} (routing-spec §5.3, §11.10).`));
  }
  if (k.lang && !k.lang.isEmpty && !intersects(k.lang, E164()) && matchesConverted(k.lang)) {
    const ex = example(k.lang);
    out.push(warn(path, 'no_e164_match', `${cap(n(k))} never matches a number in E.164 form (+…): Kazoo normalises numbers like ${ex ?? 'the ones it is written for'} to E.164 before the rules see them, unless the call bypasses E.164 (routing-spec §3.1, §11.11).`));
  }
  return out;
}

function capturingGroups(ast: AST.Pattern): AST.CapturingGroup[] {
  const out: AST.CapturingGroup[] = [];
  const visit = (node: AST.Node): void => {
    if (node.type === 'CapturingGroup') out.push(node);
    if ('alternatives' in node) node.alternatives.forEach(visit);
    if (node.type === 'Alternative') node.elements.forEach(visit);
    if (node.type === 'Quantifier') visit(node.element);
  };
  visit(ast);
  return out;
}

function canBeEmpty(node: AST.Node): boolean {
  switch (node.type) {
    case 'Alternative':
      return node.elements.every(canBeEmpty);
    case 'Group':
    case 'CapturingGroup':
    case 'Pattern':
      return node.alternatives.some(canBeEmpty);
    case 'Quantifier':
      return node.min === 0 || canBeEmpty(node.element);
    case 'Assertion':
    case 'Backreference':
      return true;
    default:
      return false;
  }
}

/** A group that may not take part in a match (under `?`/`*`/`{0,…}` or in one branch of an alternation). */
function isOptional(node: AST.Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'Quantifier' && p.min === 0) return true;
    if ((p.type === 'Group' || p.type === 'CapturingGroup' || p.type === 'Pattern') && p.alternatives.length > 1) return true;
  }
  return false;
}

/** Every group is empty-able or optional, and one can take part empty: the longest group can then be "" (§5.3). */
function canSendNothing(ast: AST.Pattern): boolean {
  const groups = capturingGroups(ast);
  return groups.length > 0 && groups.some((g) => canBeEmpty(g)) && groups.every((g) => canBeEmpty(g) || isOptional(g));
}

/** A number of the rule for which stepswitch's capture is empty, if an example shows it. */
function emptyExample(k: Kept): string | undefined {
  const re = kregex(k.source).re;
  if (!re) return undefined;
  for (const within of [E164(), undefined]) {
    const ex = example(k.lang!, within);
    const m = ex ? re.exec(ex) : null;
    if (m && longestGroup(m) === '') return ex;
  }
  return undefined;
}

// Bounded matching for the routing simulator's patterns. Every rule, cid_rule, classifier, e164 converter and
// formatter regex comes from a cluster (issue 15: hostile until bounded). JavaScript's RegExp backtracks, so a pattern
// with a repeated part that can itself match in several ways, e.g. `^(\d+)+#$` or `^(\d|\d)*$`, takes time
// exponential in the input's length and freezes the core's event loop. Kazoo's PCRE stops at its match limit; we
// decide once per pattern, at compile, from its syntax tree (regexpp), whether backtracking could blow up, and run
// such a pattern with RE2 (re2js: pure JavaScript, linear in the input whatever the pattern).
//
// Why the answer stays the same: RE2 "finds the leftmost-first match, the same match that Perl would, and can return
// submatch information" (google/re2 README; RE2's syntax page lists what it leaves out: back-references and
// look-arounds). So the whole match and each group are a backtracking engine's for the syntax both accept; one
// known exception is a repeated group whose last repetition is empty (e.g. `(a*)+`), where engines differ among
// themselves anyway. Where RE2 keeps a group's value from an earlier repetition, it agrees with PCRE, not with
// JavaScript (the shared PCRE list already marks that construct uncertain, routing-spec §11.12).
//
// A risky pattern RE2 cannot compile (a look-around or back-reference) keeps JavaScript's RegExp, but only on inputs
// of at most SAFE_INPUT characters (the longest E.164 number, '+' and 15 digits: 2^16 steps at worst for one nesting
// level); a longer input counts as not matching and the answer says so as uncertain.
import { RegExpParser, type AST } from '@eslint-community/regexpp';
import type { RE2JS as RE2JSClass } from 're2js';
import { lazyRequire } from '../lazy-require.ts';

const re2js = lazyRequire<{ RE2JS: typeof RE2JSClass }>('re2js');
const parser = new RegExpParser({ ecmaVersion: 2022 });

/** What callers use of a compiled pattern: JavaScript RegExp's `exec` result shape and `test`. */
export interface Matcher {
  exec(s: string): RegExpExecArray | null;
  test(s: string): boolean;
}

/** Inputs longer than this are not run through a risky pattern RE2 cannot take. */
export const SAFE_INPUT = 16;

/** Quantifiers allowing this many repetitions or more count as "large" for the polynomial case. */
const LARGE = 16;

type Node = AST.Alternative | AST.Element | AST.Pattern;

/**
 * Whether backtracking could take more than polynomial-in-small-degree time: a repeated element (maximum above one)
 * whose body has a variable quantifier or an alternation (nested or ambiguous quantifiers), or three or more large
 * quantifiers (adjacent `\d*\d*\d*` makes a degree-three polynomial). Unparsable text counts as risky.
 */
export function isRisky(source: string): boolean {
  // A quick pass first (a syntax tree costs ~40 µs, a world has hundreds of patterns): only a group can hold a nested
  // quantifier or alternation, and it is repeated only by `*`, `+` or `{`; the polynomial case needs three quantifiers.
  if (!/\)[*+{]/.test(source) && (source.match(/[*+]|,\d*\}/g)?.length ?? 0) < 3) return false;
  let ast: AST.Pattern;
  try {
    ast = parser.parsePattern(source, undefined, undefined, { unicode: false });
  } catch {
    return true;
  }
  let large = 0;
  let nested = false;
  const walk = (n: Node, repeated: boolean): void => {
    if (nested) return;
    switch (n.type) {
      case 'Pattern':
      case 'Group':
      case 'CapturingGroup':
        if (repeated && n.alternatives.length > 1) nested = true;
        for (const a of n.alternatives) walk(a, repeated);
        return;
      case 'Assertion':
        if (n.kind === 'lookahead' || n.kind === 'lookbehind') {
          if (repeated && n.alternatives.length > 1) nested = true;
          for (const a of n.alternatives) walk(a, repeated);
        }
        return;
      case 'Alternative':
        for (const e of n.elements) walk(e, repeated);
        return;
      case 'Quantifier':
        if (n.max >= LARGE) large++;
        if (repeated && n.min !== n.max) nested = true;
        walk(n.element, repeated || n.max > 1);
        return;
      default:
        return;
    }
  };
  walk(ast, false);
  return nested || large >= 3;
}

/** A RE2 program behind RegExp's `exec`/`test` shape; null when RE2 cannot compile the pattern. */
export function re2Matcher(source: string): Matcher | null {
  const { RE2JS } = re2js();
  let re: RE2JSClass;
  try {
    re = RE2JS.compile(source);
  } catch {
    return null;
  }
  const groups = re.groupCount();
  return {
    exec(s) {
      const m = re.matcher(s);
      if (!m.find()) return null;
      const out: (string | undefined)[] = [m.group(0) ?? ''];
      // A group that did not take part is null in RE2 and undefined in a RegExp result.
      for (let i = 1; i <= groups; i++) out.push(m.group(i) ?? undefined);
      return Object.assign(out, { index: m.start(0), input: s, groups: undefined }) as RegExpExecArray;
    },
    test: (s) => re.test(s),
  };
}

/** JavaScript's RegExp, run only on inputs of at most SAFE_INPUT characters (longer ones do not match). */
export function cappedMatcher(re: RegExp): Matcher {
  return {
    exec: (s) => (s.length > SAFE_INPUT ? null : re.exec(s)),
    test: (s) => s.length <= SAFE_INPUT && re.test(s),
  };
}

// The set of dialled numbers a Kazoo rule matches, as a finite automaton (refa), for the rule linter's questions:
// is this rule's every number taken by a later rule (§5.2, §11.9)? does this rule match every E.164 number? can it
// match a normalised number at all (§11.11)? Only rules whose anchors sit at the pattern's edges are analysed (the
// usual shape); anything else (lookarounds, back-references, inner anchors, PCRE-only syntax) gives null: no claim.
import { RegExpParser, type AST } from '@eslint-community/regexpp';
import type * as Refa from 'refa';
import { pcreNotes } from '../../shared/pcre.ts';
import { lazyRequire } from '../lazy-require.ts';

export type Language = Refa.NFA;

const MAX_NODES = 20_000;
const parser = new RegExpParser({ ecmaVersion: 2022 });

/** refa takes about half a second to load: only a lint of a rule list pays it, not every start of the app or CLI. */
const lib = lazyRequire<typeof Refa>('refa');

const nfaNodes = () => new (lib().NFA.LimitedNodeFactory)(MAX_NODES);
const dfaNodes = () => new (lib().DFA.LimitedNodeFactory)(MAX_NODES);

/** The language of a full-match regex source (no anchors needed), e.g. the universe of numbers. */
function fullMatch(source: string): Language {
  const { JS, NFA } = lib();
  const { expression, maxCharacter } = JS.Parser.fromLiteral({ source, flags: '' }).parse({ maxNodes: MAX_NODES });
  return NFA.fromRegex(expression, { maxCharacter }, { assertions: 'throw' }, nfaNodes());
}

function lazy(source: string): () => Language {
  let l: Language | undefined;
  return () => (l ??= fullMatch(source));
}

/** Everything a dialled number can be: digits, * and #, with an optional leading +. */
const UNIVERSE = lazy('\\+?[0-9*#]*');
/** E.164 numbers as stepswitch sees them after normalisation (§3.1). */
export const E164 = lazy('\\+[1-9][0-9]{6,14}');
/** Long digit strings the default converters turn into E.164 (so rules never see them unnormalised, §3.1, §11.11). */
const CONVERTED = lazy('(?:\\+?1)?[2-9][0-9]{2}[2-9][0-9]{6}|011[0-9]{5,}|00[0-9]{5,}|[2-9][0-9]{7,}');


function hasInnerAssertion(node: AST.Node): boolean {
  switch (node.type) {
    case 'Assertion':
    case 'Backreference':
      return true;
    case 'Group':
    case 'CapturingGroup':
      return node.alternatives.some(hasInnerAssertion);
    case 'Alternative':
      return node.elements.some(hasInnerAssertion);
    case 'Quantifier':
      return hasInnerAssertion(node.element);
    default:
      return false;
  }
}

const languages = new Map<string, Language | null>();

/**
 * The numbers (within the universe) that `source` matches somewhere, as Erlang's re:run does without anchoring
 * (§5.1). null when the pattern is outside what is analysed. Cached: drafts share rule texts.
 */
export function ruleLanguage(source: string): Language | null {
  if (languages.has(source)) return languages.get(source)!;
  const l = compute(source);
  if (languages.size > 5000) languages.clear();
  languages.set(source, l);
  return l;
}

function compute(source: string): Language | null {
  if (pcreNotes(source).length > 0) return null;
  let pattern: AST.Pattern;
  try {
    pattern = parser.parsePattern(source, undefined, undefined, { unicode: false });
  } catch {
    return null;
  }
  const parts: string[] = [];
  for (const alt of pattern.alternatives) {
    const els = [...alt.elements];
    const first = els[0];
    const last = els[els.length - 1];
    const start = first?.type === 'Assertion' && first.kind === 'start';
    if (start) els.shift();
    const end = els.length > 0 && last?.type === 'Assertion' && last.kind === 'end';
    if (end) els.pop();
    if (els.some(hasInnerAssertion)) return null;
    const inner = els.length ? source.slice(els[0]!.start, els[els.length - 1]!.end) : '';
    parts.push(`${start ? '' : '[^]*'}(?:${inner})${end ? '' : '[^]*'}`);
  }
  try {
    return lib().NFA.fromIntersection(fullMatch(parts.join('|')), UNIVERSE(), nfaNodes());
  } catch {
    // Too large to analyse (TooManyNodesError) or not understood by the parser: no claim about this rule.
    return null;
  }
}

/** Whether every number of `a` is in `b` (a ⊆ b). */
export function isSubset(a: Language, b: Language): boolean {
  try {
    const notB = lib().DFA.fromFA(b, dfaNodes());
    notB.complement();
    return lib().isDisjointWith(a, notB, MAX_NODES);
  } catch {
    return false;
  }
}

export function union(list: Language[]): Language {
  const out = list[0]!.copy();
  for (const l of list.slice(1)) out.union(l);
  return out;
}

/** Digits an example number is made of where the rule allows them (reads like a number, not +0000000). */
const SAMPLE = '4158867900442071234567';

/** A readable example number of `l` (within `within` when given), e.g. for a message. */
export function example(l: Language, within?: Language): string | undefined {
  try {
    for (const ws of lib().getIntersectionWordSets(l, within ?? UNIVERSE(), MAX_NODES)) {
      if (ws.length < 3 && !within) continue;
      let out = '';
      let free = 0;
      for (const cs of ws) {
        // Positions the rule fixes keep their character; the free ones take the sample digits in turn.
        const want = SAMPLE.charCodeAt(free % SAMPLE.length);
        if (cs.has(43)) out += '+';
        else if (cs.size === 1) out += String.fromCharCode(cs.ranges[0]!.min);
        else {
          out += String.fromCharCode(cs.has(want) ? want : cs.ranges[0]!.min);
          free++;
        }
      }
      return out;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

export function intersects(a: Language, b: Language): boolean {
  try {
    return !lib().isDisjointWith(a, b, MAX_NODES);
  } catch {
    return true;
  }
}

/** Whether the rule matches dialled forms that the default converters turn into E.164 before rules see them (§3.1, §11.11). */
export function matchesConverted(l: Language): boolean {
  return intersects(l, CONVERTED());
}

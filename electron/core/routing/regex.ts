// Kazoo regexes evaluated with JavaScript's RegExp (routing-spec §5.1: Erlang `re`, no options, no implicit
// anchoring), with what the shared PCRE list says JavaScript cannot reproduce, and the three ways Kazoo turns a
// match into a value: stepswitch's longest group (§5.3), the converters' last group (§3.1), formatters' first group (§7).
// A pattern whose backtracking could blow up runs with RE2 instead (regex-safe.ts, issue 15).
import { checkKazooPattern, type PcreNote } from '../../shared/pcre.ts';
import { cappedMatcher, isRisky, re2Matcher, SAFE_INPUT, type Matcher } from './regex-safe.ts';

export interface KRegex {
  source: string;
  /** Null when JavaScript cannot compile it; RegExp itself, or RE2 behind the same shape for a risky pattern. */
  re: Matcher | null;
  /** False when Kazoo drops it too (neither engine compiles it, §5.2). */
  kazooKeeps: boolean;
  /** Constructs read differently by PCRE: an answer that evaluates this pattern is uncertain (§11.12). */
  notes: readonly PcreNote[];
  /** JavaScript's compile error, if any. */
  error?: string;
  /** Set when the pattern is risky and RE2 cannot run it: inputs longer than this are not evaluated (counted as no match). */
  capped?: number;
  /** A literal every match starts with at position 0 (a quick reject before running the regex), or ''. */
  prefix: string;
}

const cache = new Map<string, KRegex>();

/** Compiles a pattern once (patterns repeat across resources and worlds). */
export function kregex(source: string): KRegex {
  let hit = cache.get(source);
  if (hit) return hit;
  const check = checkKazooPattern(source);
  let re: Matcher | null = null;
  let capped: number | undefined;
  if (check.compiles) {
    const js = new RegExp(source);
    re = js;
    if (isRisky(source)) {
      re = re2Matcher(source);
      if (!re) {
        re = cappedMatcher(js);
        capped = SAFE_INPUT;
      }
    }
  }
  hit = {
    source, re, kazooKeeps: check.kazooKeeps, notes: check.notes, ...(check.error ? { error: check.error } : {}), ...(capped ? { capped } : {}),
    prefix: check.notes.length ? '' : literalPrefix(source),
  };
  if (cache.size > 20_000) cache.clear();
  cache.set(source, hit);
  return hit;
}

/** Whether the answer cannot be taken as sure when this pattern was evaluated (or skipped). */
export function isUncertain(r: KRegex): boolean {
  return r.notes.length > 0 || (r.re === null && r.kazooKeeps) || r.capped !== undefined;
}

/** Why, in one sentence, for the answer's `uncertain` list. */
export function uncertainty(r: KRegex): string {
  if (r.capped !== undefined && r.notes.length === 0) {
    return `The pattern ${JSON.stringify(r.source)} nests repetitions and uses a look-around or back-reference: matching it can take exponential time, so it is evaluated only on numbers of at most ${r.capped} characters and counts as not matching longer ones; Kazoo's PCRE would run it up to its match limit, so this part of the answer is uncertain (routing-spec §11.12).`;
  }
  const n = r.notes[0];
  const what = n ? n.what : 'syntax JavaScript does not understand';
  return `The pattern ${JSON.stringify(r.source)} uses ${what}; JavaScript evaluates it differently from Kazoo's PCRE, so this part of the answer is uncertain (routing-spec §11.12).`;
}

const META = new Set(['\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}']);

/**
 * The literal text a match must start with: after a leading `^`, the plain or escaped-punctuation characters up to
 * the first construct; a character made optional by a following quantifier is left out. '' when the pattern has an
 * alternation (its branches may start differently) or no leading `^`.
 */
export function literalPrefix(src: string): string {
  if (!src.startsWith('^') || hasTopLevelBar(src)) return '';
  let out = '';
  let i = 1;
  while (i < src.length) {
    let ch: string;
    let len = 1;
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined || /[0-9A-Za-z]/.test(n)) break;
      ch = n;
      len = 2;
    } else if (META.has(c)) break;
    else ch = c;
    const q = src[i + len];
    if (q === '?' || q === '*' || q === '{') break;
    out += ch;
    i += len;
    if (q === '+') break;
  }
  return out;
}

/** Whether the pattern has a `|` outside character classes (at any depth: a conservative answer is enough). */
function hasTopLevelBar(src: string): boolean {
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') {
      i++;
      if (src[i] === '^') i++;
      if (src[i] === ']') i++;
      while (i < src.length && src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
    } else if (c === '|') return true;
  }
  return false;
}

/** Runs a compiled pattern on `s` (the caller checked `re`); null when it does not match. */
export function run(r: KRegex, s: string): RegExpExecArray | null {
  if (r.prefix && !s.startsWith(r.prefix)) return null;
  return r.re!.exec(s);
}

/** Index of the last group that took part in the match; 0 when none did (Erlang reports groups up to it). */
function lastReported(m: RegExpExecArray): number {
  for (let i = m.length - 1; i >= 1; i--) if (m[i] !== undefined) return i;
  return 0;
}

/**
 * stepswitch's matched number (routing-spec §5.3): the matched substring when no group took part; otherwise the
 * longest reported group, ties to the later one, groups that did not take part counting as empty.
 */
export function longestGroup(m: RegExpExecArray): string {
  const last = lastReported(m);
  if (last === 0) return m[0];
  let best = '';
  let bestLen = -1;
  for (let i = 1; i <= last; i++) {
    const v = m[i] ?? '';
    if (v.length >= bestLen) {
      best = v;
      bestLen = v.length;
    }
  }
  return best;
}

/** The e164 converters' capture (§3.1): the last reported group, or the whole match without one. */
export function lastGroup(m: RegExpExecArray): string {
  const last = lastReported(m);
  return last === 0 ? m[0] : m[last]!;
}

/** Formatters' capture (§7): the first group (empty if it did not take part) when any group took part, else the whole match. */
export function firstGroup(m: RegExpExecArray): string {
  return lastReported(m) === 0 ? m[0] : (m[1] ?? '');
}

// The one list of regular-expression constructs that JavaScript's RegExp and PCRE (Kazoo's Erlang `re`, compiled
// with no options: routing-spec §5.1) read differently (§11.12). The rule linter, the routing simulator (which marks
// an answer that depends on such a pattern as uncertain) and the editor's live regex check all use this list.
// Pure: no Node or DOM APIs, so the renderer may import it.

export interface PcreNote {
  /** pcre_only: Kazoo understands it, JavaScript cannot evaluate it the same way; pcre_differs: both accept it, with different meanings. */
  kind: 'pcre_only' | 'pcre_differs';
  /** Plain-English name of the construct, e.g. "a possessive quantifier (++, *+, ?+)". */
  what: string;
}

interface Construct extends PcreNote {
  re: RegExp;
}

/** Patterns of the pattern text; each names one construct. Checked on the raw source (escapes included). */
const CONSTRUCTS: readonly Construct[] = [
  { kind: 'pcre_only', re: /\(\?>/, what: 'an atomic group (?>...)' },
  { kind: 'pcre_only', re: /(?:^|[^\\])(?:\\\\)*(?:[*+?}])\+/, what: 'a possessive quantifier (++, *+, ?+)' },
  { kind: 'pcre_only', re: /\(\?P[<=>]/, what: 'a Python-style named group (?P<...>)' },
  { kind: 'pcre_only', re: /\(\?[imsxUJ-]+\)/, what: 'an inline flag group such as (?i)' },
  { kind: 'pcre_only', re: /\(\?[imsxUJ-]+:/, what: 'a flag group such as (?i:...)' },
  { kind: 'pcre_only', re: /\\[AZzG]/, what: 'a PCRE anchor (\\A, \\Z, \\z or \\G; JavaScript reads them as plain letters)' },
  { kind: 'pcre_only', re: /\\[hHRKeQE]/, what: 'a PCRE escape (\\h, \\R, \\K, \\e or \\Q...\\E)' },
  { kind: 'pcre_only', re: /\\x\{/, what: 'a \\x{...} code point escape' },
  { kind: 'pcre_only', re: /\\[pP]\{/, what: 'a Unicode property escape \\p{...}' },
  { kind: 'pcre_only', re: /\\g\{?-?\d|\\k\{/, what: 'a PCRE back-reference (\\g1, \\g{...}, \\k{...})' },
  { kind: 'pcre_only', re: /\(\?(R|[+-]?\d+\)|&)/, what: 'a recursive pattern (?R) or subroutine call (?1)' },
  { kind: 'pcre_only', re: /\(\?\(/, what: 'a conditional group (?(...)...)' },
  { kind: 'pcre_only', re: /\(\?\|/, what: 'a branch-reset group (?|...)' },
  { kind: 'pcre_only', re: /\(\?#/, what: 'a comment group (?#...)' },
  { kind: 'pcre_only', re: /\(\*[A-Z_]+/, what: 'a PCRE verb such as (*UTF8)' },
  { kind: 'pcre_only', re: /\[\[:\^?\w+:\]/, what: 'a POSIX class such as [[:digit:]] (JavaScript reads it as a plain character set)' },
  { kind: 'pcre_differs', re: /\(\?<[=!]/, what: 'a lookbehind: PCRE accepts only fixed-length lookbehinds (JavaScript accepts any)' },
  { kind: 'pcre_differs', re: /\\u[0-9a-fA-F]{4}|\\u\{/, what: 'a \\u escape: JavaScript reads a character code, PCRE refuses the pattern' },
  { kind: 'pcre_differs', re: /(?:^|[^\\])(?:\\\\)*\[\^?\]/, what: 'an empty character class [] or [^]: JavaScript matches nothing or anything, PCRE reads the ] as a literal' },
  { kind: 'pcre_differs', re: /\\[dwsb][^]*[^\p{ASCII}]|[^\p{ASCII}][^]*\\[dwsb]/u, what: '\\d/\\w/\\s with non-ASCII text: PCRE and JavaScript match different characters' },
  { kind: 'pcre_differs', re: /\\[1-9]\d/, what: 'a two-digit back-reference (\\10...): PCRE and JavaScript decide differently between group and octal' },
];

/** Whether the text right after a group is a quantifier that may repeat it (maximum above one). */
function repeats(after: string): boolean {
  if (after[0] === '*' || after[0] === '+') return true;
  const m = /^\{(\d*)(,?)(\d*)\}/.exec(after);
  if (!m) return false;
  const max = m[2] ? (m[3] === '' ? Infinity : Number(m[3])) : Number(m[1]);
  return max > 1;
}

/** Whether some capturing group sits inside a repeated group: JavaScript clears it on each repetition, PCRE keeps the last value. */
function captureInRepeatedGroup(src: string): boolean {
  // A small scanner: escapes and character classes are skipped; each group remembers whether it captures.
  const open: { captures: boolean; hasCapture: boolean }[] = [];
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      i++;
      if (src[i] === '^') i++;
      if (src[i] === ']') i++;
      while (i < src.length && src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
      continue;
    }
    if (c === '(') {
      const captures = src[i + 1] !== '?' || src.startsWith('(?<', i) && !/^\(\?<[=!]/.test(src.slice(i, i + 4));
      open.push({ captures, hasCapture: false });
      continue;
    }
    if (c === ')') {
      const g = open.pop();
      if (!g) continue;
      const inner = g.hasCapture;
      if (inner && repeats(src.slice(i + 1))) return true;
      const parent = open[open.length - 1];
      if (parent && (g.captures || inner)) parent.hasCapture = true;
    }
  }
  return false;
}

/** Every construct of the list that `pattern` uses (empty for a pattern both engines read alike). */
export function pcreNotes(pattern: string): PcreNote[] {
  const out: PcreNote[] = [];
  for (const c of CONSTRUCTS) if (c.re.test(pattern)) out.push({ kind: c.kind, what: c.what });
  if (captureInRepeatedGroup(pattern)) {
    out.push({ kind: 'pcre_differs', what: 'a capture group inside a repeated group: JavaScript clears it on each repetition, PCRE keeps the last value' });
  }
  return out;
}

export interface PatternCheck {
  /** Whether JavaScript compiles it (the simulator can then evaluate it, maybe with a difference noted). */
  compiles: boolean;
  /** Whether Kazoo keeps the rule: false when neither engine compiles it (Kazoo drops it with a warning, §5.2). */
  kazooKeeps: boolean;
  /** The JavaScript compile error, when it does not compile. */
  error?: string;
  notes: PcreNote[];
}

/** Compiles `pattern` as Kazoo would use it and lists what JavaScript cannot reproduce exactly. */
export function checkKazooPattern(pattern: string): PatternCheck {
  const notes = pcreNotes(pattern);
  try {
    new RegExp(pattern);
    return { compiles: true, kazooKeeps: true, notes };
  } catch (e) {
    const error = (e as Error).message.replace(/^Invalid regular expression: /, '');
    return { compiles: false, kazooKeeps: notes.some((n) => n.kind === 'pcre_only'), error, notes };
  }
}

/** One line for the editor: an error when Kazoo drops the pattern, a warning when JavaScript cannot check it exactly. */
export function patternVerdict(pattern: string): { error?: string; warning?: string } {
  if (pattern === '') return { warning: 'An empty pattern matches every number and sends an empty number (routing-spec §5.3).' };
  const c = checkKazooPattern(pattern);
  if (!c.compiles && !c.kazooKeeps) return { error: `Not a valid regular expression: ${c.error}. Kazoo drops it (routing-spec §5.2).` };
  const pcreOnly = c.notes.find((n) => n.kind === 'pcre_only');
  if (pcreOnly) return { warning: `Uses ${pcreOnly.what}: valid for Kazoo (PCRE) but ${c.compiles ? 'read differently by' : 'not understood by'} JavaScript, so the test here is uncertain (routing-spec §11.12).` };
  const differs = c.notes[0];
  if (differs) return { warning: `Uses ${differs.what} (routing-spec §11.12).` };
  return {};
}

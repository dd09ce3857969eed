// Live checks of Kazoo rules (PCRE regexes, tested here with JS RegExp) and the "test a number" logic:
// which rule matches, what it captures, and the dial string each gateway would send.
export interface RegexCheck {
  ok: boolean;
  /** Cannot compile in JS and is not a known PCRE-only construct. */
  error?: string;
  /** PCRE and JS differ here: the test below may not match what Kazoo does. */
  warning?: string;
}

const PCRE_ONLY: [RegExp, string][] = [
  [/\(\?P</, 'named groups (?P<…>)'],
  [/\(\?>/, 'atomic groups (?>…)'],
  [/(?:[^\\]|^)(?:\+\+|\*\+|\?\+|\}\+)/, 'possessive quantifiers (++, *+)'],
  [/\\[AZz]/, '\\A / \\Z anchors'],
  [/\(\?[imsx-]+\)/, 'inline flags like (?i)'],
];

export function checkRegex(src: string): RegexCheck {
  if (src === '') return { ok: false, error: 'An empty rule matches every number. Remove it or write a pattern.' };
  const pcre = PCRE_ONLY.find(([re]) => re.test(src));
  try {
    new RegExp(src);
  } catch (e) {
    if (pcre) return { ok: true, warning: `Uses ${pcre[1]}: valid for Kazoo (PCRE) but cannot be tested here.` };
    return { ok: false, error: `Not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}` };
  }
  if (pcre) return { ok: true, warning: `Uses ${pcre[1]}: Kazoo (PCRE) reads this differently from the test here.` };
  if (/\(\?<[=!]/.test(src)) return { ok: true, warning: 'Lookbehind: supported by PCRE only with a fixed length.' };
  return { ok: true };
}

export interface RuleMatch {
  index: number;
  rule: string;
  /** What Kazoo keeps of the number: the first capture group when there is one, else the whole number. */
  captured: string;
}

export function firstMatch(rules: readonly string[], value: string): RuleMatch | null {
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    let re: RegExp;
    try {
      re = new RegExp(rule);
    } catch {
      continue;
    }
    const m = re.exec(value);
    if (m) return { index: i, rule, captured: m.length > 1 && m[1] !== undefined ? m[1] : value };
  }
  return null;
}

/** The number as the gateway's invite_format writes it. */
export function formatForInvite(number: string, format: string | undefined): string {
  const digits = number.replace(/\D/g, '');
  switch (format) {
    case 'e164':
      return number.startsWith('+') ? number : `+${digits}`;
    case 'npan':
      return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
    case '1npan':
      return digits.length === 10 ? `1${digits}` : digits;
    case 'strip_plus':
      return number.replace(/^\+/, '');
    default:
      return number;
  }
}

export interface GatewayDial {
  index: number;
  server: string;
  enabled: boolean;
  dial: string;
  uri: string;
}

export function dialStrings(captured: string, gateways: readonly Record<string, unknown>[]): GatewayDial[] {
  return gateways.map((g, index) => {
    const fmt = typeof g.invite_format === 'string' ? g.invite_format : 'route';
    const body = fmt === 'username' && typeof g.username === 'string' ? g.username : formatForInvite(captured, fmt);
    const dial = `${String(g.prefix ?? '')}${body}${String(g.suffix ?? '')}`;
    const server = String(g.server ?? '');
    const port = g.port === undefined || g.port === '' ? '' : `:${String(g.port)}`;
    return { index, server, enabled: g.enabled !== false, dial, uri: typeof g.route === 'string' && g.route ? g.route : `sip:${dial}@${server}${port}` };
  });
}

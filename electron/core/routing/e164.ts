// Number normalisation as Kazoo's number library does it (routing-spec §3.1, knm_converter_regex): the system
// e164_converters tried in stored order, plus the npan / 1npan / strip_plus rewrites formatters use (§6.4).
import { entriesOf, getText, isObject } from './kz-json.ts';
import { isUncertain, kregex, lastGroup, type KRegex } from './regex.ts';
import { RouteFailure } from './failure.ts';
import type { Ordered } from './types.ts';

/** The code default, identical on 4.3 and master, in this order (§3.1). */
export const DEFAULT_E164_CONVERTERS: readonly (readonly [string, { prefix: string }])[] = [
  ['^(\\+?1)?([2-9][0-9]{2}[2-9][0-9]{6})$', { prefix: '+1' }],
  ['^011(\\d{5,})$|^00(\\d{5,})$', { prefix: '+' }],
  ['^[2-9]\\d{7,}$', { prefix: '+' }],
];

interface Converter {
  re: KRegex;
  prefix: string;
  suffix: string;
}

export class Normaliser {
  private readonly converters: Converter[];
  /** Patterns evaluated by the last call that JavaScript cannot reproduce exactly. */
  lastUncertain: KRegex | null = null;

  constructor(table?: Ordered) {
    const entries = table ? entriesOf(table) : DEFAULT_E164_CONVERTERS;
    this.converters = entries.map(([regex, v]) => {
      const o = isObject(v) ? v : {};
      return { re: kregex(regex), prefix: getText(o.prefix, ''), suffix: getText(o.suffix, '') };
    });
  }

  /** knm_converters:normalize/1: a number starting with + is kept; else the first converter that matches rewrites it. */
  normalise(n: string): string {
    this.lastUncertain = null;
    if (n.startsWith('+')) return n;
    for (const c of this.converters) {
      if (isUncertain(c.re)) this.lastUncertain = c.re;
      if (!c.re.re) {
        if (c.re.kazooKeeps) continue;
        throw new RouteFailure('converter_invalid', `The e164 converter ${JSON.stringify(c.re.source)} of number_manager is not a valid regular expression: Kazoo's normaliser crashes on it and the call fails (routing-spec §3.1).`);
      }
      const m = c.re.prefix && !n.startsWith(c.re.prefix) ? null : c.re.re.exec(n);
      if (m) return c.prefix + lastGroup(m) + c.suffix;
    }
    return n;
  }
}

const NPAN = /^\+?1?([2-9][0-9]{2}[2-9][0-9]{6})$/;

/** knm_converters:to_npan: +14158867900 → 4158867900; other numbers unchanged (§6.4). */
export function toNpan(n: string): string {
  const m = NPAN.exec(n);
  return m ? m[1]! : n;
}

/** knm_converters:to_1npan: +14158867900 → 14158867900; other numbers unchanged (§6.4). */
export function to1npan(n: string): string {
  const m = NPAN.exec(n);
  return m ? `1${m[1]}` : n;
}

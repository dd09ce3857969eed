// E.164 normalisation of one raw value with libphonenumber-js (min metadata) and a default country — plain inputs
// through e164-shortcut.ts, which takes libphonenumber's own decisions at a tenth of the cost — plus the extra rule
// that Kazoo's reconcile regex refuses numbers shorter than 8 digits after the '+'.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import type { CountryCode } from 'libphonenumber-js/min';
import { shortcutE164 } from './e164-shortcut.ts';

type Lib = typeof import('libphonenumber-js/min');
const require = createRequire(import.meta.url);

// `min` and `max` give the same E.164 validity for the national-number check Kazoo cares about, and
// measured the same speed here (~115k/s); most of the time went into libphonenumber-js building a new
// RegExp for every pattern test. The CommonJS build reads that helper through its exports object at call
// time, so memoising it is safe and gives ~1.6x. If the layout changes, we just run unpatched.
let lib: Lib | undefined;
function load(): Lib {
  if (lib) return lib;
  memoiseRegexHelper();
  // The CommonJS build is the one whose helper can be memoised (the ES build binds it at import time).
  lib = require('libphonenumber-js/min') as Lib;
  return lib;
}

const buildDir = () => join(dirname(require.resolve('libphonenumber-js/min')), '..', 'build');

type PhoneNumber = NonNullable<ReturnType<Lib['parsePhoneNumberFromString']>>;
type Parse = (text: string, country: CountryCode) => PhoneNumber | undefined;

/**
 * parsePhoneNumberFromString(text, country) without its wrappers. With a supported default country the public
 * function does exactly this: `parse(text, {defaultCountry, v2: true}, metadata)`, a ParseError meaning "no
 * number". The wrappers rebuild the options object twice per call through Babel's object-spread helper, which
 * cost ~15% of an import. Falls back to the public function if the package layout differs (a unit test
 * compares both on thousands of inputs).
 */
function directParse(): Parse | undefined {
  try {
    const dir = buildDir();
    const parse = (require(join(dir, 'parse.js')) as { default?: unknown }).default;
    const ParseError = (require(join(dir, 'ParseError.js')) as { default?: unknown }).default;
    const metadata = require(join(dir, '..', 'metadata.min.json')) as unknown;
    if (typeof parse !== 'function' || typeof ParseError !== 'function' || !metadata) return undefined;
    const options = new Map<string, { defaultCountry: string; v2: true }>();
    return (text, country) => {
      let o = options.get(country);
      if (!o) options.set(country, (o = { defaultCountry: country, v2: true }));
      try {
        return (parse as (t: string, o: object, m: unknown) => PhoneNumber)(text, o, metadata);
      } catch (e) {
        if (e instanceof (ParseError as new () => Error)) return undefined;
        throw e;
      }
    };
  } catch {
    return undefined;
  }
}

let fastParse: Parse | undefined | null = null;

function memoiseRegexHelper(): void {
  try {
    const file = join(buildDir(), 'helpers', 'matchesEntirely.js');
    if (!existsSync(file)) return;
    const helper = require(file) as { default?: (text: string, re: string) => boolean };
    if (typeof helper.default !== 'function') return;
    const cache = new Map<string, RegExp>();
    helper.default = (text: string, re: string) => {
      let r = cache.get(re);
      if (!r) {
        r = new RegExp('^(?:' + re + ')$');
        cache.set(re, r);
      }
      return r.test(text || '');
    };
  } catch {
    // Performance only; correctness does not depend on it.
  }
}

export type Normalised = { e164: string; reason?: undefined } | { e164?: undefined; reason: string };

const KAZOO_RECONCILABLE = /^\+1\d{10}$|^\+[2-9]\d{7,}$/;
const HAS_DIGIT = /\d/;
const LENGTH_REASONS: Record<string, string> = {
  TOO_SHORT: 'too short',
  TOO_LONG: 'too long',
  INVALID_LENGTH: 'wrong length',
  INVALID_COUNTRY: 'unknown country code (write it as +<country code><number>, or choose the default country)',
  NOT_A_NUMBER: 'not a phone number',
};

export function isCountry(code: string): boolean {
  return load().isSupportedCountry(code.toUpperCase());
}

const KAZOO_REFUSES = 'Kazoo cannot import it (needs at least 8 digits after the +)';

/**
 * A normaliser for one default country (ISO 3166 alpha-2, e.g. 'US'). Plain inputs ('+<code><number>', national
 * digits) take the shortcut (e164-shortcut.ts), the rest libphonenumber. `viaPublicApi` forces libphonenumber's
 * public parse function for everything (the reference the fast paths are tested against).
 */
export function createNormalizer(defaultCountry: string, opts: { viaPublicApi?: boolean } = {}): (raw: string) => Normalised {
  const { parsePhoneNumberFromString, validatePhoneNumberLength, isSupportedCountry } = load();
  const country = defaultCountry.toUpperCase();
  if (!isSupportedCountry(country)) throw new Error(`Unknown default country '${defaultCountry}': use a two-letter ISO code such as US, GB or DE.`);
  const cc = country as CountryCode;
  if (fastParse === null) fastParse = directParse();
  const parsePhoneNumber: Parse = (!opts.viaPublicApi && fastParse) || parsePhoneNumberFromString;
  return (raw: string): Normalised => {
    const text = raw.trim();
    if (text === '') return { reason: 'empty' };
    if (!HAS_DIGIT.test(text)) return { reason: 'not a phone number' };
    const quick = opts.viaPublicApi ? undefined : shortcutE164(text, country);
    if (quick !== undefined) return KAZOO_RECONCILABLE.test(quick) ? { e164: quick } : { reason: KAZOO_REFUSES };
    const parsed = parsePhoneNumber(text, cc);
    if (!parsed) {
      const why = validatePhoneNumberLength(text, cc);
      return { reason: (why && LENGTH_REASONS[why]) ?? 'not a phone number' };
    }
    if (parsed.ext) return { reason: 'has an extension (E.164 numbers cannot carry one)' };
    if (!parsed.isValid()) {
      const why = validatePhoneNumberLength(text, cc);
      const where = parsed.country ?? `+${parsed.countryCallingCode}`;
      return { reason: why && LENGTH_REASONS[why] ? `${LENGTH_REASONS[why]} for ${where}` : `not a valid number for ${where}` };
    }
    const e164 = parsed.number;
    if (!KAZOO_RECONCILABLE.test(e164)) return { reason: KAZOO_REFUSES };
    return { e164 };
  };
}

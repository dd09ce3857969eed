// A shortcut past libphonenumber's parser for the inputs most number lists are made of: "+<country code><number>"
// and the plain national digits of the default country (e.g. a US 10-digit number), written with ASCII digits and
// optionally spaces, dashes, dots and brackets. For those it takes the same decisions as libphonenumber-js's
// `parse(text, {defaultCountry, v2: true})` followed by `isValid()` (each step below names the libphonenumber function
// it stands for), with the country's patterns compiled once instead of a new Metadata/RegExp per call: ~10x cheaper,
// and the E.164 step bounds an import on a 2-core machine. It only ever answers "valid, and this is its E.164";
// whenever a step would take a turn it does not model (a national or international prefix to strip, a country chosen
// by leading digits, a number not valid in the first country of its calling code) it answers undefined and the caller
// asks libphonenumber. normalize-shortcut.test.ts compares it with libphonenumber's public API on generated and
// real-looking numbers of every supported country.
import { lazyRequire } from '../lazy-require.ts';

/** The part of libphonenumber-js's Metadata class used here (core/index.cjs exports it; its typings do not). */
interface NumberingPlan {
  callingCode(): string;
  IDDPrefix(): string | undefined;
  nationalNumberPattern(): string;
  nationalPrefixForParsing(): string | undefined;
  leadingDigits(): string | undefined;
  hasTypes(): boolean;
  type(t: string): { pattern(): string | undefined; possibleLengths(): number[] | undefined } | undefined;
}
interface Metadata {
  numberingPlan: NumberingPlan;
  selectNumberingPlan(countryOrCallingCode: string): Metadata;
  hasCallingCode(code: string): boolean;
  getCountryCodesForCallingCode(code: string): string[] | undefined;
}
type MetadataClass = new (json: unknown) => Metadata;

const core = lazyRequire<{ Metadata: MetadataClass }>('libphonenumber-js/core');
const minMetadata = lazyRequire<unknown>('libphonenumber-js/min/metadata');

/** helpers/matchesEntirely.js */
const entirely = (re: string) => new RegExp('^(?:' + re + ')$');

/** The order helpers/getNumberType.js tries the types in (FIXED_LINE first). */
const TYPES = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];

/** constants.js MIN_LENGTH_FOR_NSN / MAX_LENGTH_FOR_NSN, MAX_LENGTH_COUNTRY_CODE; parse.js MAX_INPUT_STRING_LENGTH. */
const MIN_NSN = 2;
const MAX_NSN = 17;
const MAX_CC = 3;
const MAX_INPUT = 250;

/** One country's numbering plan, compiled. */
interface Plan {
  callingCode: string;
  /** helpers/getNumberType.js gives a type: the national pattern, then the first type whose lengths and pattern fit. */
  hasType(nationalNumber: string): boolean;
  /** isValid.js: a type when the metadata has types (the max set), else the national pattern (the min set, ours). */
  valid(nationalNumber: string): boolean;
  /** national_prefix_for_parsing, anchored (extractNationalNumberFromPossiblyIncompleteNumber.js). */
  nationalPrefix: RegExp | undefined;
  /** The IDD prefix as stripIddPrefix.js builds it (unanchored; it tests `search() === 0`). */
  idd: RegExp;
  /** Leading digits, anchored: `search(leadingDigits) === 0` (getCountryByNationalNumber.js). */
  leading: RegExp | undefined;
  /** The countries sharing the calling code, main country first (undefined for a non-geographic code). */
  sharing: string[] | undefined;
}

let metadata: Metadata | undefined;
const plans = new Map<string, Plan>();

function meta(): Metadata {
  return (metadata ??= new (core().Metadata)(minMetadata()));
}

function planOf(country: string): Plan {
  let plan = plans.get(country);
  if (plan) return plan;
  const p = meta().selectNumberingPlan(country).numberingPlan;
  const national = entirely(p.nationalNumberPattern());
  const types: { re: RegExp; lengths: number[] | undefined }[] = [];
  for (const t of TYPES) {
    const def = p.type(t);
    const pattern = def?.pattern();
    // isNumberTypeEqualTo: a type without a pattern never matches. (A matching FIXED_LINE always yields a type.)
    if (def && pattern) types.push({ re: entirely(pattern), lengths: def.possibleLengths() });
  }
  const hasType = (nn: string) => national.test(nn) && types.some((t) => (!t.lengths || t.lengths.includes(nn.length)) && t.re.test(nn));
  const npfp = p.nationalPrefixForParsing();
  const leading = p.leadingDigits();
  plan = {
    callingCode: p.callingCode(),
    hasType,
    valid: p.hasTypes() ? hasType : (nn) => national.test(nn),
    nationalPrefix: npfp ? new RegExp('^(?:' + npfp + ')') : undefined,
    idd: new RegExp(p.IDDPrefix() as string),
    leading: leading ? new RegExp('^(?:' + leading + ')') : undefined,
    sharing: meta().getCountryCodesForCallingCode(p.callingCode()),
  };
  plans.set(country, plan);
  return plan;
}

/** getCountryByCallingCode.js / getCountryByNationalNumber.js: the exact country of a national number, if any. */
function exactCountry(sharing: string[], nn: string): string | undefined {
  if (sharing.length === 1) return sharing[0];
  for (const c of sharing) {
    const plan = planOf(c);
    if (plan.leading ? plan.leading.test(nn) : plan.hasType(nn)) return c;
  }
  return undefined;
}

const PLUS = 43;
const ZERO = 48;
const NINE = 57;

/**
 * The text's digits (and whether it starts with '+') when it is of the shape whose parseInput() is plain: ASCII
 * digits, at most one '+' and only as the first character, and spaces, dashes, dots and brackets, none of which can
 * start an extension, an RFC 3966 URI or a non-ASCII digit (helpers/extension/createExtensionPattern.js,
 * extractFormattedPhoneNumberFromPossibleRfc3966NumberUri.js, parseIncompletePhoneNumber.js). At least 3 digits,
 * so the text is viable (isViablePhoneNumber.js).
 */
function digitsOf(text: string): { plus: boolean; digits: string } | undefined {
  if (text.length > MAX_INPUT) return undefined;
  const plus = text.charCodeAt(0) === PLUS;
  let digits = '';
  let plain = true;
  for (let i = plus ? 1 : 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= ZERO && c <= NINE) {
      if (!plain) digits += text[i];
      continue;
    }
    if (c !== 32 && c !== 45 && c !== 46 && c !== 40 && c !== 41) return undefined;
    if (plain) {
      plain = false;
      digits = text.slice(plus ? 1 : 0, i);
    }
  }
  if (plain) digits = plus ? text.slice(1) : text;
  return digits.length >= 3 ? { plus, digits } : undefined;
}

/**
 * The E.164 form libphonenumber would give `text` (already trimmed) with default country `country` when it would
 * also call it valid; undefined when the shortcut does not apply (the caller then asks libphonenumber).
 */
export function shortcutE164(text: string, country: string): string | undefined {
  const d = digitsOf(text);
  if (!d) return undefined;
  const g = d.digits;
  let nn: string;
  /** The plan whose calling code the number gets and which is selected for the national number's prefix. */
  let home: Plan;
  if (d.plus) {
    // extractCountryCallingCode.js: '+0…' is no number; the calling code is the shortest known prefix of 1–3 digits.
    if (g.charCodeAt(0) === ZERO) return undefined;
    let i = 1;
    while (i <= MAX_CC && i < g.length && !meta().hasCallingCode(g.slice(0, i))) i++;
    if (i > MAX_CC || i >= g.length) return undefined;
    const sharing = meta().getCountryCodesForCallingCode(g.slice(0, i));
    // Non-geographic codes (+800, +882, …) have no country list: libphonenumber's own path.
    if (!sharing || sharing.length === 0 || sharing[0] === '001') return undefined;
    // parse.js selectNumberingPlan(callingCode): the main country's plan.
    home = planOf(sharing[0]!);
    nn = g.slice(i);
  } else {
    home = planOf(country);
    // stripIddPrefix.js, then extractCountryCallingCodeFromInternationalNumberWithoutPlusSign.js: neither may apply.
    if (home.idd.exec(g)?.index === 0 || g.startsWith(home.callingCode)) return undefined;
    nn = g;
  }
  // extractNationalNumber.js: no national prefix to strip.
  if (home.nationalPrefix?.test(nn)) return undefined;
  // parse.js: TOO_SHORT / TOO_LONG for the national number.
  if (nn.length < MIN_NSN || nn.length > MAX_NSN || !home.sharing) return undefined;
  // parse.js: the exact country replaces the default one (national) or is the only one (international); isValid()
  // then reads the plan of that country, or of the calling code's main country when there is none.
  const exact = exactCountry(home.sharing, nn);
  const chosen = exact ?? (d.plus ? home.sharing[0]! : country);
  if (!planOf(chosen).valid(nn)) return undefined;
  // PhoneNumber.js: number = '+' + countryCallingCode + nationalNumber.
  return '+' + home.callingCode + nn;
}

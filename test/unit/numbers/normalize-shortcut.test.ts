// The E.164 shortcut (e164-shortcut.ts) must say exactly what libphonenumber's public API says, for every supported
// default country, on real-looking numbers (libphonenumber's example numbers, in the ways people write them, and
// near misses of them) and on generated digit strings; and it must actually take the common inputs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createNormalizer } from '../../../electron/core/numbers/normalize.ts';
import { shortcutE164 } from '../../../electron/core/numbers/e164-shortcut.ts';

const require = createRequire(import.meta.url);
const lib = require('libphonenumber-js/min') as typeof import('libphonenumber-js/min');
const examples = require('libphonenumber-js/examples.mobile.json') as Record<string, string>;
const metadata = require('libphonenumber-js/min/metadata') as { country_calling_codes: Record<string, string[]> };

let seed = 11;
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const digits = (n: number) => Array.from({ length: n }, () => String(rnd(10))).join('');
const SEPARATORS = [' ', '-', '.', '(', ')', ' (', ') ', '  '];

/** A digit string written with separators between some of its digits (the shapes people type and export). */
function formatted(d: string): string {
  let out = '';
  for (let i = 0; i < d.length; i++) {
    out += d[i];
    if (i < d.length - 1 && rnd(4) === 0) out += SEPARATORS[rnd(SEPARATORS.length)];
  }
  return rnd(5) === 0 ? `(${out.slice(0, 3)})${out.slice(3)}` : out;
}

/** The example number with `k` digits replaced at random places (often another country's range, or invalid). */
function mutate(n: string, k: number): string {
  const d = n.split('');
  for (let i = 0; i < k; i++) d[rnd(d.length)] = String(rnd(10));
  return d.join('');
}

/** Ways of writing a number that the shortcut must leave to libphonenumber (extensions, letters, other digits, URIs). */
const MESSY = [(n: string) => `${n} x12`, (n: string) => `${n} ext. 5`, (n: string) => `${n}#`, (n: string) => `${n};ext=3`, (n: string) => `tel:${n}`, (n: string) => n.replace(/0/, 'O'), (n: string) => n.replace(/1/, '１'), (n: string) => n.replace(/(\d{3})/, '$1/'), (n: string) => `${n.slice(0, 3)}+${n.slice(3)}`];

/** Inputs for one default country: its example number and its neighbours, written several ways, and random digits. */
function inputsFor(country: string): string[] {
  const cc = lib.getCountryCallingCode(country as never);
  const out: string[] = [];
  const national = examples[country];
  if (national) {
    const near = [national, national.slice(0, -1), national + String(rnd(10)), mutate(national, 1), mutate(national, 2), mutate(national, 3), mutate(national, 3)];
    for (const n of near) {
      const prefixed = String(rnd(10)) + (rnd(2) ? String(rnd(10)) : '') + n;
      out.push(n, `+${cc}${n}`, `+${cc} ${formatted(n)}`, formatted(n), `0${n}`, `1${n}`, `8${n}`, `9${n}`, prefixed, `+${cc}${prefixed}`, `${cc}${n}`, `00${cc}${n}`, `011${cc}${n}`, `+${cc}0${n}`);
      out.push(MESSY[rnd(MESSY.length)]!(rnd(2) ? n : `+${cc}${n}`));
    }
  }
  // Where countries share a calling code (+1, +7, +44, …) the number's first digits pick the country whose rules
  // apply: every 3-digit start, at the example's length.
  const sharing = metadata.country_calling_codes[cc] ?? [];
  if (national && sharing.length > 1 && sharing[0] === country) {
    for (let p = 100; p < 1000; p++) {
      const n = String(p) + digits(Math.max(0, national.length - 3));
      out.push(n, `+${cc}${n}`);
    }
  }
  for (let i = 0; i < 40; i++) {
    const d = digits(3 + rnd(15));
    out.push(rnd(2) ? d : `+${d}`, rnd(2) ? formatted(d) : `+${formatted(d)}`, `+${cc}${d.slice(0, 12)}`);
  }
  return out;
}

describe('E.164 shortcut', () => {
  test('every supported default country: same verdicts as the public API, and the shortcut takes most plain numbers', () => {
    let compared = 0;
    let taken = 0;
    let takenValid = 0;
    const countriesTaken = new Set<string>();
    for (const country of lib.getCountries()) {
      const withShortcut = createNormalizer(country);
      const reference = createNormalizer(country, { viaPublicApi: true });
      for (const s of inputsFor(country)) {
        const got = withShortcut(s);
        assert.deepEqual(got, reference(s), JSON.stringify({ country, s }));
        compared++;
        const quick = shortcutE164(s, country);
        if (quick === undefined) continue;
        // When it answers, libphonenumber parses the same E.164 number and calls it valid.
        const parsed = lib.parsePhoneNumberFromString(s, country as never);
        assert.equal(quick, parsed?.number, JSON.stringify({ country, s }));
        assert.equal(parsed?.isValid(), true, JSON.stringify({ country, s }));
        taken++;
        countriesTaken.add(country);
      }
      if (examples[country]) {
        const n = examples[country];
        const cc = lib.getCountryCallingCode(country as never);
        if (shortcutE164(`+${cc}${n}`, country) !== undefined) takenValid++;
      }
    }
    assert.ok(compared > 40_000, `only ${compared} inputs compared`);
    assert.ok(taken > 10_000, `the shortcut answered only ${taken} of ${compared} inputs`);
    // +<code><example number> is the plainest valid input there is: the shortcut must take it in most countries.
    assert.ok(takenValid > 150, `the shortcut took +<code><example> in only ${takenValid} countries`);
    assert.ok(countriesTaken.size > 150, `the shortcut answered in only ${countriesTaken.size} countries`);
  });

  test('takes the shapes of a US export: +1 digits, 10 digits, (NXX) NXX-XXXX, and leaves the rest to libphonenumber', () => {
    assert.equal(shortcutE164('+12015550123', 'US'), '+12015550123');
    assert.equal(shortcutE164('2015550123', 'US'), '+12015550123');
    assert.equal(shortcutE164('(201) 555-0123', 'US'), '+12015550123');
    assert.equal(shortcutE164('201.555.0123', 'US'), '+12015550123');
    assert.equal(shortcutE164('+44 20 7946 0018', 'US'), '+442079460018');
    // A national prefix to strip, an international prefix, a country code without '+', an extension, a letter,
    // a non-ASCII digit, an invalid number: libphonenumber decides.
    for (const s of ['12015550123', '011 44 20 7946 0018', '020 7946 0018', '2015550123 x12', '201555O123', '２015550123', '1234567890', '+1 201 555 012']) {
      assert.equal(shortcutE164(s, s.startsWith('020') ? 'GB' : 'US'), undefined, s);
    }
  });
});

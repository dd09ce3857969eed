// The normaliser's direct call into libphonenumber must give exactly what its public function gives, and the
// de-duplication index must behave like a Map.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNormalizer } from '../../../electron/core/numbers/normalize.ts';
import { NumberIndex } from '../../../electron/core/numbers/number-index.ts';

describe('fast E.164 normalisation', () => {
  test('same verdicts and reasons as the public API on 60,000 messy inputs in 6 countries', () => {
    const bits = ['+', '1', '44', '49', '0', '00', '011', ' ', '-', '(', ')', '.', '/', 'x', 'ext', ' ext. ', '#', 'a', '*', ';', 'tel:', '+1 ', '+44 ', '２', '٣'];
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    let valid = 0;
    for (const country of ['US', 'GB', 'DE', 'IN', 'BR', 'CA']) {
      const fast = createNormalizer(country);
      const reference = createNormalizer(country, { viaPublicApi: true });
      for (let t = 0; t < 10_000; t++) {
        let s = '';
        const n = 1 + rnd(8);
        for (let i = 0; i < n; i++) s += rnd(3) ? String(rnd(10 ** (1 + rnd(6)))) : bits[rnd(bits.length)];
        // Plausible numbers too, so that many are valid.
        if (t % 4 === 0) s = `+1 ${200 + rnd(800)} ${String(rnd(1000)).padStart(3, '0')} ${String(rnd(10000)).padStart(4, '0')}`;
        const got = fast(s);
        assert.deepEqual(got, reference(s), JSON.stringify({ country, s }));
        if (got.e164) valid++;
      }
    }
    assert.ok(valid > 5_000, `only ${valid} valid inputs were compared`);
  });
});

describe('number index', () => {
  test('behaves like a Map of first lines across growth', () => {
    const index = new NumberIndex(16);
    const map = new Map<number, number>();
    for (let i = 0; i < 200_000; i++) {
      const key = 12012000000 + ((i * 7919) % 150_000) * 13;
      const had = map.get(key);
      if (had === undefined) map.set(key, i);
      assert.equal(index.putIfAbsent(key, i), had ?? -1);
    }
    assert.equal(index.size, map.size);
    for (const [k, v] of map) assert.equal(index.get(k), v);
    assert.equal(index.get(999), -1);
    assert.throws(() => index.putIfAbsent(0, 1), /positive integers/);
  });
});

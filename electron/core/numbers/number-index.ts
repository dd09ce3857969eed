// The de-duplication index of an import: E.164 number (as its digits, a double: at most 15 digits, so exact)
// → the source line where it first appeared. Open addressing over typed arrays: ~24 bytes per number at most,
// no per-entry objects for the garbage collector (a Map with number keys costs ~50 bytes and a heap number).
export class NumberIndex {
  private keys: Float64Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1 << 16) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.keys = new Float64Array(cap);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The line stored for `key`, or -1. Keys must be positive integers below 2^53 (0 marks an empty slot). */
  get(key: number): number {
    const keys = this.keys;
    for (let i = slotOf(key, this.mask); ; i = (i + 1) & this.mask) {
      const k = keys[i]!;
      if (k === key) return this.values[i]!;
      if (k === 0) return -1;
    }
  }

  /** Stores `key` → `value` if `key` is absent; returns the value already stored, or -1 when it was added. */
  putIfAbsent(key: number, value: number): number {
    if (!(key > 0) || key > Number.MAX_SAFE_INTEGER || !Number.isInteger(key)) throw new RangeError(`NumberIndex keys are positive integers (got ${key}).`);
    const keys = this.keys;
    let i = slotOf(key, this.mask);
    for (; ; i = (i + 1) & this.mask) {
      const k = keys[i]!;
      if (k === key) return this.values[i]!;
      if (k === 0) break;
    }
    keys[i] = key;
    this.values[i] = value;
    // Keep the table at most half full, so probe runs stay short.
    if (++this.count * 2 > keys.length) this.grow();
    return -1;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const cap = oldKeys.length * 2;
    this.keys = new Float64Array(cap);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
    for (let j = 0; j < oldKeys.length; j++) {
      const k = oldKeys[j]!;
      if (k === 0) continue;
      let i = slotOf(k, this.mask);
      while (this.keys[i] !== 0) i = (i + 1) & this.mask;
      this.keys[i] = k;
      this.values[i] = oldValues[j]!;
    }
  }
}

function slotOf(key: number, mask: number): number {
  // Mix the low and high 32 bits; phone numbers share long prefixes, so plain `key & mask` would cluster.
  const lo = key >>> 0;
  const hi = (key / 4294967296) >>> 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  h ^= h >>> 15;
  return h & mask;
}

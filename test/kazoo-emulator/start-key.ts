// Opaque pagination keys exactly as Crossbar makes them (spec §4): base64url (no padding) of the Erlang
// external term format of the CouchDB key. Decoding falls back to the raw string, as Crossbar does.

export type Term = string | number | Term[] | { [k: string]: Term };

function encodeTerm(t: Term, out: number[]): void {
  if (typeof t === 'string') {
    const b = Buffer.from(t, 'utf8');
    out.push(109, ...u32(b.length), ...b);
  } else if (typeof t === 'number') {
    if (!Number.isInteger(t)) throw new Error(`start key: only integers are supported, got ${t}`);
    if (t >= 0 && t <= 255) out.push(97, t);
    else if (t >= -2147483648 && t <= 2147483647) out.push(98, ...u32(t >>> 0));
    else {
      let mag = BigInt(Math.abs(t));
      const bytes: number[] = [];
      while (mag > 0n) {
        bytes.push(Number(mag & 0xffn));
        mag >>= 8n;
      }
      out.push(110, bytes.length, t < 0 ? 1 : 0, ...bytes);
    }
  } else if (Array.isArray(t)) {
    if (t.length === 0) {
      out.push(106);
      return;
    }
    out.push(108, ...u32(t.length));
    for (const e of t) encodeTerm(e, out);
    out.push(106);
  } else {
    // JSON object = Erlang tuple {[{K, V}, ...]}: tag 104 arity 1 holding a proplist of 2-tuples
    const entries = Object.entries(t);
    out.push(104, 1);
    if (entries.length === 0) out.push(106);
    else {
      out.push(108, ...u32(entries.length));
      for (const [k, v] of entries) {
        out.push(104, 2);
        encodeTerm(k, out);
        encodeTerm(v, out);
      }
      out.push(106);
    }
  }
}

function u32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

export function encodeStartKey(t: Term): string {
  const out: number[] = [131];
  encodeTerm(t, out);
  return Buffer.from(out).toString('base64url');
}

class Reader {
  i = 0;
  constructor(private b: Buffer) {}
  byte(): number {
    if (this.i >= this.b.length) throw new Error('truncated');
    return this.b[this.i++]!;
  }
  u32(): number {
    if (this.i + 4 > this.b.length) throw new Error('truncated');
    const v = this.b.readUInt32BE(this.i);
    this.i += 4;
    return v;
  }
  bytes(n: number): Buffer {
    if (this.i + n > this.b.length) throw new Error('truncated');
    const s = this.b.subarray(this.i, this.i + n);
    this.i += n;
    return s;
  }
  done(): boolean {
    return this.i === this.b.length;
  }
}

function decodeTerm(r: Reader): Term {
  const tag = r.byte();
  switch (tag) {
    case 109:
      return r.bytes(r.u32()).toString('utf8');
    case 107: // STRING_EXT (list of small ints)
      return [...r.bytes((r.byte() << 8) | r.byte())];
    case 97:
      return r.byte();
    case 98:
      return r.u32() | 0;
    case 110: {
      const n = r.byte();
      const sign = r.byte();
      let v = 0n;
      const bytes = r.bytes(n);
      for (let k = n - 1; k >= 0; k--) v = (v << 8n) | BigInt(bytes[k]!);
      return Number(sign ? -v : v);
    }
    case 106:
      return [];
    case 108: {
      const n = r.u32();
      const items: Term[] = [];
      for (let k = 0; k < n; k++) items.push(decodeTerm(r));
      if (r.byte() !== 106) throw new Error('improper list');
      return items;
    }
    case 104: {
      const arity = r.byte();
      const els: Term[] = [];
      for (let k = 0; k < arity; k++) els.push(decodeTerm(r));
      if (arity === 1 && Array.isArray(els[0])) {
        const obj: Record<string, Term> = {};
        for (const pair of els[0]) {
          if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') throw new Error('bad object');
          obj[pair[0]] = pair[1]!;
        }
        return obj;
      }
      return els; // other tuples: best effort
    }
    case 100:
    case 118:
    case 119: {
      // atoms: true/false/null come back as their names
      const n = tag === 119 ? r.byte() : (r.byte() << 8) | r.byte();
      return r.bytes(n).toString('utf8');
    }
    default:
      throw new Error(`unsupported tag ${tag}`);
  }
}

/** Decode a start key; a key that does not decode is used as the raw string (api_util:decode_start_key/1). */
export function decodeStartKey(s: string): Term {
  try {
    const b = Buffer.from(s, 'base64url');
    if (b.length < 2 || b[0] !== 131) return s;
    const r = new Reader(b);
    r.byte();
    const t = decodeTerm(r);
    if (!r.done()) return s;
    return t;
  } catch {
    return s;
  }
}

/** CouchDB collation for the key types used here: numbers < strings < arrays < objects. */
export function compareKeys(a: Term, b: Term): number {
  const rank = (t: Term): number => (typeof t === 'number' ? 1 : typeof t === 'string' ? 2 : Array.isArray(t) ? 3 : 4);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareKeys(a[i]!, b[i]!);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  return 0;
}

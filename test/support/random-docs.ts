// Seeded random carrier documents for property tests of the plan's fast paths: the fields the resources schema
// describes (with and without defaults), numeric and boolean strings Kazoo coerces, classifiers (patternProperties),
// formatters, keys no schema knows, undefined members, Crossbar's private keys, and small edits of a document.
import type { JsonObject } from '../../electron/core/drafts/canonical.ts';
import { prng } from '../kazoo-emulator/faults.ts';

/** A small deterministic generator (the emulator's mulberry32). */
export const rng = prng;

export type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const SCALARS: readonly unknown[] = [
  0, 1, 5060, 50, -3, 2.5, true, false, null, '', 'x', '50', '5061', '-3', ' 7 ', '2.5', '1e3', 'true', 'false', 'yes',
  'é "quoted" \\ back', '\u2028', 'tab\there',
];

function scalar(r: Rand): unknown {
  return pick(r, SCALARS);
}

/** Any JSON-ish value (undefined included), `depth` levels at most. */
export function anyValue(r: Rand, depth: number): unknown {
  const k = r();
  if (depth <= 0 || k < 0.55) return k < 0.04 ? undefined : scalar(r);
  if (k < 0.75) return Array.from({ length: Math.floor(r() * 4) }, () => anyValue(r, depth - 1));
  const o: JsonObject = {};
  const n = Math.floor(r() * 4);
  for (let i = 0; i < n; i++) o[pick(r, ['a', 'b', 'z', 'name', 'server', 'enabled', 'weight_cost', 'k.dot', 'ü'])] = anyValue(r, depth - 1);
  return o;
}

function gateway(r: Rand): JsonObject {
  const g: JsonObject = {};
  if (r() < 0.9) g.server = pick(r, ['sip1.example', 'sip2.example', 'sip3.example']);
  if (r() < 0.6) g.port = pick(r, [5060, 5061, '5060', '5061', '', null]);
  for (const key of ['realm', 'username', 'password', 'prefix', 'enabled', 'invite_format', 'force_port', 'channel_selection', 'odd_key']) {
    if (r() < 0.35) g[key] = scalar(r);
  }
  if (r() < 0.3) g.codecs = Array.from({ length: Math.floor(r() * 3) }, () => pick(r, ['PCMU', 'PCMA', 'G729', 5]));
  if (r() < 0.15) g.custom_sip_headers = { 'X-Tag': scalar(r), [pick(r, ['X-A', 'X-B'])]: anyValue(r, 1) };
  if (r() < 0.1) g.nested = anyValue(r, 2);
  return g;
}

/** A carrier document as a draft, the cluster or a stored base may hold it. */
export function carrier(r: Rand): JsonObject {
  const d: JsonObject = {};
  if (r() < 0.95) d.name = pick(r, ['A', 'B', 'Carrier 0001']);
  for (const key of ['enabled', 'weight_cost', 'emergency', 'grace_period', 'from_account_realm', 'format_from_uri', 'gateway_strategy', 'unknown_top']) {
    if (r() < 0.4) d[key] = scalar(r);
  }
  if (r() < 0.5) d.flags = Array.from({ length: Math.floor(r() * 3) }, () => pick(r, ['wholesale', 'x', 7]));
  if (r() < 0.6) d.rules = [pick(r, ['^\\+1(\\d{10})$', '^(\\d{10})$'])];
  if (r() < 0.85) d.gateways = Array.from({ length: Math.floor(r() * 4) }, () => (r() < 0.93 ? gateway(r) : anyValue(r, 1)));
  if (r() < 0.5) {
    const c: JsonObject = {};
    for (const name of ['international', 'tollfree_us', 'emergency']) if (r() < 0.5) c[name] = r() < 0.9 ? { enabled: scalar(r), weight_cost: scalar(r) } : scalar(r);
    d.classifiers = c;
  }
  if (r() < 0.3) d.formatters = { from: [{ regex: '^\\+?1?(\\d{10})$', prefix: scalar(r), direction: pick(r, ['outbound', 'inbound']) }] };
  if (r() < 0.3) d.caller_id_options = r() < 0.8 ? { type: pick(r, ['external', 'internal']) } : scalar(r);
  if (r() < 0.2) d.media = anyValue(r, 2);
  if (r() < 0.25) d.id = 'r1';
  if (r() < 0.2) d._rev = '2-x';
  if (r() < 0.2) d.pvt_type = 'resource';
  if (r() < 0.08) d.enabled = undefined;
  return d;
}

/** A copy of `v` with one small change somewhere: a value replaced, a member removed, added or set to undefined. */
export function edit(r: Rand, v: unknown): unknown {
  if (Array.isArray(v)) {
    const a = [...v];
    if (a.length > 0 && r() < 0.7) {
      const i = Math.floor(r() * a.length);
      a[i] = edit(r, a[i]);
    } else if (r() < 0.5) a.push(anyValue(r, 1));
    else a.pop();
    return a;
  }
  if (v !== null && typeof v === 'object') {
    const o: JsonObject = { ...(v as JsonObject) };
    const keys = Object.keys(o);
    const k = r();
    if (keys.length > 0 && k < 0.6) {
      const key = pick(r, keys);
      o[key] = edit(r, o[key]);
    } else if (keys.length > 0 && k < 0.75) delete o[pick(r, keys)];
    else if (keys.length > 0 && k < 0.85) o[pick(r, keys)] = undefined;
    else o[pick(r, ['extra', 'enabled', 'port', 'weight_cost'])] = scalar(r);
    return o;
  }
  return r() < 0.5 ? anyValue(r, 1) : scalar(r);
}

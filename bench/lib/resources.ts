// Realistic carrier (resource) documents for the sync benches: 1–3 gateways with credentials and codecs,
// rules, caller-id rules, formatters and classifiers, deterministic from an index.
import type { JsonObject } from '../../electron/core/drafts/canonical.ts';

const CODECS = ['PCMU', 'PCMA', 'G729', 'G722_16', 'OPUS'];
const CLASSIFIERS = ['international', 'tollfree_us', 'emergency', 'caribbean', 'did_us'];

/** A draft-style carrier document (what a person writes), deterministic in i. */
export function carrierDoc(i: number, prefix = 'Carrier'): JsonObject {
  const gw = 1 + (i % 3);
  const gateways = Array.from({ length: gw }, (_, g) => ({
    server: `sip${g + 1}.c${i}.example.net`,
    realm: `c${i}.example.net`,
    username: `acct-${i}-${g}`,
    password: `pw-${(i * 7919 + g * 104729).toString(36)}-Secret`,
    port: 5060 + (g % 2),
    prefix: g === 0 ? '' : String(g),
    codecs: CODECS.slice(g % 3, (g % 3) + 2 + (i % 2)),
    invite_format: i % 2 ? 'e164' : 'npan',
    ...(i % 4 === 0 ? { custom_sip_headers: { 'X-Carrier-Tag': `c${i}` } } : {}),
  }));
  const doc: JsonObject = {
    name: `${prefix} ${String(i).padStart(4, '0')}`,
    enabled: i % 17 !== 0,
    weight_cost: 10 + (i % 90),
    flags: i % 3 === 0 ? ['wholesale'] : [],
    rules: i % 2 ? ['^\\+1(\\d{10})$', '^(\\d{10})$'] : ['^\\+?(\\d{7,15})$'],
    cid_rules: ['^\\+1'],
    gateways,
    caller_id_options: { type: 'external' },
    classifiers: { [CLASSIFIERS[i % CLASSIFIERS.length]!]: { enabled: true, weight_cost: 20 + (i % 30) } },
  };
  if (i % 5 === 0) doc.formatters = { from: [{ regex: '^\\+?1?(\\d{10})$', prefix: '+1', direction: 'outbound' }] };
  return doc;
}

/** A 32-hex resource id, deterministic in (i, salt). */
export function resourceId(i: number, salt = 0): string {
  return `${(0xbe000000 + salt).toString(16)}${i.toString(16).padStart(24, '0')}`;
}

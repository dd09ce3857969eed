// routing-spec §7 formatters: Kazoo's own kz_formatters_tests (fmt-from, fmt-regex, fmt-strip, fmt-diversion,
// fmt-replace, fmt-cid, fmt-merged), the per-field precedence, and formatters of a resource in the bridge step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFormatters, type FormatContext } from '../../../electron/core/routing/formatters.ts';
import { FLAVORS, gw, res, route, routeBoth, routes } from './support.ts';

const ROUTE_REQ = {
  To: '12345556789@2600Hz.com',
  From: '4158867900@2600Hz.com',
  Request: '+12345556789@2600Hz.com',
  'Call-ID': '352401574@10.26.0.158',
  'Caller-ID-Number': '+14158867900',
  'Custom-SIP-Headers': { 'X-AUTH-IP': '10.26.0.158' },
};
const OFFNET_REQ = { 'Custom-SIP-Headers': { Diversions: ['sip:14158867900@1.2.3.4;counter=1'] }, 'Invite-Format': 'npan' };
const ctx = (direction: 'inbound' | 'outbound'): FormatContext => ({ flavor: '5.0', direction, normalise: (n) => (n.startsWith('+') ? n : `+${n}`) });
const US = { regex: '^\\+?1?(\\d{10})$', prefix: '+1' };

test('fmt-from-value: a value replaces the user part of From and keeps the realm', () => {
  assert.equal(applyFormatters(ROUTE_REQ, { From: { value: '1234567890' } }, ctx('outbound')).From, '1234567890@2600Hz.com');
});

test('fmt-regex-inbound: user@realm fields are rewritten on their user part; plain fields whole', () => {
  const f = { to: [{ ...US, direction: 'inbound' }], from: [{ ...US, direction: 'inbound' }], request: [{ ...US, direction: 'inbound' }], caller_id_number: [{ regex: US.regex, direction: 'inbound' }] };
  const out = applyFormatters(ROUTE_REQ, f, ctx('inbound'));
  assert.equal(out.To, '+12345556789@2600Hz.com');
  assert.equal(out.Request, '+12345556789@2600Hz.com');
  assert.equal(out.From, '+14158867900@2600Hz.com');
  assert.equal(out['Caller-ID-Number'], '4158867900');
});

test('fmt-strip-inbound: strip removes the field', () => {
  const out = applyFormatters(ROUTE_REQ, { to: [{ ...US, direction: 'inbound', strip: true }], caller_id_number: [{ regex: US.regex, direction: 'inbound', strip: true }] }, ctx('inbound'));
  assert.equal(out.To, undefined);
  assert.equal(out['Caller-ID-Number'], undefined);
});

test('fmt-diversion-match-invite and fmt-diversion-strip: Custom-SIP-Headers are formatted with the endpoint invite format', () => {
  const matched = applyFormatters(OFFNET_REQ, { diversions: [{ match_invite_format: true }] }, ctx('outbound'));
  assert.match(String((matched['Custom-SIP-Headers'] as Record<string, unknown>).Diversions), /^sip:4158867900@1\.2\.3\.4/);
  assert.equal((matched['Custom-SIP-Headers'] as Record<string, unknown>)['Invite-Format'], undefined);
  const stripped = applyFormatters(OFFNET_REQ, { diversions: [{ strip: true }] }, ctx('outbound'));
  assert.equal((stripped['Custom-SIP-Headers'] as Record<string, unknown>).Diversions, undefined);
});

test('fmt-replace-value: value replaces plain fields whole and user parts of From', () => {
  const out = applyFormatters(ROUTE_REQ, { from: [{ value: 'abc123' }], caller_id_number: [{ value: 'abc123' }] }, ctx('outbound'));
  assert.equal(out.From, 'abc123@2600Hz.com');
  assert.equal(out['Caller-ID-Number'], 'abc123');
});

test('fmt-merged and fmt-cid: direction picks the formatter; one without direction applies both ways', () => {
  const FROM = { from: [{ direction: 'inbound', prefix: '+1', regex: '^\\+?1?(\\d{10})$' }, { direction: 'outbound', regex: '\\+?1?(\\d{10})$' }] };
  const CID = { caller_id_number: { value: '0099887766' } };
  assert.equal(applyFormatters(ROUTE_REQ, FROM, ctx('inbound')).From, '+14158867900@2600Hz.com');
  assert.equal(applyFormatters(ROUTE_REQ, FROM, ctx('outbound')).From, '4158867900@2600Hz.com');
  assert.equal(applyFormatters(ROUTE_REQ, CID, ctx('outbound'))['Caller-ID-Number'], '0099887766');
  const merged = applyFormatters(ROUTE_REQ, { ...FROM, ...CID }, ctx('inbound'));
  assert.equal(merged.From, '+14158867900@2600Hz.com');
  assert.equal(merged['Caller-ID-Number'], '0099887766');
});

test('fmt-direction-both-ignored: a formatter marked "both" is never applied (§7, §11.23)', () => {
  assert.equal(applyFormatters(ROUTE_REQ, { from: { value: 'x', direction: 'both' } }, ctx('outbound')).From, ROUTE_REQ.From);
});

test('fmt-first-applicable-wins: the first action of the first applicable formatter ends the field (§7, §11.22)', () => {
  const obj = { 'To-DID': '4158867900' };
  assert.equal(applyFormatters(obj, { to_did: [{ regex: '^(\\d+)$', prefix: 'A' }, { value: 'B' }] }, ctx('outbound'))['To-DID'], 'A4158867900');
  assert.equal(applyFormatters(obj, { to_did: { regex: '^(\\d+)$', prefix: 'A', value: 'V' } }, ctx('outbound'))['To-DID'], 'V', 'value comes before regex');
});

test('fmt-regex-nomatch-tries-next: a regex that does not match passes to the next formatter (§7)', () => {
  const obj = { 'To-DID': '4158867900' };
  assert.equal(applyFormatters(obj, { to_did: [{ regex: '^44(\\d+)$' }, { regex: '^(\\d+)$', prefix: 'X' }] }, ctx('outbound'))['To-DID'], 'X4158867900');
  assert.equal(applyFormatters(obj, { absent_field: { value: 'x' } }, ctx('outbound')).absent_field, undefined, 'absent fields are not created');
});

test('formatter-on-resource: a to_did formatter changes To-DID, never the Route (§7)', () => {
  const formatters = { to_did: { regex: '^(\\d+)$', prefix: '+1' } };
  for (const r of routeBoth({ resources: [res('r', { rules: ['^\\+1(\\d{10})$'], formatters, gateways: [gw('gw.example')] })] }, { number: '+14158867900' })) {
    assert.equal(r.endpoints[0]!.toDid, '+14158867900');
    assert.deepEqual(routes(r), ['sip:4158867900@gw.example']);
  }
});

test('fmt-route-key-rewrites-dial-string: a formatter keyed route rewrites the dial string itself (§7)', () => {
  const formatters = { route: { regex: '^sip:(\\d+)@', prefix: 'sip:', suffix: '@other.example' } };
  for (const r of routeBoth({ resources: [res('r', { rules: ['^\\+1(\\d{10})$'], formatters, gateways: [gw('gw.example')] })] }, { number: '+14158867900' })) {
    assert.deepEqual(routes(r), ['sip:4158867900@other.example']);
    assert.equal(r.endpoints[0]!.inviteNumber, undefined, 'the carrier no longer receives the built user part');
  }
});

test('match_invite_format rewrites with the gateway invite format (e164, npan, 1npan) (§6.4 (1), §7)', () => {
  const formatters = { to_did: { match_invite_format: true } };
  const gateways = ['npan', '1npan', 'e164', 'route'].map((f) => gw('gw.example', { invite_format: f }));
  for (const r of routeBoth({ resources: [res('r', { rules: ['^(\\+\\d+)$'], formatters, gateways })] }, { number: '+14158867900' })) {
    assert.deepEqual(r.endpoints.map((e) => e.toDid), ['4158867900', '14158867900', '+14158867900', '+14158867900']);
  }
});

test('match_invite_format on an unknown format: Kazoo 4.3 crashes (the call fails), 5.x leaves the field (§7, §9)', () => {
  const resources = [res('r', { rules: ['^\\+1(\\d{10})$'], formatters: { to_did: { match_invite_format: true } }, gateways: [gw('gw.example', { invite_format: 'strip_plus' })] })];
  assert.equal(route({ flavor: '4.3', resources }, { number: '+14158867900' }).error?.code, 'formatter_failed');
  const master = route({ flavor: '5.0', resources }, { number: '+14158867900' });
  assert.equal(master.error, undefined);
  assert.equal(master.endpoints[0]!.toDid, '4158867900');
});

test('stepswitch.default_formatters apply to resources without formatters (§2.3)', () => {
  for (const flavor of FLAVORS) {
    const r = route({ flavor, resources: [res('r', { rules: ['^\\+1(\\d{10})$'] })], stepswitch: { default_formatters: { to_did: { value: 'X' } } } }, { number: '+14158867900' });
    assert.equal(r.endpoints[0]!.toDid, 'X');
  }
});

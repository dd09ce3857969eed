// routing-spec §6.2, SIP-Invite-Parameters (case kz-fixture-invite-parameters): static parameters first, then the
// dynamic ones in reverse order of the `dynamic` list, read from the calling channel's custom channel variables and
// SIP headers (keys normalised to lower_snake), the node's zone, `tag + separator + value` for object entries.
// The five expectations of Kazoo's eunit test stepswitch_resources_test:invite_parameters_test_/0 are reproduced on
// Resource001's gateway with static and dynamic lists that give those expectations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLAVORS, route } from './support.ts';
import { KZ_RESOURCE001 } from './kazoo-fixtures.ts';
import type { RouteRequest } from '../../../electron/shared/routing.ts';

const FIXTURE_DYNAMIC = [
  'custom_channel_vars.tns_cic',
  { key: 'custom_channel_vars.account_id', tag: 'account_id' },
  { key: 'custom_sip_headers.x_auth_ip', tag: 'source_ip' },
  { key: 'zone', tag: 'zone' },
];

function withInviteParameters(ip: unknown) {
  const g = KZ_RESOURCE001.gateways as Record<string, unknown>[];
  return { ...KZ_RESOURCE001, gateways: [{ ...g[0], invite_parameters: ip }] };
}

function paramsOf(ip: unknown, extra: Partial<RouteRequest>, flavor: '4.3' | '5.0' = '5.0') {
  const r = route({ flavor, resources: [withInviteParameters(ip)] }, { number: '+14158867900', flags: ['testing'], ...extra });
  assert.equal(r.error, undefined, r.error?.message);
  assert.equal(r.endpoints.length, 1);
  return r.endpoints[0]!;
}

test('kz-fixture-invite-parameters: the five cases of Kazoo\'s eunit test, both flavors (§6.2)', () => {
  const zone = { zone: 'local' };
  for (const flavor of FLAVORS) {
    const cases: [unknown, Partial<RouteRequest>, string[]][] = [
      [{ static: ['npid'], dynamic: FIXTURE_DYNAMIC }, { ...zone, customChannelVars: { 'TNS-CIC': 'cic=2002' } }, ['npid', 'zone=local', 'cic=2002']],
      [{ static: ['npid'], dynamic: FIXTURE_DYNAMIC }, { ...zone, customChannelVars: { 'Account-ID': '12345' } }, ['npid', 'zone=local', 'account_id=12345']],
      [{ static: ['test'], dynamic: FIXTURE_DYNAMIC }, { ...zone, customSipHeaders: { 'X-Auth-IP': '127.0.0.1' } }, ['test', 'zone=local', 'source_ip=127.0.0.1']],
      [{ static: ['npid'], dynamic: [{ key: 'custom_sip_headers.x_auth_ip', tag: 'somethingelse' }] }, { customSipHeaders: { 'X-Auth-IP': '127.0.0.1' } }, ['npid', 'somethingelse=127.0.0.1']],
      [{ static: ['npid'], dynamic: [{ key: 'custom_sip_headers.x_auth_ip', tag: 'somethingelse', seperator: '&' }] }, { customSipHeaders: { 'X-Auth-IP': '127.0.0.1' } }, ['npid', 'somethingelse&127.0.0.1']],
    ];
    for (const [ip, req, expected] of cases) assert.deepEqual(paramsOf(ip, req, flavor).inviteParameters, expected, `${flavor} ${JSON.stringify(ip)}`);
  }
});

test('a gateway without invite_parameters has none; a non-list static or dynamic reads as empty (kz_json:get_list_value)', () => {
  assert.equal(paramsOf(undefined, {}).inviteParameters, undefined);
  assert.deepEqual(paramsOf({ static: 'npid', dynamic: { key: 'zone' } }, { zone: 'z1' }).inviteParameters, []);
});

test('the dynamic key after the prefix is compared as written: only lower_snake keys find the normalised channel values', () => {
  const e = paramsOf({ dynamic: [{ key: 'custom_channel_vars.Account-ID', tag: 'a' }, { key: 'custom_channel_vars.account_id', tag: 'b' }] }, { customChannelVars: { 'Account-ID': 7 } });
  assert.deepEqual(e.inviteParameters, ['b=7'], 'a number is sent as text; the Account-ID spelling never matches');
});

test('values the call would carry but the request did not give are left out with a note, never invented', () => {
  const e = paramsOf({ static: ['npid'], dynamic: FIXTURE_DYNAMIC }, {});
  assert.deepEqual(e.inviteParameters, ['npid']);
  const notes = (e.notes ?? []).join('\n');
  assert.match(notes, /"zone" is the zone of the Kazoo node/);
  assert.match(notes, /"custom_channel_vars\.tns_cic" is read from the calling channel/);
  assert.match(notes, /§6\.2/);
});

test('an entry Kazoo cannot build makes the call fail, naming the carrier and gateway (§6.2, §11.20)', () => {
  const r = route({ resources: [withInviteParameters({ dynamic: [42] })] }, { number: '+14158867900', flags: ['testing'] });
  assert.equal(r.error?.code, 'invite_parameters_crash');
  assert.match(r.error!.message, /Resource001 .*gateway 1/);
  const noTag = route({ resources: [withInviteParameters({ dynamic: [{ key: 'zone' }] })] }, { number: '+14158867900', flags: ['testing'], zone: 'z' });
  assert.equal(noTag.error?.code, 'invite_parameters_crash', 'a value found but no tag: iolist_to_binary([undefined, ...]) crashes');
  const absent = route({ resources: [withInviteParameters({ dynamic: [{ key: 'custom_channel_vars.x' }] })] }, { number: '+14158867900', flags: ['testing'], customChannelVars: {} });
  assert.equal(absent.error, undefined, 'no value: the entry is skipped before its tag is used');
});

// routing-spec §6.2–§6.4, both flavors: one endpoint per enabled gateway, sip:prefix+number+suffix@server[:port],
// `route` (or stepswitch.default_route) used verbatim, invite_format passed through untouched and flagged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gw, res, route, routeBoth, routes } from './support.ts';

const US = ['^\\+1(\\d{10})$'];

test('the dial string: prefix, number, suffix, server and a port other than 5060 (§6.3)', () => {
  const gateways = [
    gw('gw2.example.net', { prefix: '011', suffix: '#1', port: 5080 }),
    gw('gw1.example.net', { port: 5060 }),
    gw('42.42.42.42;fs_path=sip:42.42.42.43', { port: '5090' }),
    gw('gw3.example.net', { prefix: 9, port: 0 }),
  ];
  for (const r of routeBoth({ resources: [res('r', { rules: US, gateways })] }, { number: '+14158867900' })) {
    assert.deepEqual(routes(r), [
      'sip:0114158867900#1@gw2.example.net:5080',
      'sip:4158867900@gw1.example.net',
      'sip:4158867900@42.42.42.42;fs_path=sip:42.42.42.43:5090',
      'sip:94158867900@gw3.example.net',
    ]);
    assert.equal(r.endpoints[0]!.inviteNumber, '0114158867900#1', 'the user part the carrier receives');
  }
});

test('gateway-route-override: a gateway route is used verbatim; prefix, suffix, server, port and number ignored (§6.3, §11.18)', () => {
  const gateways = [gw('gw.example', { route: 'sip:fixed@sbc.example', prefix: '9', port: 5080 }), gw('gw2.example')];
  for (const r of routeBoth({ resources: [res('r', { rules: US, gateways })] }, { number: '+14158867900' })) {
    assert.deepEqual(routes(r), ['sip:fixed@sbc.example', 'sip:4158867900@gw2.example']);
    assert.equal(r.endpoints[0]!.toDid, '4158867900');
    assert.ok(r.endpoints[0]!.notes?.some((n) => n.includes('§6.3')));
  }
});

test('default-route-config: stepswitch.default_route applies to every gateway without its own route (§6.3)', () => {
  const stepswitch = { default_route: 'sip:default@sbc.example' };
  const r = route({ resources: [res('r', { rules: US, gateways: [gw('a'), gw('b', { route: 'sip:own@b' })] })], stepswitch }, { number: '+14158867900' });
  assert.deepEqual(routes(r), ['sip:default@sbc.example', 'sip:own@b']);
});

test('stepswitch.default_prefix and default_suffix fill gateways that have none (§2.3)', () => {
  const r = route({ resources: [res('r', { rules: US, gateways: [gw('a'), gw('b', { prefix: '' })] })], stepswitch: { default_prefix: '00', default_suffix: '*' } }, { number: '+14158867900' });
  assert.deepEqual(routes(r), ['sip:004158867900*@a', 'sip:4158867900*@b']);
});

test('disabled gateways are dropped; the others keep their document index (§2.3)', () => {
  for (const r of routeBoth({ resources: [res('r', { rules: US, gateways: [gw('a', { enabled: false }), gw('b'), gw('c', { enabled: 'false' })] })] }, { number: '+14158867900' })) {
    assert.deepEqual(r.endpoints.map((e) => [e.gatewayIndex, e.server]), [[1, 'b']]);
  }
});

test('invite-formats-passthrough: every invite_format gets the same Route and To-DID; non-route formats are flagged (§6.4)', () => {
  const formats = ['route', 'e164', 'npan', '1npan', 'username', 'strip_plus'];
  for (const r of routeBoth({ resources: [res('r', { rules: US, gateways: formats.map((f) => gw('gw.example', { invite_format: f })) })] }, { number: '+14158867900' })) {
    assert.deepEqual(routes(r), formats.map(() => 'sip:4158867900@gw.example'));
    assert.deepEqual(r.endpoints.map((e) => e.toDid), formats.map(() => '4158867900'));
    assert.deepEqual(r.endpoints.map((e) => e.inviteFormat), formats);
    assert.deepEqual(r.endpoints.map((e) => e.inviteNumber !== undefined), [true, false, false, false, false, false]);
    assert.deepEqual(r.endpoints.map((e) => (e.notes ?? []).some((n) => n.includes('§6.4'))), [false, true, true, true, true, true]);
    assert.ok(r.uncertain.some((u) => u.code === 'invite_format'));
  }
});

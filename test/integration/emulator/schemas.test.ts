// Conformance: schemas endpoints (§6.5), system_configs, and the project's builtin schemas
// (electron/core/kazoo/builtin-schemas) accepting/rejecting the same corpus as Kazoo's own.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { builtinSchemasDir, SchemaSet } from '../../kazoo-emulator/validation.ts';
import { call, emulator, FLAVORS, login } from './helpers.ts';

const kazooDir = fileURLToPath(new URL('../../../../shared/kazoo/schemas', import.meta.url));
const haveKazoo = existsSync(`${kazooDir}/resources.json`);

const gw = (extra: Record<string, unknown> = {}) => ({ server: 'sip.example.com', ...extra });
const res = (extra: Record<string, unknown> = {}) => ({ name: 'Carrier', gateways: [gw()], ...extra });

/** [schema, document] pairs, valid and invalid, touching every field table row of §2. */
const CORPUS: [string, unknown][] = [
  ['resources', res()],
  ['resources', { name: 'x', gateways: [] }],
  ['resources', { gateways: [] }],
  ['resources', { name: 'x' }],
  ['resources', res({ name: '' })],
  ['resources', res({ name: 'n'.repeat(129) })],
  ['resources', res({ weight_cost: 101 })],
  ['resources', res({ weight_cost: -1 })],
  ['resources', res({ weight_cost: '40' })],
  ['resources', res({ weight_cost: 'heavy' })],
  ['resources', res({ enabled: 'true', emergency: 'false' })],
  ['resources', res({ grace_period: 0 })],
  ['resources', res({ grace_period: 21 })],
  ['resources', res({ grace_period: 20 })],
  ['resources', res({ flags: ['a', 1] })],
  ['resources', res({ rules: 'not-a-list' })],
  ['resources', res({ rules_test: ['^1'], cid_rules: ['^2'] })],
  ['resources', res({ caller_id_options: { type: 'internal' } })],
  ['resources', res({ caller_id_options: { type: 'bogus' } })],
  ['resources', res({ classifiers: { tollfree: { weight_cost: 10, prefix: '+1' } } })],
  ['resources', res({ classifiers: { tollfree: { weight_cost: 200 } } })],
  ['resources', res({ classifiers: { x: { prefix: 'p'.repeat(65) } } })],
  ['resources', res({ flat_rate_whitelist: '^1', flat_rate_blacklist: 5 })],
  ['resources', res({ format_from_uri: true, from_uri_realm: 'r.example', from_account_realm: true })],
  ['resources', res({ gateway_strategy: 'random' })],
  ['resources', res({ gateway_strategy: 'round-robin' })],
  ['resources', res({ ignore_flags: true, require_flags: 'no' })],
  ['resources', res({ media: {} })],
  ['resources', res({ media: { audio: { codecs: ['PCMU', 'OPUS'] }, video: { codecs: ['VP8'] }, fax_option: true } })],
  ['resources', res({ media: { audio: { codecs: ['PCMU', 'PCMU'] } } })],
  ['resources', res({ media: { audio: { codecs: ['MP3'] } } })],
  ['resources', res({ media: { bypass_media: 'auto' } })],
  ['resources', res({ media: { bypass_media: 'sometimes' } })],
  ['resources', res({ media: { bypass_media: true, encryption: { methods: ['srtp'] } } })],
  ['resources', res({ media: { encryption: { methods: ['tls'] } } })],
  ['resources', res({ media: { progress_timeout: 'soon' } })],
  ['resources', res({ formatters: { from: { regex: '^(\\d+)$', prefix: '+', direction: 'outbound' } } })],
  ['resources', res({ formatters: { to: [{ value: 'x', strip: false, match_invite_format: true }] } })],
  ['resources', res({ formatters: { to: { direction: 'sideways' } } })],
  ['resources', res({ formatters: { 'bad-key!': { value: 'x' } } })],
  ['resources', res({ formatters: 'none' })],
  ['resources', res({ custom: 'value', peer: true })],
  ['resources', res({ gateways: [{}] })],
  ['resources', res({ gateways: [gw({ server: '' })] })],
  ['resources', res({ gateways: [gw({ server: 's'.repeat(129) })] })],
  ['resources', res({ gateways: [gw({ realm: 'r'.repeat(65), username: 'u'.repeat(33), password: 'p'.repeat(33) })] })],
  ['resources', res({ gateways: [gw({ username: 'u'.repeat(32), password: 'p'.repeat(32), realm: 'r.example' })] })],
  ['resources', res({ gateways: [gw({ port: '5080', enabled: 'false', force_port: 'true' })] })],
  ['resources', res({ gateways: [gw({ port: 'sip' })] })],
  ['resources', res({ gateways: [gw({ invite_format: 'e164' })] })],
  ['resources', res({ gateways: [gw({ invite_format: 'strip_plus' })] })],
  ['resources', res({ gateways: [gw({ invite_format: 'e.164' })] })],
  ['resources', res({ gateways: [gw({ endpoint_type: 'freetdm', span: '1', channel_selection: 'descending' })] })],
  ['resources', res({ gateways: [gw({ endpoint_type: 'webrtc' })] })],
  ['resources', res({ gateways: [gw({ channel_selection: 'random' })] })],
  ['resources', res({ gateways: [gw({ caller_id_type: 'external' })] })],
  ['resources', res({ gateways: [gw({ caller_id_type: 'private' })] })],
  ['resources', res({ gateways: [gw({ codecs: ['PCMU', 'G729'] })] })],
  ['resources', res({ gateways: [gw({ codecs: ['PCMU', 'PCMU'] })] })],
  ['resources', res({ gateways: [gw({ codecs: ['AMR'] })] })],
  ['resources', res({ gateways: [gw({ bypass_media: 'true' })] })],
  ['resources', res({ gateways: [gw({ prefix: '+1', suffix: 'x'.repeat(65) })] })],
  ['resources', res({ gateways: [gw({ custom_sip_headers: { 'X-Foo': 'bar' } })] })],
  ['resources', res({ gateways: [gw({ custom_sip_headers: { in: { 'X-In': 'a' }, out: { 'X-Out': 'b' } } })] })],
  ['resources', res({ gateways: [gw({ custom_sip_headers: { 'X Bad': 'bar' } })] })],
  ['resources', res({ gateways: [gw({ custom_sip_headers: { 'X-Num': 5 } })] })],
  ['resources', res({ gateways: [gw({ custom_sip_headers: 'X-Foo: bar' })] })],
  ['resources', res({ gateways: [gw({ invite_parameters: { static: ['a=b'], dynamic: ['custom_channel_vars.x', 'zone', { key: 'custom_sip_headers.y', tag: 't' }] } })] })],
  ['resources', res({ gateways: [gw({ invite_parameters: { dynamic: ['other.x'] } })] })],
  ['resources', res({ gateways: [gw({ invite_parameters: { dynamic: [{ key: 'zone' }] } })] })],
  ['resources', res({ gateways: [gw({ invite_parameters: { extra: [] } })] })],
  ['resources', res({ gateways: [gw({ media: { fax_option: true, rtcp_mux: 'false' } })] })],
  ['resources', res({ gateways: [gw({ media: { rtcp_mux: 'maybe' } })] })],
  ['resources', res({ gateways: [gw({ progress_timeout: 6, route: 'sip:x@y', skype_interface: 'a', skype_rr: false, custom_sip_interface: 'i' })] })],
  ['resources', res({ gateways: [gw({ format_from_uri: 'yes', from_uri_realm: 5 })] })],
  ['resources', []],
  ['resource_jobs', { numbers: ['+14155550100'], resource_id: 'r' }],
  ['resource_jobs', { numbers: [], resource_id: 'r' }],
  ['resource_jobs', { numbers: ['x', 5], resource_id: 'r' }],
  ['resource_jobs', { numbers: ['x'] }],
  ['resource_jobs', { numbers: ['x'], resource_id: 'r', name: '' }],
  ['resource_jobs', { numbers: ['x'], resource_id: 'r', name: 'n'.repeat(129), other: true }],
  ['user_auth', { credentials: 'abc', account_name: 'Master' }],
  ['user_auth', { account_name: 'Master' }],
  ['user_auth', { credentials: 'abc', method: 'sha256' }],
  ['user_auth', { credentials: 'abc', account_realm: 'bad realm!' }],
  ['user_auth', { credentials: 'c'.repeat(65) }],
  ['api_auth', { api_key: 'k'.repeat(64) }],
  ['api_auth', { api_key: 'short' }],
  ['api_auth', { api_key: 'k'.repeat(64), extra: 1 }],
  ['system_config.crossbar.resources', { job_recovery_timeout_s: 60, job_recovery_threshold_s: '30' }],
  ['system_config.crossbar.resources', { job_recovery_timeout_s: 'often' }],
  ['system_config.crossbar.resources', {}],
];

for (const flavor of FLAVORS) {
  describe(`schemas (${flavor})`, () => {
    test('GET /v2/schemas (no auth), GET one, PUT validation', async (t) => {
      const em = await emulator(t, { flavor });
      const list = await call(em, 'GET', '/v2/schemas');
      assert.equal(list.status, 200);
      assert.ok(list.body.data.includes('resources'));
      assert.deepEqual(list.body.data, [...list.body.data].sort());
      const one = await call(em, 'GET', '/v2/schemas/resources');
      assert.equal(one.body.data.id, 'resources');
      assert.ok(one.body.data.properties.gateways);
      assert.equal(one.body.data._id, undefined);
      const missing = await call(em, 'GET', '/v2/schemas/nope');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.message, 'bad_identifier');
      const token = await login(em);
      const v = await call(em, 'PUT', '/v2/schemas/resources/validation', { token, body: { data: { name: 'x', gateways: [] } } });
      // Every successful PUT is a 201, validation included (§1.13).
      assert.equal(v.status, 201);
      assert.equal(v.body.data.weight_cost, 50);
      const bad = await call(em, 'PUT', '/v2/schemas/resources/validation', { token, body: { data: { name: 'x' } } });
      assert.equal(bad.status, 400);
      assert.ok(bad.body.data.gateways.required);
    });

    test('system_configs/crossbar.resources: super-duper only (403 otherwise)', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const r = await call(em, 'GET', '/v2/system_configs/crossbar.resources', { token });
      assert.equal(r.status, 200);
      assert.equal(r.body.data.job_recovery_timeout_s, 21600);
      assert.equal(r.body.data.job_recovery_threshold_s, 3600);
      assert.equal('allow_peers' in r.body.data, flavor === '5.0');
      const lr = await call(em, 'GET', '/v2/system_configs/crossbar.local_resources', { token });
      assert.equal(lr.status, flavor === '4.3' ? 200 : 404);
      const acme = await login(em, 'Acme Corp', 'acme', 'demo-acme-pass');
      assert.equal((await call(em, 'GET', '/v2/system_configs/crossbar.resources', { token: acme })).status, 403);
    });

    test('builtin schemas accept and reject the same corpus as Kazoo\'s (same errors, same defaults)', (t) => {
      if (!haveKazoo) {
        t.skip(`Kazoo's schemas not found at ${kazooDir}; nothing to compare the builtin schemas with`);
        return;
      }
      const kazoo = new SchemaSet(flavor === '4.3' ? `${kazooDir}/4.3` : kazooDir);
      const builtin = new SchemaSet(builtinSchemasDir(flavor));
      assert.deepEqual(builtin.names(), kazoo.names());
      let valid = 0;
      for (const [name, doc] of CORPUS) {
        const a = kazoo.validate(name, doc);
        const b = builtin.validate(name, doc);
        const label = `${name} ${JSON.stringify(doc)}`;
        assert.equal(b.ok, a.ok, label);
        if (a.ok && b.ok) {
          assert.deepEqual(b.data, a.data, label);
          valid++;
        } else if (!a.ok && !b.ok) {
          assert.deepEqual(b.errors, a.errors, label);
        }
      }
      assert.ok(valid > 20 && valid < CORPUS.length - 20, 'the corpus holds both valid and invalid documents');
    });
  });
}

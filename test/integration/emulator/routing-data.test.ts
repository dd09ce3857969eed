// Conformance: the routing data a cluster serves (routing-spec §3.1, §3.2, §9, §10): the classifier table in runtime
// order with friendly names, one number's class, the stepswitch and number_manager system configs (super-duper only),
// an account's ancestors; the admin API changes them; both flavors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { ACME, call, emulator, FLAVORS, login, MASTER, RESELLER } from './helpers.ts';
import { tempDir } from '../../support/temp.ts';
import { startEmulator } from '../../kazoo-emulator/index.ts';
import { join } from 'node:path';

const CODE_ORDER = ['tollfree_us', 'toll_us', 'emergency', 'caribbean', 'did_us', 'international', 'unknown'];

/** Top-level keys of `data` in the order they appear in the reply text (JSON.parse would move digit-only keys). */
function dataKeysInTextOrder(text: string, keys: string[]): string[] {
  return [...keys].sort((a, b) => text.indexOf(`"${a}":{`) - text.indexOf(`"${b}":{`));
}

async function admin(em: { adminUrl: string }, method: 'PUT' | 'PATCH', path: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const r = await request(`${em.adminUrl}${path}`, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: r.statusCode, body: await r.body.json() };
}

for (const flavor of FLAVORS) {
  describe(`routing data (${flavor})`, () => {
    test('the classifier table comes in code order with friendly names; 988 is emergency only on 4.3', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em, 'Acme Corp', 'acme', 'demo-acme-pass');
      const r = await call(em, 'GET', `/v2/accounts/${ACME}/phone_numbers/classifiers`, { token });
      assert.equal(r.status, 200);
      assert.deepEqual(Object.keys(r.body.data), CODE_ORDER);
      assert.equal(r.body.data.tollfree_us.friendly_name, 'US TollFree');
      assert.equal(r.body.data.emergency.emergency, true);
      assert.equal(r.body.data.emergency.regex.includes('988'), flavor === '4.3');
      const one = await call(em, 'GET', `/v2/accounts/${ACME}/phone_numbers/classifiers/988`, { token });
      assert.equal(one.body.data.name, flavor === '4.3' ? 'emergency' : 'unknown');
      assert.equal(one.body.data.e164, '988');
    });

    test('one number: normalised with the converters, classified by the first matching entry', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const get = async (n: string) => (await call(em, 'GET', `/v2/accounts/${MASTER}/phone_numbers/classifiers/${encodeURIComponent(n)}`, { token })).body.data;
      assert.deepEqual(
        { ...(await get('4158867900')) },
        { regex: '^(\\+?1)?([2-9][0-9]{2}[2-9][0-9]{6})$', friendly_name: 'US DID', pretty_print: 'SS(###) ### - ####', name: 'did_us', number: '4158867900', e164: '+14158867900' },
      );
      assert.equal((await get('011442071234567')).e164, '+442071234567');
      assert.equal((await get('011442071234567')).name, 'international');
      assert.equal((await get('+18005551234')).name, 'tollfree_us');
      assert.equal((await get('3335555')).e164, '3335555');
      // A table whose only entry does not match: no class, only number and e164.
      em.setSystemConfig('number_manager', { classifiers: { only_uk: { regex: '^\\+44' } } }, 'patch');
      assert.deepEqual(await get('4158867900'), { number: '4158867900', e164: '+14158867900' });
    });

    test('the admin API sets order, digit-only names, extra keys and entries without friendly_name', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const table = [
        ['did_us', { regex: '^\\+1([2-9]\\d{9})$', friendly_name: 'US DID' }],
        ['7', { regex: '^\\+7(\\d{10})$', friendly_name: 'Russia' }],
        ['tollfree_us', { regex: '^\\+1(800\\d{7})$', enabled: false }],
        ['unknown', '^(.*)$'],
      ];
      const set = await admin(em, 'PATCH', '/system_configs/number_manager', { classifiers: table });
      assert.equal(set.status, 200);
      const r = await call(em, 'GET', `/v2/accounts/${MASTER}/phone_numbers/classifiers`, { token });
      assert.deepEqual(dataKeysInTextOrder(r.text, ['did_us', '7', 'tollfree_us', 'unknown']), ['did_us', '7', 'tollfree_us', 'unknown']);
      assert.deepEqual(r.body.data.unknown, { regex: '^(.*)$', friendly_name: 'unknown' });
      const tf = r.body.data.tollfree_us;
      if (flavor === '4.3') assert.deepEqual(tf, { regex: '^\\+1(800\\d{7})$', enabled: false, friendly_name: 'tollfree_us' });
      else {
        // master: the entry becomes the classifiers seen so far plus friendly_name, its regex is lost (§3.2, §9)
        assert.equal(tf.regex, undefined);
        assert.equal(tf.friendly_name, 'tollfree_us');
        assert.deepEqual(Object.keys(tf).sort(), ['7', 'did_us', 'friendly_name']);
      }
      // classification still uses the stored table in its order: the first match wins
      const one = await call(em, 'GET', `/v2/accounts/${MASTER}/phone_numbers/classifiers/%2B18005551234`, { token });
      assert.equal(one.body.data.name, 'did_us');
      const bad = await admin(em, 'PATCH', '/system_configs/number_manager', { classifiers: 'nope' });
      assert.equal(bad.status, 400);
    });

    test('system configs: schema defaults over the stored default node, node sections, super-duper only', async (t) => {
      const em = await emulator(t, { flavor });
      const token = await login(em);
      const fresh = await call(em, 'GET', '/v2/system_configs/number_manager', { token });
      assert.equal(fresh.status, 200);
      // Nothing stored yet: Crossbar shows the schema default, whose classifiers are alphabetical (§10)
      assert.deepEqual(dataKeysInTextOrder(fresh.text, CODE_ORDER), [...CODE_ORDER].sort());
      // Using the classifiers writes the code default into the document, in code order (§3.2)
      await call(em, 'GET', `/v2/accounts/${MASTER}/phone_numbers/classifiers/911`, { token });
      const used = await call(em, 'GET', '/v2/system_configs/number_manager', { token });
      assert.deepEqual(dataKeysInTextOrder(used.text, CODE_ORDER), CODE_ORDER);
      assert.deepEqual(Object.keys(used.body.data.e164_converters), ['^(\\+?1)?([2-9][0-9]{2}[2-9][0-9]{6})$', '^011(\\d{5,})$|^00(\\d{5,})$', '^[2-9]\\d{7,}$']);

      const step = await call(em, 'GET', '/v2/system_configs/stepswitch', { token });
      assert.equal(step.body.data.id, 'stepswitch');
      assert.equal(step.body.data.default_weight, 3);
      assert.equal(step.body.data.route_by, 'stepswitch_resources');
      em.setSystemConfig('stepswitch', { default: { default_weight: 7, default_route: 'sip:+{number}@sbc.example' }, 'kazoo_apps@node1.example': { default_weight: 9 } });
      const changed = (await call(em, 'GET', '/v2/system_configs/stepswitch', { token })).body.data;
      assert.equal(changed.default_weight, 7);
      assert.equal(changed.default_route, 'sip:+{number}@sbc.example');
      assert.deepEqual(changed['kazoo_apps@node1.example'], { default_weight: 9 });
      assert.equal(changed.min_shortdial_correction, 2);

      const acme = await login(em, 'Acme Corp', 'acme', 'demo-acme-pass');
      for (const id of ['stepswitch', 'number_manager']) assert.equal((await call(em, 'GET', `/v2/system_configs/${id}`, { token: acme })).status, 403);
    });

    test('ancestors: parents from the requester down (all when it is not among them), tree from the requester only', async (t) => {
      const em = await emulator(t, { flavor });
      const names = (r: { body: { data: { id: string; name: string }[] } }) => r.body.data.map((a) => a.name);
      const master = await login(em);
      const reseller = await login(em, 'Northwind Reseller', 'reseller', 'demo-reseller-pass');
      const acme = await login(em, 'Acme Corp', 'acme', 'demo-acme-pass');
      assert.deepEqual(names(await call(em, 'GET', `/v2/accounts/${ACME}/parents`, { token: master })), ['Master', 'Northwind Reseller']);
      assert.deepEqual(names(await call(em, 'GET', `/v2/accounts/${ACME}/parents`, { token: reseller })), ['Northwind Reseller']);
      assert.deepEqual(names(await call(em, 'GET', `/v2/accounts/${ACME}/parents`, { token: acme })), ['Master', 'Northwind Reseller']);
      assert.deepEqual(names(await call(em, 'GET', `/v2/accounts/${ACME}/tree`, { token: acme })), []);
      assert.deepEqual(names(await call(em, 'GET', `/v2/accounts/${ACME}/tree`, { token: reseller })), ['Northwind Reseller']);
      assert.deepEqual(names(await call(em, 'GET', `/v2/accounts/${MASTER}/parents`, { token: master })), []);
      assert.equal((await call(em, 'GET', `/v2/accounts/${RESELLER}/parents`, { token: acme })).status, 403);
    });
  });
}

test('a digit-only classifier keeps its place across a restart from --state', async () => {
  const tmp = tempDir('emu-routing-state');
  const statePath = join(tmp.path, 'state.json');
  const table = [['did_us', { regex: '^\\+1', friendly_name: 'US' }], ['44', { regex: '^\\+44', friendly_name: 'UK' }]];
  const first = await startEmulator({ flavor: '5.0', statePath });
  first.setSystemConfig('number_manager', { classifiers: table }, 'patch');
  await first.close();
  const second = await startEmulator({ flavor: '5.0', statePath });
  try {
    const r = await call(second, 'GET', `/v2/accounts/${MASTER}/phone_numbers/classifiers`, { token: await login(second) });
    assert.deepEqual(dataKeysInTextOrder(r.text, ['did_us', '44']), ['did_us', '44']);
  } finally {
    await second.close();
    tmp.remove();
  }
});

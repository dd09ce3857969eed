// Requests stepswitch fails (routing-spec §5.4, §6.3, §11.13, §11.20): answered as a typed error naming the resource,
// never a crash; and unusable input to the simulator (a WorldInputError), both flavors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileWorld, WorldInputError } from '../../../electron/core/routing/index.ts';
import { FLAVORS, gw, res, route, routeBoth } from './support.ts';

const ANY = ['^\\+(\\d+)$'];

test('a classifier resource without a name fails every request on its database, whatever the number (§2.2, §11.20)', () => {
  const broken = { id: 'nameless', classifiers: { did_us: {} }, gateways: [gw('g')] };
  for (const r of routeBoth({ resources: [broken, res('p', { rules: ANY })] }, { number: '+442071234567' })) {
    assert.equal(r.error?.code, 'classifier_resource_without_name');
    assert.equal(r.error?.resourceId, 'nameless');
    assert.deepEqual(r.endpoints, []);
  }
  for (const r of routeBoth({ resources: [{ id: 'plain', rules: ANY, gateways: [gw('g')] }] }, { number: '+442071234567' })) {
    assert.equal(r.error, undefined, 'a plain resource does not need a name');
  }
  for (const r of routeBoth({ resources: [{ ...broken, account_id: 'acct' }, res('p', { rules: ANY })] }, { number: '+442071234567' })) {
    assert.equal(r.error, undefined, 'a broken account carrier does not affect global routing');
  }
});

test('a matching gateway with neither server nor route fails the request (§6.3, §11.20)', () => {
  for (const r of routeBoth({ resources: [res('p', { rules: ANY, gateways: [{ port: 5060 }] })] }, { number: '+4930123456' })) {
    assert.equal(r.error?.code, 'gateway_without_server');
    assert.equal(r.error?.resourceId, 'p');
  }
  for (const r of routeBoth({ resources: [res('p', { rules: ['^\\+44'], gateways: [{ port: 5060 }] })] }, { number: '+4930123456' })) assert.equal(r.error, undefined, 'only when it matches');
});

test('gateway_strategy other than sequential/random fails a matching request; random is shown in order and uncertain (§2.3, §11.20)', () => {
  for (const r of routeBoth({ resources: [res('p', { rules: ANY, gateway_strategy: 'round_robin' })] }, { number: '+4930123456' })) assert.equal(r.error?.code, 'gateway_strategy_invalid');
  for (const r of routeBoth({ resources: [res('p', { rules: ANY, gateway_strategy: 'random', gateways: [gw('a'), gw('b')] })] }, { number: '+4930123456' })) {
    assert.deepEqual(r.endpoints.map((e) => e.server), ['a', 'b']);
    assert.ok(r.uncertain.some((u) => u.code === 'random_gateways'));
  }
});

test('a classifier regex Kazoo cannot compile fails the requests that reach it in the table (§3.2)', () => {
  const classifiers = [['intl', { regex: '^\\+44', friendly_name: 'UK' }], ['broken', { regex: '^(\\d+', friendly_name: 'B' }]] as [string, unknown][];
  for (const flavor of FLAVORS) {
    assert.equal(route({ flavor, resources: [res('p', { rules: ANY })], classifiers }, { number: '+4930123' }).error?.code, 'classifier_regex_invalid');
    assert.equal(route({ flavor, resources: [res('p', { rules: ANY })], classifiers }, { number: '+442071234567' }).error, undefined);
  }
});

test('documents Kazoo cannot read (rules not a list, a gateway not an object) fail the load (§11.20)', () => {
  for (const r of routeBoth({ resources: [res('p', { rules: '^\\+1' })] }, { number: '+4930123' })) assert.equal(r.error?.code, 'resource_unreadable');
  for (const r of routeBoth({ resources: [res('p', { rules: ANY, gateways: ['gw.example'] })] }, { number: '+4930123' })) assert.equal(r.error?.code, 'resource_unreadable');
});

test('unusable input is a WorldInputError with one clear message: flavor, number, resources', () => {
  assert.throws(() => compileWorld({ flavor: '6.0' as never, resources: [] }), (e: unknown) => e instanceof WorldInputError && /4\.3 or 5\.0/.test(e.message));
  const w = compileWorld({ flavor: '5.0', resources: [] });
  assert.throws(() => w.route({ number: '+1415CALLNOW' }), (e: unknown) => e instanceof WorldInputError && /not a dialled number/.test(e.message));
  assert.throws(() => w.route({ number: '' }), WorldInputError);
  assert.throws(() => compileWorld({ flavor: '5.0', resources: [42 as never] }), /resources\[0\] is not a JSON object/);
  assert.throws(() => compileWorld({ flavor: '5.0', resources: [{ name: 'x' }] }), /resources\[0\] \(x\) has no "id"/);
  assert.throws(() => compileWorld({ flavor: '5.0', resources: [{ id: 'a' }, { id: 'a' }] }), /appears twice/);
  assert.doesNotThrow(() => compileWorld({ flavor: '5.0', resources: [{ id: 'a' }, { id: 'a', account_id: 'acct' }] }), 'same id in two databases');
});

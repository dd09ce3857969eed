// routing-spec §5.6 short-dial correction: digits of the caller id in front of a number no carrier takes, with the
// fixed or computed length, call restrictions, audio only, and 4.3's min_shortdial_destination (sd-* cases follow
// stepswitch_util_tests: callee 3335555, caller 12223334444).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FLAVORS, res, route } from './support.ts';

const CALLEE = '3335555';
const CALLER = '+12223334444';
const resources = [res('r', { rules: ['^(123335555)$', '^\\+1(\\d{10})$', '^(122233344443335555)$'] })];

function corrected(flavor: '4.3' | '5.0', stepswitch: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return route({ flavor, resources, stepswitch }, { number: CALLEE, callerIdNumber: CALLER, ...extra });
}

test('sd-fixed-length: fixed_length_shortdial_correction 0, 2, 4 and longer than the caller id', () => {
  for (const flavor of FLAVORS) {
    assert.equal(corrected(flavor, { fixed_length_shortdial_correction: 0 }).correctedNumber, undefined);
    assert.equal(corrected(flavor, { fixed_length_shortdial_correction: 2 }).correctedNumber, '123335555');
    assert.equal(corrected(flavor, { fixed_length_shortdial_correction: 4 }).correctedNumber, '+12223335555');
    assert.equal(corrected(flavor, { fixed_length_shortdial_correction: 12 }).correctedNumber, '122233344443335555');
  }
});

test('shortdial-corrected-then-routed: length = len(caller) − len(number) within [2, 5], then routed again (§5.6)', () => {
  for (const flavor of FLAVORS) {
    const r = corrected(flavor);
    assert.equal(r.correctedNumber, '+12223335555');
    assert.deepEqual(r.endpoints.map((e) => e.route), ['sip:2223335555@r.gw.example']);
    assert.ok(r.warnings.some((w) => w.code === 'shortdial_corrected'));
  }
});

test('sd-bounds: no correction outside min/max_shortdial_correction, and the bounds are settings', () => {
  for (const flavor of FLAVORS) {
    assert.equal(route({ flavor, resources }, { number: '33355', callerIdNumber: CALLER }).correctedNumber, undefined, '6 digits of difference > 5');
    assert.equal(corrected(flavor, { max_shortdial_correction: 3 }).correctedNumber, undefined);
    assert.equal(corrected(flavor, { min_shortdial_correction: 5 }).correctedNumber, undefined);
  }
});

test('sd-caller: the emergency caller id stands in for a missing caller id; without either nothing is corrected', () => {
  assert.equal(route({ flavor: '4.3', resources }, { number: CALLEE, callerIdNumber: undefined, emergencyCallerIdNumber: CALLER }).correctedNumber, '+12223335555');
  assert.equal(route({ flavor: '4.3', resources }, { number: CALLEE, callerIdNumber: undefined }).correctedNumber, undefined);
});

test('sd-restricted: a denied call restriction on the corrected number\'s class refuses the correction (§5.6)', () => {
  for (const flavor of FLAVORS) {
    const r = corrected(flavor, {}, { deniedCallRestrictions: { did_us: { action: 'deny' } } });
    assert.equal(r.correctedNumber, undefined);
    assert.deepEqual(r.endpoints, []);
    assert.ok(r.warnings.some((w) => w.code === 'shortdial_denied'));
  }
});

test('sd-min-destination: min_shortdial_destination limits correction to that length on 4.3 only (§5.6, §9)', () => {
  assert.equal(corrected('4.3', { min_shortdial_destination: 8 }).correctedNumber, undefined);
  assert.equal(corrected('4.3', { min_shortdial_destination: 7 }).correctedNumber, '+12223335555');
  assert.equal(corrected('5.0', { min_shortdial_destination: 8 }).correctedNumber, '+12223335555');
});

test('sd-originate: only audio requests are corrected (§5.6)', () => {
  assert.equal(corrected('5.0', {}, { resourceType: 'originate' }).correctedNumber, undefined);
});

test('the corrected number is checked on-net again (§1, §5.6)', () => {
  const r = route({ resources, onNetNumbers: ['+12223335555'] }, { number: CALLEE, callerIdNumber: CALLER });
  assert.equal(r.correctedNumber, '+12223335555');
  assert.equal(r.onNet, true);
  assert.deepEqual(r.endpoints, []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { credentialsHash, expiryMarginMs, jwtExpiryMs } from '../../../electron/core/kazoo/auth.ts';

test('credentials are the md5 (or sha1) hex of "username:password"', () => {
  assert.equal(credentialsHash('admin', 'demo-admin-pass'), createHash('md5').update('admin:demo-admin-pass').digest('hex'));
  assert.equal(credentialsHash('admin', 'pw', 'sha'), createHash('sha1').update('admin:pw').digest('hex'));
  // Kazoo keeps usernames lower-cased.
  assert.equal(credentialsHash(' Admin ', 'pw'), credentialsHash('admin', 'pw'));
});

test('jwtExpiryMs reads exp from a JWT, undefined otherwise', () => {
  const payload = Buffer.from(JSON.stringify({ account_id: 'a', exp: 1_900_000_000 })).toString('base64url');
  assert.equal(jwtExpiryMs(`eyJhbGciOiJIUzI1NiJ9.${payload}.sig`), 1_900_000_000_000);
  assert.equal(jwtExpiryMs('not-a-jwt'), undefined);
  assert.equal(jwtExpiryMs('a.%%%.c'), undefined);
});

test('expiry margin is 60 s, or a tenth of a short lifetime', () => {
  assert.equal(expiryMarginMs(3_600_000), 60_000);
  assert.equal(expiryMarginMs(100_000), 10_000);
});

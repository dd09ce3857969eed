import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactor } from '../../electron/core/secrets/redactor.ts';

test('redactor scrubs registered secrets and JWT-shaped tokens', () => {
  redactor.add('hunter2-secret');
  assert.equal(redactor.redact('login with hunter2-secret failed'), 'login with *** failed');
  assert.equal(redactor.redact('token eyJhbGciOiJI.eyJhY2NvdW50X2lk.sig'), 'token ***');
  assert.deepEqual(redactor.redactValue({ password: 'x', nested: { note: 'hunter2-secret' } }), {
    password: '***',
    nested: { note: '***' },
  });
});

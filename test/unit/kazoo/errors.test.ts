import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthError, ValidationError } from '../../../electron/core/kazoo/errors.ts';
import { redactor } from '../../../electron/core/secrets/redactor.ts';

test('error messages, kazoo messages and data never carry a registered secret', () => {
  redactor.add('sup3r-secret-key-value');
  const e = new AuthError('login with sup3r-secret-key-value refused', { status: 404, data: ['sup3r-secret-key-value'], kazooMessage: 'bad sup3r-secret-key-value' });
  assert.equal(e.code, 'auth_failed');
  assert.doesNotMatch(e.message, /sup3r/);
  assert.doesNotMatch(JSON.stringify(e.details), /sup3r/);
  assert.doesNotMatch(JSON.stringify(e.data), /sup3r/);
  const v = new ValidationError('bad', { 'gateways.0.password': { maxLength: { message: 'too long', value: 'sup3r-secret-key-value' } } });
  assert.doesNotMatch(JSON.stringify(v.fields), /sup3r/);
});

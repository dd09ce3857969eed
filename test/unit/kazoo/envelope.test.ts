import { test } from 'node:test';
import assert from 'node:assert/strict';
import { interpretReply, parseEnvelope, parseRetryAfter, fieldErrorsOf } from '../../../electron/core/kazoo/envelope.ts';
import {
  AccountDisabledError,
  AuthError,
  ConflictError,
  ForbiddenError,
  KazooError,
  NotCrossbarError,
  NotFoundError,
  PreconditionFailedError,
  RateLimitedError,
  ServerError,
  ValidationError,
} from '../../../electron/core/kazoo/errors.ts';

const ctx = { method: 'GET', path: '/v2/accounts/abc/resources', requestId: 'a'.repeat(32) };
const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  assert.fail('expected a throw');
};

test('parseEnvelope reads the known keys tolerantly and keeps the rest', () => {
  const env = parseEnvelope(
    JSON.stringify({ status: 'success', data: [{ id: 'x' }], page_size: '50', next_start_key: 'g2wAAA', start_key: 'g2', revision: 'abc', request_id: 'r1', version: '4.3.1', custom: 1 }),
  );
  assert.ok(env);
  assert.equal(env.pageSize, 50);
  assert.equal(env.nextStartKey, 'g2wAAA');
  assert.equal(env.startKey, 'g2');
  assert.equal(env.revision, 'abc');
  assert.equal(env.requestId, 'r1');
  assert.equal(env.version, '4.3.1');
  assert.equal(env.raw.custom, 1);
});

test('parseEnvelope: 4.3 auth_token "undefined" is no token; a non-string next key is sent back as JSON', () => {
  const env = parseEnvelope(JSON.stringify({ status: 'error', auth_token: 'undefined', data: {}, next_start_key: ['a', 1] }));
  assert.equal(env?.authToken, undefined);
  assert.equal(env?.nextStartKey, '["a",1]');
  assert.equal(parseEnvelope(JSON.stringify({ auth_token: 'eyJ.x.y', status: 'success', data: {} }))?.authToken, 'eyJ.x.y');
});

test('parseEnvelope refuses non-JSON and JSON without the envelope', () => {
  assert.equal(parseEnvelope('<html></html>'), undefined);
  assert.equal(parseEnvelope('{"hello":"world"}'), undefined);
  assert.equal(parseEnvelope('[1,2]'), undefined);
});

test('interpretReply returns 2xx replies with the ETag revision, and 304 without a body', () => {
  const r = interpretReply(reply(200, { status: 'success', data: { id: 'r' }, revision: '2-env' }, { etag: '"3-etag"' }), ctx, 0);
  assert.equal(r.revision, '3-etag');
  assert.deepEqual(r.envelope?.data, { id: 'r' });
  const nm = interpretReply({ status: 304, headers: { etag: '"1-a"' }, body: '' }, ctx, 0);
  assert.equal(nm.notModified, true);
  assert.equal(nm.envelope, undefined);
});

test('interpretReply: HTML or bare JSON on 200 is NotCrossbarError; an HTML 502 from a proxy is a ServerError', () => {
  assert.ok(thrown(() => interpretReply({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>hi</html>' }, ctx, 0)) instanceof NotCrossbarError);
  assert.ok(thrown(() => interpretReply(reply(200, { ok: true }), ctx, 0)) instanceof NotCrossbarError);
  assert.ok(thrown(() => interpretReply(reply(404, '<html>not here</html>', { 'content-type': 'text/html' }), ctx, 0)) instanceof NotCrossbarError);
  const e = thrown(() => interpretReply({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html>bad gateway</html>' }, ctx, 0));
  assert.ok(e instanceof ServerError);
});

test('interpretReply maps every error status to its class with status and request id', () => {
  const cases: [number, unknown, new (...a: never[]) => KazooError][] = [
    [401, { status: 'error', error: '401', message: 'invalid_credentials', data: { message: 'invalid credentials' } }, AuthError],
    [403, { status: 'error', error: '403', message: 'forbidden', data: {} }, ForbiddenError],
    [404, { status: 'error', error: '404', message: 'bad_identifier', data: { cause: 'x' } }, NotFoundError],
    [409, { status: 'error', error: '409', message: 'datastore_conflict', data: {} }, ConflictError],
    [429, { status: 'error', error: '429', message: 'too_many_requests', data: {} }, RateLimitedError],
    [503, { status: 'error', error: '503', message: 'datastore_unreachable', data: {} }, ServerError],
    [500, { status: 'error', error: '500', message: 'init failed', auth_token: 'undefined', data: {} }, ServerError],
  ];
  for (const [status, body, cls] of cases) {
    const e = thrown(() => interpretReply(reply(status, body), ctx, 0));
    assert.ok(e instanceof cls, `${status} → ${cls.name}`);
    assert.equal((e as KazooError).status, status);
    assert.equal((e as KazooError).requestId, ctx.requestId);
  }
  const e405 = thrown(() => interpretReply(reply(405, { status: 'error', error: '405', message: 'invalid_method', data: {} }), ctx, 0)) as KazooError;
  assert.equal(e405.code, 'http_error');
});

test('412 with an empty body is PreconditionFailedError; an empty 404 is an endpoint-missing NotFoundError', () => {
  assert.ok(thrown(() => interpretReply({ status: 412, headers: {}, body: '' }, ctx, 0)) instanceof PreconditionFailedError);
  const nf = thrown(() => interpretReply({ status: 404, headers: {}, body: '' }, ctx, 0)) as NotFoundError;
  assert.ok(nf instanceof NotFoundError);
  assert.equal(nf.endpointMissing, true);
  const bad = thrown(() => interpretReply(reply(404, { status: 'error', message: 'bad_identifier', data: {} }), ctx, 0)) as NotFoundError;
  assert.equal(bad.endpointMissing, false);
  const missing = thrown(() => interpretReply(reply(404, { status: 'error', message: 'not_found', data: { message: 'not found' } }), ctx, 0)) as NotFoundError;
  assert.equal(missing.endpointMissing, true);
});

test('400 validation keeps the per-field map and names the fields in the message', () => {
  const data = {
    name: { required: { message: 'Field is required but missing', value: 'name' } },
    'gateways.0.server': { minLength: { message: 'String must be at least 1 characters', target: 1 } },
  };
  const e = thrown(() => interpretReply(reply(400, { status: 'error', error: '400', message: 'validation error', data }), ctx, 0)) as ValidationError;
  assert.ok(e instanceof ValidationError);
  assert.equal(e.code, 'validation');
  assert.deepEqual(e.fields.name, data.name);
  assert.match(e.message, /name: Field is required but missing \(required\)/);
  assert.match(e.message, /gateways\.0\.server/);
});

test('400 on account disabled/expired is AccountDisabledError', () => {
  for (const rule of ['disabled', 'expired']) {
    const e = thrown(() => interpretReply(reply(400, { status: 'error', message: 'validation error', data: { account: { [rule]: { message: `account ${rule}` } } } }), ctx, 0));
    assert.ok(e instanceof AccountDisabledError, rule);
    assert.equal((e as KazooError).code, 'account_disabled');
  }
});

test('Retry-After is read in seconds or as a date; 429 carries it', () => {
  assert.equal(parseRetryAfter('2', 0), 2000);
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4000), 6000);
  assert.equal(parseRetryAfter('soon', 0), undefined);
  const e = thrown(() => interpretReply(reply(429, { status: 'error', message: 'too_many_requests', data: {} }, { 'retry-after': '3' }), ctx, 0)) as RateLimitedError;
  assert.equal(e.retryAfterMs, 3000);
});

test('fieldErrorsOf tolerates odd shapes', () => {
  assert.deepEqual(fieldErrorsOf(['x']), {});
  assert.deepEqual(fieldErrorsOf({ numbers: 'bad' }), { numbers: { invalid: { message: 'bad' } } });
  assert.deepEqual(fieldErrorsOf({ a: { enum: 'nope' } }), { a: { enum: { message: 'nope' } } });
});

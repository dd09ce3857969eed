// The Crossbar client against a hostile cluster (a proxy in front of the emulator): endless, huge, trickling,
// silent, wrong-shaped and absurdly nested replies are refused with typed errors that name the cluster, the call
// and the limit; nothing waits without end and nothing is read past its limit.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { createKazooClient, replyLimits, type KazooClient, type ReplyLimitsInput } from '../../../electron/core/kazoo/index.ts';
import { BadReplyError, NetworkError, ReplyTooLargeError } from '../../../electron/core/kazoo/errors.ts';
import { MAX_REPLY_HEADER_BYTES } from '../../../electron/core/kazoo/transport.ts';
import { outcomeOf } from '../../../electron/core/services/client-registry.ts';
import { systemClock } from '../../../electron/core/platform.ts';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import { startHostileCluster, type HostileCluster, type Hostility } from '../../support/hostile-cluster.ts';
import { captureLogger } from '../kazoo-client/helpers.ts';

const ACME = 'c0000000000000000000000000000003';
const MB = 1024 * 1024;

describe('replies without bounds are refused', () => {
  let em: EmulatorHandle;
  let hostile: HostileCluster;
  /** The rule for the next requests: which path (regex on method + path) gets which hostility. */
  let rule: { match: RegExp; then: Hostility } | undefined;
  let limits: ReplyLimitsInput = {};

  before(async () => {
    em = await startEmulator({ flavor: '5.0' });
    hostile = await startHostileCluster(em.url, (req: IncomingMessage) =>
      rule && rule.match.test(`${req.method} ${(req.url ?? '').split('?')[0]}`) ? rule.then : { kind: 'forward' },
    );
  });
  after(async () => {
    await hostile.close();
    await em.close();
  });
  beforeEach(() => {
    rule = undefined;
    limits = {};
  });

  function client(): KazooClient {
    return createKazooClient(
      {
        id: 'hostile',
        name: 'lab-hostile',
        baseUrl: hostile.url,
        auth: { kind: 'user', accountName: 'Master', username: 'admin', password: 'demo-admin-pass' },
        retry: { maxAttempts: 2, baseMs: 1, capMs: 5 },
      },
      { clock: systemClock, logger: captureLogger(), limits: () => replyLimits(limits) },
    );
  }

  async function refusal(run: () => Promise<unknown>): Promise<Error> {
    return run().then(
      () => assert.fail('the hostile reply was accepted'),
      (e: Error) => e,
    );
  }

  test('an endless listing stops at the listing limit with an error naming cluster, call and limit', async () => {
    limits = { listingBytes: 4 * MB };
    const c = client();
    await c.session();
    rule = { match: /^GET \/v2\/accounts\/[^/]+\/resources$/, then: { kind: 'endless' } };
    const before = hostile.hostileBytes();
    const e = await refusal(() => c.resources.list({ kind: 'account', accountId: ACME }));
    assert.ok(e instanceof ReplyTooLargeError, String(e));
    assert.equal(e.code, 'reply_too_large');
    assert.match(e.message, /The cluster lab-hostile \(127\.0\.0\.1:\d+\) sent more than 4 MB in reply to GET \/v2\/accounts\/c0+3\/resources, the limit for a listing \(all its pages together\)/);
    // Not retried (the same endless body would come again), and read no further than the limit plus socket buffers.
    assert.ok(hostile.hostileBytes() - before < 12 * MB, `read ${(hostile.hostileBytes() - before) / MB} MB`);
    await c.close();
  });

  test('endless pages, each under the limit, are refused once the listing as a whole passes it', async () => {
    limits = { listingBytes: 4 * MB };
    const c = client();
    await c.session();
    rule = { match: /^GET \/v2\/accounts\/[^/]+\/resources$/, then: { kind: 'pages', pageBytes: 1 * MB } };
    const e = await refusal(() => c.resources.list({ kind: 'account', accountId: ACME }));
    assert.ok(e instanceof ReplyTooLargeError, String(e));
    assert.match(e.message, /sent more than 4 MB in reply to GET \/v2\/accounts\/c0+3\/resources \(with the earlier pages of this listing\), the limit for a listing/);
    await c.close();
  });

  test('a huge document is refused: at once when its length is declared, at the limit when it is not', async () => {
    limits = { documentBytes: 2 * MB };
    const c = client();
    await c.session();
    for (const declared of [true, false]) {
      rule = { match: /^GET \/v2\/accounts\/[^/]+$/, then: { kind: 'huge', bytes: 200 * MB, declared } };
      const e = await refusal(() => c.accounts.get(ACME));
      assert.ok(e instanceof ReplyTooLargeError, String(e));
      assert.match(e.message, /more than 2 MB in reply to GET \/v2\/accounts\/c0+3, the limit for a document/);
    }
    // Within the limit the same kind of reply is read (the limit is not a ban on big documents).
    rule = { match: /^GET \/v2\/accounts\/[^/]+$/, then: { kind: 'huge', bytes: 1 * MB } };
    assert.equal((await c.accounts.get(ACME)).id, 'big');
    await c.close();
  });

  test('reply headers past 16 KB are refused as a reply too large, from a cluster that counts as reachable', async () => {
    const c = client();
    await c.session();
    rule = { match: /^GET \/v2\/accounts\/[^/]+$/, then: { kind: 'headers', bytes: 20 * 1024 } };
    const e = await refusal(() => c.accounts.get(ACME));
    assert.ok(e instanceof ReplyTooLargeError, String(e));
    assert.equal(e.limitBytes, MAX_REPLY_HEADER_BYTES);
    assert.match(e.message, /sent more than 16 KB of headers in reply to GET \/v2\/accounts\/c0+3; reading stopped/);
    // It answered: the profile says reachable, with the reason, never "unreachable" (client-registry outcomeOf).
    assert.equal(outcomeOf(e)?.reachability, 'online');
    // A header of a few KB is read as usual.
    rule = { match: /^GET \/v2\/accounts\/[^/]+$/, then: { kind: 'headers', bytes: 4 * 1024 } };
    assert.equal((await c.accounts.get(ACME)).id, ACME);
    await c.close();
  });

  test('a job document and a login have limits of their own', async () => {
    limits = { jobBytes: 1 * MB, documentBytes: 64 * MB };
    const c = client();
    await c.session();
    rule = { match: /^GET \/v2\/accounts\/[^/]+\/resources\/jobs\/[^/]+$/, then: { kind: 'endless' } };
    const e = await refusal(() => c.jobs.get({ kind: 'account', accountId: ACME }, '202401-0123456789abcdef'));
    assert.ok(e instanceof ReplyTooLargeError);
    assert.match(e.message, /the limit for a job document/);
    rule = { match: /^PUT \/v2\/user_auth$/, then: { kind: 'endless' } };
    const login = await refusal(() => client().session());
    assert.ok(login instanceof ReplyTooLargeError, String(login));
    assert.match(login.message, /more than 1 MB in reply to PUT \/v2\/user_auth, the limit for a login reply/);
    await c.close();
  });

  test('a trickling or silent reply ends at the request deadline, not with the next byte', async () => {
    limits = { deadlineMs: 400 };
    const c = client();
    await c.session();
    for (const then of [{ kind: 'trickle', everyMs: 100 }, { kind: 'silent' }] as Hostility[]) {
      rule = { match: /^GET \/v2\/accounts\/[^/]+$/, then };
      const started = Date.now();
      const e = await refusal(() => c.accounts.get(ACME));
      assert.ok(e instanceof NetworkError, String(e));
      assert.equal(e.code, 'timeout');
      assert.match(e.message, /The cluster lab-hostile \(127\.0\.0\.1:\d+\) did not finish answering GET \/v2\/accounts\/c0+3 within 0\.4 s, the limit for one request/);
      // Two attempts (the cluster's retry policy) of 0.4 s each, plus scheduling on a busy machine.
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    }
    await c.close();
  });

  test('replies of the wrong shape are refused, never read as empty', async () => {
    limits = {};
    const c = client();
    await c.session();
    const scope = { kind: 'account' as const, accountId: ACME };
    const cases: [RegExp, unknown, () => Promise<unknown>, RegExp][] = [
      [/^GET \/v2\/accounts\/[^/]+\/resources$/, 'oops', () => c.resources.list(scope), /a list was expected at data, a string came/],
      [/^GET \/v2\/accounts\/[^/]+\/resources$/, [{ name: 'no id' }], () => c.resources.list(scope), /an id was expected at data\[0\]\.id, nothing came/],
      [/^GET \/v2\/accounts\/[^/]+\/resources$/, [1, 2], () => c.resources.list(scope), /an object was expected at data\[0\], a number came/],
      [/^GET \/v2\/accounts\/[^/]+\/resources\/[^/]+$/, ['a'], () => c.resources.get(scope, 'r1'), /an object was expected at data, a list came/],
      [/^GET \/v2\/accounts\/[^/]+\/descendants$/, { x: 1 }, () => c.accounts.descendants(ACME), /a list was expected/],
      [/^GET \/v2\/accounts\/[^/]+\/resources\/jobs\/[^/]+$/, 'job', () => c.jobs.get(scope, '202401-0123456789abcdef'), /an object was expected/],
      [/^GET \/v2\/accounts\/[^/]+\/phone_numbers$/, 7, () => c.numbers.list(ACME), /an object of numbers was expected/],
      [/^GET \/v2\/schemas\/resources$/, [], () => c.schemas.get('resources'), /an object was expected/],
    ];
    for (const [match, data, run, message] of cases) {
      rule = { match, then: { kind: 'reply', status: 200, body: { status: 'success', data } } };
      const e = await refusal(run);
      assert.ok(e instanceof BadReplyError, `${match}: ${String(e)}`);
      assert.match(e.message, /is not what Crossbar sends/);
      assert.match(e.message, message);
    }
    rule = { match: /^GET \/v2\/accounts\/[^/]+$/, then: { kind: 'deep', depth: 50_000 } };
    const deep = await refusal(() => c.accounts.get(ACME));
    assert.ok(deep instanceof BadReplyError);
    assert.match(deep.message, /nested deeper than 64 levels/);
    await c.close();
  });

  test('a login reply with a token no header can carry is refused', async () => {
    rule = { match: /^PUT \/v2\/user_auth$/, then: { kind: 'reply', status: 201, body: { status: 'success', auth_token: 'a\nb', data: { account_id: ACME } } } };
    const e = await refusal(() => client().session());
    assert.ok(e instanceof BadReplyError, String(e));
  });

  test('the probe fails when a reply is refused, so a check never calls such a cluster fine', async () => {
    limits = { documentBytes: 1 * MB, listingBytes: 1 * MB };
    const cases: [RegExp, Hostility][] = [
      [/^GET \/v2\/accounts\/[^/]+$/, { kind: 'huge', bytes: 200 * MB }],
      [/^GET \/v2\/accounts\/[^/]+$/, { kind: 'reply', status: 200, body: { status: 'success', data: 'x' } }],
      [/^GET \/v2\/resources$/, { kind: 'endless' }],
      [/^GET \/v2\/resources$/, { kind: 'reply', status: 200, body: { status: 'success', data: 'x' } }],
      [/^GET \/v2\/system_configs\/crossbar\.resources$/, { kind: 'reply', status: 200, body: { status: 'success', data: [] } }],
    ];
    for (const [match, then] of cases) {
      rule = { match, then };
      const c = client();
      const e = await refusal(() => c.probe());
      assert.ok(e instanceof ReplyTooLargeError || e instanceof BadReplyError, `${match} ${then.kind}: ${String(e)}`);
      await c.close();
    }
    rule = undefined;
    const c = client();
    assert.equal((await c.probe()).superDuper, true, 'the same cluster answering normally probes fine');
    await c.close();
  });
});

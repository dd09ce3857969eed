// Issue 15, "no input may freeze a process": a cluster's carrier rules, cid_rules, classifier regexes and e164
// converters with nested quantifiers (`^(\d+)+#$`, `^(\d|\d)*$`) take a backtracking engine exponential time on a
// 41-character number. The simulator runs such patterns with RE2 (regex-safe.ts) and must give the same answer a
// backtracking engine gives where backtracking is cheap. The hostile routes run in a worker thread, so that without
// the fix the test fails at its limit instead of hanging the runner (a blocked thread cannot time itself out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import type { RouteRequest, RouteResult, World } from '../../../electron/core/routing/index.ts';
import { kregex, longestGroup, uncertainty } from '../../../electron/core/routing/regex.ts';
import { re2Matcher, SAFE_INPUT } from '../../../electron/core/routing/regex-safe.ts';
import { MAX_NUMBER_CHARS } from '../../../electron/shared/routing.ts';
import { routingMethods } from '../../../electron/shared/contract/routing.ts';
import { res, route, whyExcluded } from './support.ts';

const LIMIT_MS = 60_000;
const D40 = '1234567890'.repeat(4);

/** Routes the requests in a worker; rejects when they take longer than LIMIT_MS (the worker is then terminated). */
function routeInWorker(world: World, requests: RouteRequest[]): Promise<RouteResult[]> {
  // Workers do not inherit tsx's loader: register it first (as electron/core/numbers/worker-host.ts does).
  const file = new URL('./route-worker.ts', import.meta.url).href;
  const code = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(file)});`;
  const worker = new Worker(new URL('data:text/javascript,' + encodeURIComponent(code)), { workerData: { world, requests } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`routing did not answer within ${LIMIT_MS / 1000} s: a pattern backtracked exponentially`));
    }, LIMIT_MS);
    worker.once('message', (m: RouteResult[]) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(m);
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

test('a rule, cid_rule, classifier and e164 converter with nested quantifiers answer a 41-character number (issue 15)', { timeout: LIMIT_MS + 10_000 }, async () => {
  const world: World = {
    flavor: '5.0',
    resources: [res('h', { rules: ['^(\\d+)+#$'] }), res('p', { rules: ['^(\\d+)\\*$'], cid_rules: ['^(\\d|\\d)*$'] })],
    classifiers: [['nested', { regex: '^\\+?(\\d+\\s?)+$' }], ['other', { regex: '^(.*)$' }]],
    e164Converters: [['^(\\d+)+$', { prefix: '+', suffix: '' }]],
  };
  const [noHash, hash, badCaller, digits, converted] = await routeInWorker(world, [
    { number: `${D40}*`, bypassE164: true, callerIdNumber: D40 },
    { number: `${D40}#`, bypassE164: true, callerIdNumber: D40 },
    { number: `${D40}*`, bypassE164: true, callerIdNumber: `${D40}*` },
    { number: D40, bypassE164: true, callerIdNumber: D40 },
    { number: `${D40}*`, callerIdNumber: D40 },
  ]);
  // `^(\d+)+#$` fails on digits then * (the exponential case) and takes them with a #; the longest group is the digits.
  assert.deepEqual(noHash!.candidates.map((c) => [c.resourceId, c.ruleIndex, c.matchedNumber]), [['p', 0, D40]]);
  assert.equal(whyExcluded(noHash!, 'h'), 'no_rule');
  assert.deepEqual(hash!.candidates.map((c) => [c.resourceId, c.ruleIndex, c.matchedNumber]), [['h', 0, D40]]);
  // The cid_rule `^(\d|\d)*$` refuses a caller id ending in *.
  assert.deepEqual(badCaller!.candidates, []);
  assert.equal(whyExcluded(badCaller!, 'p'), 'cid_rules');
  // The classifier `^\+?(\d+\s?)+$` (it sees the normalised number, §3.2) takes only digits; the number then * falls to the next entry.
  assert.equal(noHash!.classification, 'other');
  assert.equal(digits!.classification, 'nested');
  // The converter `^(\d+)+$` leaves digits then * unchanged.
  assert.equal(converted!.number, `${D40}*`);
  assert.equal(route(world, { number: '4158867900' }).number, '+4158867900');
});

test('a nested-quantifier pattern runs with RE2, others keep JavaScript RegExp (the hot path is unchanged)', () => {
  assert.ok(!(kregex('^(\\d+)+#$').re instanceof RegExp));
  assert.ok(!(kregex('^(\\d|\\d)*$').re instanceof RegExp));
  for (const p of ['^\\+?1?(\\d{10})$', '^(?:\\+|00)(44|49)(\\d+)$', '^\\+(\\d{7,15})$', '^(911)$', '^\\+1(900\\d{7})$']) {
    assert.ok(kregex(p).re instanceof RegExp, p);
  }
});

test('the RE2 matcher gives RegExp\'s match, groups (undefined when not taking part), index and longest group', () => {
  const cases: [string, string[]][] = [
    ['^\\+?1?(\\d{3})(\\d{7})$', ['+14158867900', '4158867900', '41588679']],
    ['^(?:\\+|00)(44|49)(\\d+)$', ['+442071234567', '004930123', '+33123']],
    ['^(\\d+)+#$', ['123#', '12x#', '#', '9#']],
    ['^(\\d|\\d)*(\\d)$', ['12345', '7', 'x']],
    ['^(\\+)?(1)?(\\d{10})$', ['4158867900', '+14158867900', '14158867900']],
    ['(\\d{3})?-?(\\d{4})', ['555-1234', 'ab1234', '12']],
    ['^(0|00)(\\d+)$', ['0044123', '0123']],
    ['^(\\d*?)(\\d+)$', ['12345', '1']],
    ['^(a|ab)(c|bcd)(d*)$', ['abcd', 'acd']],
    ['(x)?(y)?z', ['yz', 'xz', 'az', 'z']],
    ['^\\+?(1|1\\d)(\\d*)$', ['+112345', '1']],
    ['^((\\d{2})+)(\\d)?$', ['12345', '1234']],
    ['^(?:(\\d{3})-|(\\d{2}))+$', ['12', '123']],
  ];
  for (const [p, inputs] of cases) {
    const re2 = re2Matcher(p);
    assert.ok(re2, p);
    const js = new RegExp(p);
    for (const s of inputs) {
      const a = js.exec(s);
      const b = re2.exec(s);
      assert.equal(b === null, a === null, `${p} on ${s}`);
      assert.equal(re2.test(s), js.test(s), `${p} test ${s}`);
      if (!a || !b) continue;
      assert.deepEqual([...b], [...a], `${p} on ${s}`);
      assert.equal(b.index, a.index, `${p} index on ${s}`);
      assert.equal(longestGroup(b), longestGroup(a), `${p} longest group on ${s}`);
    }
  }
  // The one difference: a group inside a repeated group keeps its value from an earlier repetition in RE2, as in
  // PCRE, while JavaScript clears it; the shared PCRE list marks such a pattern uncertain (routing-spec §11.12).
  const p = '^(?:(\\d{3})-|(\\d{2}))+$';
  assert.deepEqual([...new RegExp(p).exec('123-45')!], ['123-45', undefined, '45']);
  assert.deepEqual([...re2Matcher(p)!.exec('123-45')!], ['123-45', '123', '45']);
  assert.ok(kregex(p).notes.length > 0);
});

test('a risky pattern RE2 cannot run (look-ahead, back-reference) is evaluated only on short inputs and makes the answer uncertain', { timeout: LIMIT_MS }, () => {
  const k = kregex('^(\\d+)+(?=#)#$');
  assert.equal(k.capped, SAFE_INPUT);
  assert.deepEqual([...k.re!.exec('123#')!], ['123#', '123']);
  assert.equal(k.re!.exec(`${D40}#`), null, 'longer than the cap: not evaluated, counts as no match');
  assert.match(uncertainty(k), /\^\(\\\\d\+\)\+\(\?=#\)#\$.*at most 16 characters.*routing-spec §11\.12/);
  const r = route({ resources: [res('h', { rules: ['^(\\d+)+(?=#)#$'] }), res('p', { rules: ['^(\\d+)\\*$'] })] }, { number: `${D40}*`, bypassE164: true });
  assert.deepEqual(r.candidates.map((c) => c.resourceId), ['p']);
  assert.ok(r.uncertain.some((u) => u.message.includes('^(\\\\d+)+(?=#)#$') && u.resourceId === 'h'), JSON.stringify(r.uncertain));
  assert.ok(kregex('^((\\d+)\\2)+$').capped !== undefined, 'a back-reference in a repeated group: capped');
});

test('a dialled number or caller id over 64 characters is refused with one message naming it (core and contract)', () => {
  const world = { resources: [res('p', { rules: ['^(\\d+)$'] })] };
  const long = '1'.repeat(MAX_NUMBER_CHARS + 1);
  assert.throws(() => route(world, { number: long }), (e: Error & { code?: string }) => e.code === 'number' && /dialled number is 65 characters long; give at most 64/.test(e.message));
  assert.throws(() => route(world, { number: '123', callerIdNumber: long }), (e: Error & { code?: string }) => e.code === 'callerIdNumber' && /caller id is 65/.test(e.message));
  assert.equal(route(world, { number: '1'.repeat(MAX_NUMBER_CHARS) }).candidates.length, 1);
  for (const m of ['routing.route', 'routing.test'] as const) {
    const args = m === 'routing.route' ? { number: '123', callerId: long } : { draft: 'd', doc: {}, number: long };
    const r = routingMethods[m].args.safeParse(args);
    assert.equal(r.success, false, m);
    assert.match(r.error!.issues[0]!.message, /^Too long: a dialled number or caller id has at most 64 characters/, m);
  }
});

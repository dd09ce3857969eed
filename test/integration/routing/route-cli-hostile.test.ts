// Issue 15 at the CLI: `carrier-desk route --offline` with a carrier rule that makes a backtracking engine take
// exponential time (`^(\d+)+#$` on 40 digits then *) answers as a spawned process, and a dialled number or caller id
// longer than 64 characters is refused with one line naming it (exit 2). The child is killed at the limit, so
// without the fix the test fails instead of hanging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../support/cli-child.ts';
import { tempDir } from '../../support/temp.ts';

const LIMIT_MS = 60_000;
const D40 = '1234567890'.repeat(4);
const world = {
  resources: [
    { id: 'f0000000000000000000000000000001', name: 'Hostile', rules: ['^(\\d+)+#$'], gateways: [{ server: 'h.example' }] },
    { id: 'f0000000000000000000000000000002', name: 'Star', rules: ['^(\\d+)\\*$'], cid_rules: ['^(\\d|\\d)*$'], gateways: [{ server: 's.example' }] },
  ],
};

interface Answer {
  candidates: { resourceId: string; name: string; matchedNumber: string }[];
  excluded: { resourceId: string; code: string }[];
}

test('route --offline answers a 41-character number against a rule with nested quantifiers; over-long inputs exit 2', { timeout: 4 * LIMIT_MS }, async () => {
  const dir = tempDir('cd-route-hostile-');
  try {
    const file = join(dir.path, 'world.json');
    writeFileSync(file, JSON.stringify(world));
    const data = join(dir.path, 'data');
    const base = ['route', '--offline', file, '--flavor', '5.0', '--bypass-e164', '--json'];

    const star = await runCli(data, [...base.slice(0, 1), `${D40}*`, ...base.slice(1), '--caller-id', D40], { killAfterMs: LIMIT_MS });
    assert.equal(star.signal, null, 'the process was killed at the limit: a pattern backtracked exponentially');
    assert.equal(star.code, 0, star.stderr);
    const a = JSON.parse(star.stdout) as Answer;
    assert.deepEqual(a.candidates.map((c) => [c.name, c.matchedNumber]), [['Star', D40]]);
    assert.equal(a.excluded.find((x) => x.resourceId === world.resources[0]!.id)?.code, 'no_rule');

    const badCaller = await runCli(data, [...base.slice(0, 1), `${D40}*`, ...base.slice(1), '--caller-id', `${D40}*`], { killAfterMs: LIMIT_MS });
    assert.equal(badCaller.code, 0, badCaller.stderr);
    assert.deepEqual((JSON.parse(badCaller.stdout) as Answer).candidates, []);

    const long = '1'.repeat(65);
    const tooLong = await runCli(data, [...base.slice(0, 1), long, ...base.slice(1)], { killAfterMs: LIMIT_MS });
    assert.equal(tooLong.code, 2);
    assert.equal(tooLong.stderr.trim(), 'carrier-desk: The number is 65 characters long; give at most 64 (no phone number is longer).');
    const longCaller = await runCli(data, [...base.slice(0, 1), '+14155550100', ...base.slice(1), '--caller-id', long], { killAfterMs: LIMIT_MS });
    assert.equal(longCaller.code, 2);
    assert.match(longCaller.stderr, /^carrier-desk: --caller-id is 65 characters long; give at most 64/);
    assert.equal(longCaller.stdout, '');
  } finally {
    dir.remove();
  }
});

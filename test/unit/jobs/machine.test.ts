// The job state machine, exhaustively: every state × every event against an expected table, then the
// decisions that matter (stalls, grace, backoff, remainder, give-up) and a random walk of invariants.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_POLICY,
  EVENT_TYPES,
  JOB_STATES,
  TERMINAL_STATES,
  backoffMs,
  transition,
  type EventType,
  type JobEvent,
  type JobSnapshot,
  type JobState,
  type Policy,
} from '../../../electron/core/jobs/machine.ts';

const NOW = 1_800_000_000_000;

function job(state: JobState, over: Partial<JobSnapshot> = {}): JobSnapshot {
  const onCluster = !['queued', 'submitting', 'verifying'].includes(state);
  return {
    state,
    remoteId: onCluster ? '202601-0123456789abcdef' : null,
    remoteStatus: state === 'running' || state === 'stalled' ? 'running' : onCluster ? 'pending' : null,
    total: 10,
    done: 2,
    successes: 2,
    failures: 0,
    submitAttempts: state === 'queued' ? 0 : 1,
    submitStartedAt: state === 'queued' ? null : NOW - 10_000,
    errorStreak: 0,
    notFoundStreak: 0,
    intervalMs: 2_000,
    nextAt: NOW - 1,
    lastProgressAt: onCluster ? NOW - 1_000 : null,
    lastError: null,
    note: null,
    finishedAt: null,
    ...over,
  };
}

const SAMPLE: Record<EventType, JobEvent> = {
  tick: { type: 'tick' },
  start: { type: 'start' },
  resumed: { type: 'resumed' },
  submit_ok: { type: 'submit_ok', remoteId: '202601-aaaaaaaaaaaaaaaa' },
  submit_rejected: { type: 'submit_rejected', error: 'validation' },
  submit_lost: { type: 'submit_lost', error: 'socket hang up' },
  found_remote: { type: 'found_remote', remoteId: '202601-bbbbbbbbbbbbbbbb' },
  not_found_remote: { type: 'not_found_remote' },
  lookup_error: { type: 'lookup_error', error: 'offline', kind: 'offline' },
  poll_ok: { type: 'poll_ok', status: 'running', done: 4, successes: 3, failures: 1 },
  poll_error: { type: 'poll_error', kind: 'server', error: '503' },
  stall_timeout: { type: 'stall_timeout' },
  resubmit_requested: { type: 'resubmit_requested' },
  cancel_requested: { type: 'cancel_requested' },
  login_refused: { type: 'login_refused', error: 'The cluster refused the login.' },
};

const I = 'ignored';
type Row = Record<EventType, JobState | typeof I>;
const allIgnored = Object.fromEntries(EVENT_TYPES.map((e) => [e, I])) as Row;

/** Expected next state for each (state, event); 'ignored' = the event does not apply. */
const TABLE: Record<JobState, Row> = {
  queued: { ...allIgnored, start: 'submitting', cancel_requested: 'cancelled' },
  submitting: { ...allIgnored, tick: 'verifying', resumed: 'verifying', submit_ok: 'submitted', submit_rejected: 'failed', submit_lost: 'verifying', login_refused: 'queued' },
  verifying: { ...allIgnored, tick: 'verifying', resumed: 'verifying', found_remote: 'submitted', not_found_remote: 'submitting', lookup_error: 'verifying', login_refused: 'verifying' },
  submitted: { ...allIgnored, tick: 'submitted', resumed: 'submitted', poll_ok: 'running', poll_error: 'submitted', login_refused: 'submitted' },
  running: { ...allIgnored, tick: 'running', resumed: 'running', poll_ok: 'running', poll_error: 'running', login_refused: 'running' },
  stalled: { ...allIgnored, tick: 'stalled', resumed: 'stalled', poll_ok: 'running', poll_error: 'stalled', resubmit_requested: 'superseded', login_refused: 'stalled' },
  unknown: { ...allIgnored, tick: 'unknown', resumed: 'unknown', poll_ok: 'running', poll_error: 'unknown', resubmit_requested: 'superseded', login_refused: 'unknown' },
  complete: allIgnored,
  failed: allIgnored,
  superseded: allIgnored,
  cancelled: allIgnored,
};

describe('job state machine: every state × every event', () => {
  for (const state of JOB_STATES) {
    for (const ev of EVENT_TYPES) {
      test(`${state} + ${ev} → ${TABLE[state][ev]}`, () => {
        const before = job(state);
        const frozen = structuredClone(before);
        const t = transition(before, SAMPLE[ev], NOW);
        assert.deepEqual(before, frozen, 'the input job is never mutated');
        const expected = TABLE[state][ev];
        if (expected === I) {
          assert.equal(t.ignored, true);
          assert.deepEqual(t.job, before);
          assert.deepEqual(t.effects, []);
          return;
        }
        assert.equal(t.ignored, false);
        assert.equal(t.job.state, expected);
        assert.ok(Number.isFinite(t.job.nextAt));
        if (TERMINAL_STATES.has(t.job.state)) assert.equal(t.job.finishedAt, NOW);
        // Effects that talk to the cluster come one at a time and only from states that need them.
        const remote = t.effects.filter((e) => e.type === 'put_job' || e.type === 'find_remote' || e.type === 'poll');
        assert.ok(remote.length <= 1);
        if (remote[0]?.type === 'put_job') assert.equal(t.job.state, 'submitting');
        if (remote[0]?.type === 'find_remote') assert.equal(t.job.state, 'verifying');
        if (remote[0]?.type === 'poll') assert.ok(['submitted', 'running', 'stalled', 'unknown'].includes(t.job.state));
        // Deterministic: same input, same output.
        assert.deepEqual(transition(before, SAMPLE[ev], NOW), t);
      });
    }
  }
});

describe('job state machine: decisions', () => {
  const p: Policy = { ...DEFAULT_POLICY, stallAfterMs: 60_000 };

  test('start persists the attempt before the PUT', () => {
    const t = transition(job('queued'), { type: 'start' }, NOW, p);
    assert.deepEqual(t.effects, [{ type: 'put_job' }]);
    assert.equal(t.job.submitAttempts, 1);
    assert.equal(t.job.submitStartedAt, NOW);
  });

  test('a lost reply is looked up, not resent; absent only after the grace period', () => {
    const lost = transition(job('submitting', { submitStartedAt: NOW }), { type: 'submit_lost', error: 'reset' }, NOW, p);
    assert.equal(lost.job.state, 'verifying');
    assert.ok(lost.job.nextAt >= NOW + p.verifyGraceMs);
    assert.ok(!lost.effects.some((e) => e.type === 'put_job'));
    const early = transition({ ...lost.job }, { type: 'not_found_remote' }, NOW + 1, p);
    assert.equal(early.job.state, 'verifying');
    assert.equal(early.job.nextAt, NOW + p.verifyGraceMs);
    const later = transition({ ...lost.job }, { type: 'not_found_remote' }, NOW + p.verifyGraceMs, p);
    assert.equal(later.job.state, 'submitting');
    assert.equal(later.job.submitAttempts, 2);
    assert.deepEqual(later.effects, [{ type: 'put_job' }]);
  });

  test('found on the cluster: adopted with its remote id', () => {
    const t = transition(job('verifying'), { type: 'found_remote', remoteId: '202601-cccccccccccccccc' }, NOW, p);
    assert.equal(t.job.remoteId, '202601-cccccccccccccccc');
    assert.match(t.job.note ?? '', /adopted/);
  });

  test('after too many unanswered submissions the numbers are failed, not dropped', () => {
    const t = transition(job('verifying', { submitAttempts: p.maxSubmitAttempts }), { type: 'not_found_remote' }, NOW, p);
    assert.equal(t.job.state, 'failed');
    assert.equal(t.effects[0]?.type, 'fail_pending');
  });

  test('a rejected PUT fails the job and its numbers', () => {
    const t = transition(job('submitting'), { type: 'submit_rejected', error: 'forbidden' }, NOW, p);
    assert.equal(t.job.state, 'failed');
    assert.deepEqual(t.effects, [{ type: 'fail_pending', reason: 'job refused: forbidden' }]);
  });

  test('a part cancelled before it was sent cancels its numbers (not failed: nothing was offered to the cluster)', () => {
    const t = transition(job('queued'), { type: 'cancel_requested' }, NOW, p);
    assert.equal(t.job.state, 'cancelled');
    assert.deepEqual(t.effects, [{ type: 'cancel_pending' }]);
  });

  test('a running job without progress past the threshold: remainder resubmitted automatically', () => {
    const j = job('running', { lastProgressAt: NOW - 61_000, done: 4 });
    const t = transition(j, { type: 'poll_ok', status: 'running', done: 4, successes: 4, failures: 0 }, NOW, p);
    assert.equal(t.job.state, 'superseded');
    assert.ok(t.effects.some((e) => e.type === 'create_remainder'));
  });

  test('with automatic resubmission off, the job waits as stalled and is resubmitted on request', () => {
    const manual = { ...p, autoResubmit: false };
    const j = job('running', { lastProgressAt: NOW - 61_000, done: 4 });
    const t = transition(j, { type: 'poll_ok', status: 'running', done: 4, successes: 4, failures: 0 }, NOW, manual);
    assert.equal(t.job.state, 'stalled');
    assert.ok(!t.effects.some((e) => e.type === 'create_remainder'));
    const r = transition(t.job, { type: 'resubmit_requested' }, NOW, manual);
    assert.equal(r.job.state, 'superseded');
    assert.deepEqual(r.effects, [{ type: 'create_remainder' }]);
  });

  test('a remainder that made no progress at all is not resubmitted again automatically (executor stopped)', () => {
    const idle = job('submitted', { lastProgressAt: NOW - 61_000, done: 0, isRemainder: true });
    const t = transition(idle, { type: 'poll_ok', status: 'pending', done: 0, successes: 0, failures: 0, clusterProgressAt: null }, NOW, p);
    assert.equal(t.job.state, 'stalled');
    assert.ok(!t.effects.some((e) => e.type === 'create_remainder'));
    assert.match(t.job.note ?? '', /executor seems stopped/);
    assert.equal(t.effects.filter((e) => e.type === 'notify').length, 1);
    // Polled again while still stalled: the same state, no second notice.
    const again = transition(t.job, { type: 'poll_ok', status: 'pending', done: 0, successes: 0, failures: 0, clusterProgressAt: null }, NOW + 5_000, p);
    assert.equal(again.job.state, 'stalled');
    assert.deepEqual(again.effects, []);
    // On request it is still resubmitted; a remainder that did move before stalling is resubmitted automatically.
    assert.deepEqual(transition(t.job, { type: 'resubmit_requested' }, NOW, p).effects, [{ type: 'create_remainder' }]);
    const moved = job('running', { lastProgressAt: NOW - 61_000, done: 3, isRemainder: true });
    const m = transition(moved, { type: 'poll_ok', status: 'running', done: 3, successes: 3, failures: 0 }, NOW, p);
    assert.equal(m.job.state, 'superseded');
  });

  test('progress keeps a job alive and polls fast; no progress slows polling down to the cap', () => {
    const moving = transition(job('running', { lastProgressAt: NOW - 59_000 }), { type: 'poll_ok', status: 'running', done: 5, successes: 5, failures: 0 }, NOW, p);
    assert.equal(moving.job.state, 'running');
    assert.equal(moving.job.lastProgressAt, NOW);
    assert.equal(moving.job.nextAt, NOW + p.pollMinMs);
    let j = moving.job;
    for (let i = 0; i < 20; i++) j = transition(j, { type: 'poll_ok', status: 'running', done: 5, successes: 5, failures: 0 }, NOW + 1, p).job;
    assert.equal(j.intervalMs, p.pollMaxMs);
  });

  test('a pending job behind a busy executor is not stalled; with the whole cluster quiet it is', () => {
    const j = job('submitted', { lastProgressAt: NOW - 120_000, done: 0 });
    const busy = transition(j, { type: 'poll_ok', status: 'pending', done: 0, successes: 0, failures: 0, clusterProgressAt: NOW - 5_000 }, NOW, p);
    assert.equal(busy.job.state, 'submitted');
    const quiet = transition(j, { type: 'poll_ok', status: 'pending', done: 0, successes: 0, failures: 0, clusterProgressAt: NOW - 100_000 }, NOW, p);
    assert.equal(quiet.job.state, 'superseded');
  });

  test('complete with numbers missing from both maps marks them failed (never silently lost)', () => {
    const t = transition(job('running'), { type: 'poll_ok', status: 'complete', done: 9, successes: 9, failures: 0 }, NOW, p);
    assert.equal(t.job.state, 'complete');
    assert.ok(t.effects.some((e) => e.type === 'fail_pending'));
  });

  test('errors back off exponentially and honour Retry-After', () => {
    let j = job('running');
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t = transition(j, { type: 'poll_error', kind: 'offline', error: 'refused' }, NOW, p);
      waits.push(t.job.nextAt - NOW);
      j = t.job;
    }
    assert.deepEqual(waits, [2_000, 4_000, 8_000, 16_000]);
    const limited = transition(job('running'), { type: 'poll_error', kind: 'rate_limited', error: '429', retryAfterMs: 30_000 }, NOW, p);
    assert.equal(limited.job.nextAt, NOW + 30_000);
    assert.equal(backoffMs(50, p), p.errorMaxMs);
  });

  test('a job the cluster no longer finds becomes unknown after several 404s', () => {
    let j = job('running');
    for (let i = 0; i < p.notFoundLimit; i++) j = transition(j, { type: 'poll_error', kind: 'not_found', error: '404' }, NOW, p).job;
    assert.equal(j.state, 'unknown');
    const back = transition(j, { type: 'poll_ok', status: 'running', done: 3, successes: 3, failures: 0 }, NOW, p);
    assert.equal(back.job.state, 'running');
  });

  test('a running job can be resubmitted only with force', () => {
    assert.equal(transition(job('running'), { type: 'resubmit_requested' }, NOW, p).ignored, true);
    assert.equal(transition(job('running'), { type: 'resubmit_requested', force: true }, NOW, p).job.state, 'superseded');
  });

  test('random walks keep every invariant', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let walk = 0; walk < 300; walk++) {
      let j = job('queued');
      let now = NOW;
      for (let step = 0; step < 60; step++) {
        now += Math.floor(rnd() * 120_000);
        const ev = SAMPLE[EVENT_TYPES[Math.floor(rnd() * EVENT_TYPES.length)]!];
        const t = transition(j, ev, now, p);
        assert.ok(JOB_STATES.includes(t.job.state));
        if (TERMINAL_STATES.has(j.state)) assert.equal(t.ignored, true);
        assert.ok(t.job.submitAttempts <= p.maxSubmitAttempts);
        if (t.job.state === 'submitted' || t.job.state === 'running') assert.ok(t.job.remoteId);
        j = t.job;
      }
    }
  });
});

// Display helpers of the drafts/sync screens: values in diffs, action and status names and tones.
import type { ApplyOutcome, ApplyTargetResult, PlanAction, TargetState } from '../../../../../electron/shared/contract/sync.ts';
import type { Tone } from '../StatusBadge.svelte';

export function show(v: unknown): string {
  if (v === undefined) return '—';
  if (typeof v === 'string') return v === '' ? '""' : v;
  return JSON.stringify(v);
}

export const ACTION: Record<PlanAction, { label: string; tone: Tone }> = {
  create: { label: 'create', tone: 'info' },
  update: { label: 'update', tone: 'info' },
  delete: { label: 'delete', tone: 'err' },
  noop: { label: 'no change', tone: 'ok' },
  conflict: { label: 'conflict', tone: 'err' },
  blocked: { label: 'blocked', tone: 'warn' },
};

export const OUTCOME: Record<ApplyOutcome | 'in_flight', { label: string; tone: Tone }> = {
  in_flight: { label: 'in flight…', tone: 'info' },
  done: { label: 'done', tone: 'ok' },
  noop: { label: 'nothing to do', tone: 'ok' },
  queued: { label: 'queued (cluster offline)', tone: 'warn' },
  failed: { label: 'failed', tone: 'err' },
  stale: { label: 'changed meanwhile: plan again', tone: 'warn' },
  refused: { label: 'refused', tone: 'err' },
  skipped: { label: 'skipped', tone: 'muted' },
  joined: { label: 'sent by another run', tone: 'info' },
};

/** A joined target's badge says how the other run's operation ended (this run sent nothing for it). */
const JOINED: Record<NonNullable<ApplyTargetResult['joinedOutcome']>, { label: string; tone: Tone }> = {
  done: { label: 'done by another run', tone: 'ok' },
  queued: { label: 'queued by another run', tone: 'warn' },
  failed: { label: 'failed in another run', tone: 'err' },
  stale: { label: 'changed meanwhile: plan again', tone: 'warn' },
  replaced: { label: 'replaced by a newer plan', tone: 'muted' },
};

export function outcomeBadge(outcome: ApplyOutcome | 'in_flight', joined?: ApplyTargetResult['joinedOutcome']): { label: string; tone: Tone } {
  return outcome === 'joined' && joined ? JOINED[joined] : OUTCOME[outcome];
}

/** True when a result's reason is a note, not an error (nothing went wrong). */
export function isFine(r: ApplyTargetResult): boolean {
  return r.outcome === 'done' || r.outcome === 'noop' || (r.outcome === 'joined' && r.joinedOutcome === 'done');
}

/** The colour of a target's state (its words come from the core with the state). */
export const TARGET_TONE: Record<TargetState, Tone> = {
  'not-applied': 'muted',
  'exists-unbound': 'warn',
  'in-sync': 'ok',
  changed: 'info',
  drifted: 'warn',
  diverged: 'warn',
  queued: 'warn',
  sending: 'info',
  refused: 'warn',
  conflict: 'err',
  failed: 'err',
  blocked: 'err',
  'to-delete': 'info',
  deleted: 'muted',
};

export function scopeName(scope: string, accountName?: (id: string) => string): string {
  return scope === 'global' ? 'global' : (accountName?.(scope) ?? scope);
}

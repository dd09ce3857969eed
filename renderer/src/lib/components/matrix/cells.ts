// How each Overview cell looks: a symbol and a colour per state (the words come from the core with the cell).
import type { MatrixCell, TargetState } from '../../../../../electron/shared/contract/sync.ts';
import { TARGET_TONE } from '../drafts/format.ts';
import type { Tone } from '../StatusBadge.svelte';

/** Cells that are not a target's state (no target, no draft, …): their own colour. */
const OTHER_TONE: Record<Exclude<MatrixCell, TargetState>, Tone> = {
  missing: 'info',
  untargeted: 'muted',
  'no-draft': 'muted',
  'in-draft': 'muted',
  absent: 'muted',
};

const SYMBOL: Record<MatrixCell, string> = {
  'in-sync': '✓',
  changed: '→',
  drifted: '≠',
  diverged: '⇆',
  'not-applied': '○',
  missing: '+',
  'exists-unbound': '⊕',
  queued: '⋯',
  sending: '↑',
  refused: '↺',
  conflict: '⚡',
  failed: '✕',
  blocked: '⊘',
  'to-delete': '−',
  deleted: '∅',
  untargeted: '·',
  'no-draft': '◇',
  'in-draft': '↑',
  absent: '',
};

/** A target's state keeps the colour it has in the drafts screens (TARGET_TONE): one table for both. */
const TONE: Record<MatrixCell, Tone> = { ...TARGET_TONE, ...OTHER_TONE };

export const CELL_LOOK = Object.fromEntries(
  (Object.keys(SYMBOL) as MatrixCell[]).map((c) => [c, { tone: TONE[c], symbol: SYMBOL[c] }]),
) as Record<MatrixCell, { tone: Tone; symbol: string }>;

export function timeOf(ms: number | undefined): string {
  return ms ? new Date(ms).toLocaleString() : 'never';
}

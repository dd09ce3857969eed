// How each Overview cell looks: a symbol and a colour per state (the words come from the core with the cell).
import type { MatrixCell } from '../../../../../electron/shared/contract/sync.ts';
import type { Tone } from '../StatusBadge.svelte';

export const CELL_LOOK: Record<MatrixCell, { tone: Tone; symbol: string }> = {
  'in-sync': { tone: 'ok', symbol: '✓' },
  changed: { tone: 'info', symbol: '→' },
  drifted: { tone: 'warn', symbol: '≠' },
  diverged: { tone: 'warn', symbol: '⇆' },
  'not-applied': { tone: 'muted', symbol: '○' },
  missing: { tone: 'info', symbol: '+' },
  'exists-unbound': { tone: 'warn', symbol: '⊕' },
  queued: { tone: 'warn', symbol: '⋯' },
  sending: { tone: 'info', symbol: '↑' },
  refused: { tone: 'warn', symbol: '↺' },
  conflict: { tone: 'err', symbol: '⚡' },
  failed: { tone: 'err', symbol: '✕' },
  blocked: { tone: 'err', symbol: '⊘' },
  'to-delete': { tone: 'info', symbol: '−' },
  deleted: { tone: 'muted', symbol: '∅' },
  untargeted: { tone: 'muted', symbol: '·' },
  'no-draft': { tone: 'muted', symbol: '◇' },
  'in-draft': { tone: 'muted', symbol: '↑' },
  absent: { tone: 'muted', symbol: '' },
};

export function timeOf(ms: number | undefined): string {
  return ms ? new Date(ms).toLocaleString() : 'never';
}

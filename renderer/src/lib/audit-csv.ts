// The audit entries shown on screen as CSV (one row per entry, changed field paths joined).
import type { AuditEntry } from '../../../electron/shared/contract/sync.ts';

/** The filtered entries as CSV (one row per entry, changed paths joined). */
export function auditCsv(entries: AuditEntry[]): string {
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const head = ['time', 'cluster', 'scope', 'resource_id', 'action', 'result', 'changed_fields', 'request_id', 'error'];
  const rows = entries.map((e) => [new Date(e.at).toISOString(), e.clusterName, e.scope, e.resourceId, e.action, e.result, e.diff.map((d) => d.path).join(' '), e.requestId, e.error].map(cell).join(','));
  return [head.join(','), ...rows].join('\n') + '\n';
}

// The audit entries shown on screen as CSV (one row per entry, changed field paths joined).
import type { AuditEntry } from '../../../electron/shared/contract/sync.ts';
import { csvCell } from '../../../electron/shared/csv.ts';

/** The filtered entries as CSV (one row per entry, changed paths joined). */
export function auditCsv(entries: AuditEntry[]): string {
  const head = ['time', 'cluster', 'scope', 'resource_id', 'action', 'result', 'changed_fields', 'request_id', 'error'];
  const rows = entries.map((e) => [new Date(e.at).toISOString(), e.clusterName, e.scope, e.resourceId, e.action, e.result, e.diff.map((d) => d.path).join(' '), e.requestId, e.error].map(csvCell).join(','));
  return [head.join(','), ...rows].join('\n') + '\n';
}

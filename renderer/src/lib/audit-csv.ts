// The audit entries shown on screen as CSV (one row per entry, changed field paths joined).
import type { AuditEntry } from '../../../electron/shared/contract/sync.ts';
import { csvCell } from '../../../electron/shared/csv.ts';

/** The filtered entries as CSV (one row per entry, changed paths joined): names first, their ids beside them. */
export function auditCsv(entries: AuditEntry[], carrierName: (e: AuditEntry) => string | undefined = (e) => e.resourceName): string {
  const head = ['time', 'cluster', 'scope', 'scope_id', 'carrier', 'resource_id', 'action', 'result', 'changed_fields', 'request_id', 'error'];
  const rows = entries.map((e) =>
    [
      new Date(e.at).toISOString(), e.clusterName, e.scopeName ?? e.scope, e.scope, carrierName(e) ?? '', e.resourceId, e.action, e.result,
      e.diff.map((d) => d.path).join(' '), e.requestId, e.error,
    ].map(csvCell).join(','),
  );
  return [head.join(','), ...rows].join('\n') + '\n';
}

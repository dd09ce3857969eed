// Use cases for the audit log (list, export as JSON lines) and the outbox listing.
import type { CoreContext } from '../context.ts';
import type { AuditEntry, FieldChangeView, OutboxItemView } from '../../shared/contract/sync.ts';
import type { AuditRow } from '../db/repos/audit-repo.ts';
import { redactor } from '../secrets/redactor.ts';
import type { SyncStore } from '../sync/store.ts';

function entry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    clusterId: r.cluster_id,
    clusterName: r.cluster_name,
    scope: r.scope,
    resourceId: r.resource_id,
    draftId: r.draft_id,
    action: r.action,
    // Masked when written; redacted again in case a secret hid in an unexpected field.
    diff: redactor.redactValue(JSON.parse(r.diff_json)) as FieldChangeView[],
    beforeHash: r.before_hash,
    afterHash: r.after_hash,
    requestId: r.request_id,
    result: r.result,
    error: r.error === null ? null : redactor.redact(r.error),
  };
}

export class AuditService {
  constructor(
    private readonly ctx: CoreContext,
    private readonly store: SyncStore,
  ) {}

  list(args: { cluster?: string | undefined; draft?: string | undefined; limit: number }): AuditEntry[] {
    const clusterId = args.cluster ? (this.ctx.clusters.find(args.cluster)?.id ?? args.cluster) : undefined;
    const draftId = args.draft ? (this.store.drafts.find(args.draft)?.id ?? args.draft) : undefined;
    return this.store.audit.list({ ...(clusterId ? { clusterId } : {}), ...(draftId ? { draftId } : {}), limit: args.limit }).map(entry);
  }

  export(): { text: string; count: number } {
    const lines: string[] = [];
    for (const r of this.store.audit.iterateAll()) lines.push(JSON.stringify(entry(r)));
    return { text: lines.length ? lines.join('\n') + '\n' : '', count: lines.length };
  }

  outbox(all: boolean): OutboxItemView[] {
    return this.store.outbox.list(all).map((r) => {
      const t = this.store.drafts.target(r.target_id);
      const d = t ? this.store.drafts.find(t.draft_id) : undefined;
      return {
        id: r.id,
        targetId: r.target_id,
        draftId: t?.draft_id ?? '',
        draftName: d?.name ?? '',
        clusterName: t ? (this.ctx.clusters.find(t.cluster_id)?.name ?? t.cluster_id) : '',
        scope: t?.scope ?? '',
        op: r.op,
        state: r.state,
        attempts: r.attempts,
        nextAttemptAt: r.next_attempt_at,
        reason: r.reason,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      };
    });
  }
}

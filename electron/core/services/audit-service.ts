// Use cases for the audit log (list, export as JSON lines) and the outbox listing.
import type { CoreContext } from '../context.ts';
import type { AuditEntry, FieldChangeView, OutboxItemView } from '../../shared/contract/sync.ts';
import type { AuditRow } from '../db/repos/audit-repo.ts';
import { redactor } from '../secrets/redactor.ts';
import type { SyncStore } from '../sync/store.ts';
import { NameBook } from '../sync/name-book.ts';

function entry(r: AuditRow, names: NameBook, draftName: (id: string) => string | undefined): AuditEntry {
  const scopeName = names.scopeName(r.cluster_id, r.scope);
  const resourceName = names.carrierName(r.cluster_id, r.scope, r.resource_id) ?? (r.draft_id ? draftName(r.draft_id) : undefined);
  return {
    id: r.id,
    at: r.at,
    clusterId: r.cluster_id,
    clusterName: r.cluster_name,
    scope: r.scope,
    ...(scopeName ? { scopeName } : {}),
    resourceId: r.resource_id,
    ...(resourceName ? { resourceName } : {}),
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
    const names = new NameBook(this.store);
    const draft = (id: string) => this.store.drafts.find(id)?.name;
    return this.store.audit.list({ ...(clusterId ? { clusterId } : {}), ...(draftId ? { draftId } : {}), limit: args.limit }).map((r) => entry(r, names, draft));
  }

  export(): { text: string; count: number } {
    const lines: string[] = [];
    const names = new NameBook(this.store);
    const draft = (id: string) => this.store.drafts.find(id)?.name;
    for (const r of this.store.audit.iterateAll()) lines.push(JSON.stringify(entry(r, names, draft)));
    return { text: lines.length ? lines.join('\n') + '\n' : '', count: lines.length };
  }

  outbox(all: boolean): OutboxItemView[] {
    const names = new NameBook(this.store);
    return this.store.outbox.list(all).map((r) => {
      const t = this.store.drafts.target(r.target_id);
      const d = t ? this.store.drafts.find(t.draft_id) : undefined;
      const scopeName = t ? names.scopeName(t.cluster_id, t.scope) : undefined;
      return {
        ...(scopeName ? { scopeName } : {}),
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

// The audit log as the renderer shows it: fetched with the core's filters (cluster, draft, limit) and
// narrowed locally (action, result, text, date range); export goes through the core (secrets redacted).
import type { AuditEntry } from '../../../../electron/shared/contract/sync.ts';
import type { ErrorValue } from '../../../../electron/shared/result.ts';
import { call, on } from '../api.ts';

class AuditState {
  entries = $state.raw<AuditEntry[]>([]);
  loading = $state(false);
  error = $state<ErrorValue | null>(null);
  cluster = $state('');
  draft = $state('');
  limit = $state(500);
  action = $state<'' | AuditEntry['action']>('');
  result = $state<'' | AuditEntry['result']>('');
  text = $state('');
  from = $state('');
  to = $state('');

  constructor() {
    on('drafts.changed', () => {
      if (this.entries.length || this.error) void this.load();
    });
  }

  get filtered(): AuditEntry[] {
    const q = this.text.trim().toLowerCase();
    const from = this.from ? Date.parse(this.from) : -Infinity;
    const to = this.to ? Date.parse(this.to) + 86_400_000 : Infinity;
    return this.entries.filter(
      (e) =>
        (!this.action || e.action === this.action) &&
        (!this.result || e.result === this.result) &&
        e.at >= from &&
        e.at < to &&
        (!q ||
          [e.resourceId, e.resourceName ?? '', e.clusterName, e.scope, e.scopeName ?? '', e.requestId ?? '', e.error ?? '', ...e.diff.map((d) => d.path)].some((s) =>
            s.toLowerCase().includes(q),
          )),
    );
  }

  async load(): Promise<void> {
    this.loading = true;
    const r = await call('audit.list', { ...(this.cluster ? { cluster: this.cluster } : {}), ...(this.draft ? { draft: this.draft } : {}), limit: this.limit });
    this.loading = false;
    if (r.ok) {
      this.entries = r.value;
      this.error = null;
    } else this.error = r.error;
  }
}

export const audit = new AuditState();

// The Overview as the core builds it from stored state, reloaded whenever a draft, the outbox, a cluster's pulled
// carriers or a cluster itself changes (here or in another process); Refresh reads the clusters again first.
import type { MatrixRefresh, MatrixView } from '../../../../electron/shared/contract/sync.ts';
import type { ErrorValue } from '../../../../electron/shared/result.ts';
import { call, on, onConnectionState } from '../api.ts';
import { coalesce } from '../coalesce.ts';

class MatrixState {
  view = $state.raw<MatrixView | null>(null);
  loading = $state(false);
  refreshing = $state(false);
  error = $state<ErrorValue | null>(null);
  /** What the last Refresh read, and which clusters it could not read. */
  lastRefresh = $state.raw<MatrixRefresh | null>(null);
  private watching = false;

  /** Starts following changes (the first time the Overview is shown). */
  watch(): void {
    if (this.watching) return;
    this.watching = true;
    const reload = coalesce(() => this.load(), 100);
    for (const e of ['drafts.changed', 'outbox.changed', 'snapshots.changed', 'clusters.changed', 'clusters.removed'] as const) on(e, reload);
    onConnectionState((s) => s === 'open' && reload());
  }

  async load(): Promise<void> {
    this.loading = true;
    const r = await call('sync.matrix', {});
    this.loading = false;
    if (r.ok) {
      this.view = r.value;
      this.error = null;
    } else this.error = r.error;
  }

  /** Reads every pulled scope of every cluster again (conditional reads), then shows the result. */
  async refresh(): Promise<void> {
    this.refreshing = true;
    const r = await call('sync.matrix', { refresh: true });
    this.refreshing = false;
    if (r.ok) {
      this.view = r.value;
      this.lastRefresh = r.value.refresh ?? null;
      this.error = null;
    } else this.error = r.error;
  }
}

export const matrix = new MatrixState();

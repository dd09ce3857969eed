// Drafts and sync as the renderer sees them: the list, the open draft with its working copy, validation,
// the plan, apply progress (from 'sync.progress'), conflict choices, history and the outbox.
import type {
  ApplyResult,
  DraftSummary,
  DraftVersionView,
  DraftView,
  JsonDoc,
  OutboxItemView,
  PlanView,
  SyncEvents,
  TargetNotice,
  TargetsAdded,
  ValidationReport,
} from '../../../../electron/shared/contract/sync.ts';
import type { ErrorValue, Result } from '../../../../electron/shared/result.ts';
import { call, on, onConnectionState } from '../api.ts';
import { coalesce } from '../coalesce.ts';
import { jsonEqual } from '../json-equal.ts';

export type Progress = SyncEvents['sync.progress'];

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

class DraftsState {
  list = $state.raw<DraftSummary[]>([]);
  loaded = $state(false);
  listError = $state<ErrorValue | null>(null);

  current = $state.raw<DraftView | null>(null);
  /** The editable copy of current.doc (deep state: the editor changes it in place). */
  working = $state<JsonDoc>({});
  savedJson = $state('');
  loadError = $state<ErrorValue | null>(null);
  saving = $state(false);
  saveError = $state<ErrorValue | null>(null);

  validation = $state.raw<ValidationReport | null>(null);
  /** The document `validation` describes: an issue at a field whose value changed since is not shown as current. */
  validatedDoc = $state.raw<JsonDoc | null>(null);
  validating = $state(false);

  plan = $state.raw<PlanView | null>(null);
  planning = $state(false);
  planError = $state<ErrorValue | null>(null);
  applying = $state(false);
  progress = $state.raw<Record<string, Progress>>({});
  applyResult = $state.raw<ApplyResult | null>(null);
  applyError = $state<ErrorValue | null>(null);

  /** What adding the last target noticed (the carrier already there, bound or of the same name). */
  targetNotice = $state.raw<TargetNotice | null>(null);

  history = $state.raw<DraftVersionView[]>([]);
  outbox = $state.raw<OutboxItemView[]>([]);
  outboxCounts = $state.raw<SyncEvents['outbox.changed']>({ queued: 0, inFlight: 0, failed: 0 });

  constructor() {
    on('drafts.changed', ({ draftId }) => {
      this.reloadList();
      // Reload the open draft unless the user has unsaved edits (they would be overwritten).
      if (this.current?.id === draftId) this.reloadCurrent();
    });
    // Pulled state a target's badge is derived from (drift on the cluster) changed.
    on('snapshots.changed', () => {
      this.reloadList();
      this.reloadCurrent();
    });
    on('sync.progress', (p) => {
      this.progress = { ...this.progress, [p.targetId]: p };
    });
    on('outbox.changed', (c) => {
      this.outboxCounts = c;
      void this.loadOutbox();
    });
    onConnectionState((s) => {
      if (s === 'open') {
        void this.loadList();
        void this.loadOutbox();
      }
    });
  }

  /** One reload of the list (and of the open draft, when its edits are saved) per burst of change events. */
  private readonly reloadList = coalesce(() => this.loadList());
  private readonly reloadCurrent = coalesce(() => {
    if (this.current && !this.dirty && !this.saving) return this.open(this.current.id, false);
  });

  get dirty(): boolean {
    return this.current !== null && JSON.stringify(this.working) !== this.savedJson;
  }

  async loadList(): Promise<void> {
    const r = await call('drafts.list', {});
    this.loaded = true;
    if (r.ok) {
      this.list = r.value;
      this.listError = null;
    } else this.listError = r.error;
  }

  /**
   * Shows a stored version. The working copy is replaced only when its content differs: replacing it with an
   * equal copy (after a save, or the reload its 'drafts.changed' event causes) would rebuild every editor row,
   * closing what the user opened and dropping the focus (and with it the next keystrokes).
   */
  private setCurrent(d: DraftView): void {
    this.current = d;
    if (!jsonEqual($state.snapshot(this.working), d.doc)) this.working = clone(d.doc);
    this.savedJson = JSON.stringify(this.working);
  }

  /** Opens a draft; resetting clears the plan and results of the previous one. */
  async open(id: string, reset = true): Promise<void> {
    if (reset) {
      this.plan = null;
      this.applyResult = null;
      this.progress = {};
      this.validation = null;
      this.planError = null;
      this.applyError = null;
      this.targetNotice = null;
    }
    const r = await call('drafts.get', { draft: id });
    // A reload (after another process changed the draft) never overwrites edits typed while it was on its way.
    if (!reset && this.current?.id === id && this.dirty) return;
    if (!r.ok) {
      this.loadError = r.error;
      this.current = null;
      return;
    }
    this.loadError = null;
    this.setCurrent(r.value);
    if (reset) void this.validate();
  }

  close(): void {
    this.current = null;
    this.plan = null;
  }

  async create(name: string, from: { kind: 'blank' } | { kind: 'json'; doc: JsonDoc } | { kind: 'snapshot'; cluster: string; scope: string; id: string }): Promise<DraftView | ErrorValue> {
    const r = await call('drafts.create', { ...(name ? { name } : {}), from });
    if (!r.ok) return r.error;
    void this.loadList();
    return r.value;
  }

  async save(note?: string): Promise<boolean> {
    if (!this.current) return false;
    this.saving = true;
    const sent = clone(this.working);
    const r = await call('drafts.save', { draft: this.current.id, doc: sent, ...(note ? { note } : {}) });
    this.saving = false;
    if (!r.ok) {
      this.saveError = r.error;
      return false;
    }
    this.saveError = null;
    if (jsonEqual($state.snapshot(this.working), sent)) this.setCurrent(r.value);
    else {
      // Typed while the save was on its way: those edits stay in the working copy, unsaved.
      this.current = r.value;
      this.savedJson = JSON.stringify(sent);
    }
    this.plan = null;
    void this.validate();
    void this.loadList();
    return true;
  }

  discard(): void {
    if (this.current) this.working = clone(this.current.doc);
  }

  private validations = 0;

  async validate(online = false): Promise<void> {
    if (!this.current) return;
    const seq = ++this.validations;
    this.validating = true;
    // Unsaved edits are validated as they stand, so errors show at the field before saving.
    const doc = clone(this.working);
    const r = await call('drafts.validate', { draft: this.current.id, online, ...(this.dirty ? { doc } : {}) });
    // Only the latest check is shown: an earlier one answering late describes a document that is gone.
    if (seq !== this.validations) return;
    this.validating = false;
    if (r.ok) {
      this.validation = r.value;
      this.validatedDoc = doc;
    }
  }

  async addTarget(cluster: string, scope: string): Promise<ErrorValue | null> {
    if (!this.current) return null;
    const r = await call('targets.add', { draft: this.current.id, cluster, scope });
    if (!r.ok) return r.error;
    const { notice, ...view } = r.value;
    this.current = view;
    this.targetNotice = notice ?? null;
    this.plan = null;
    void this.validate();
    void this.loadList();
    return null;
  }

  /**
   * Settles a create held back because the scope already has a carrier of that name: bind the target to that carrier
   * (the plan then updates it) or confirm a second one; then plans again.
   */
  async settleExisting(cluster: string, scope: string, choice: { resourceId: string } | { createAnyway: true }): Promise<ErrorValue | null> {
    if (!this.current) return null;
    const r = await call('targets.add', { draft: this.current.id, cluster, scope, ...choice });
    if (!r.ok) return r.error;
    const { notice: _notice, ...view } = r.value;
    this.current = view;
    this.targetNotice = null;
    void this.loadList();
    await this.makePlan();
    return null;
  }

  /** The same scope on several clusters in one call; the answer says which were added and which had it already. */
  async addTargets(clusterIds: string[], scope: string): Promise<Result<TargetsAdded>> {
    if (!this.current) return { ok: false, error: { code: 'internal', message: 'No draft is open.' } };
    const r = await call('targets.addMany', { draft: this.current.id, clusters: clusterIds, scope });
    if (!r.ok) return r;
    this.current = r.value.draft;
    this.targetNotice = null;
    this.plan = null;
    void this.validate();
    void this.loadList();
    return r;
  }

  async removeTarget(cluster: string, scope: string): Promise<ErrorValue | null> {
    if (!this.current) return null;
    const r = await call('targets.remove', { draft: this.current.id, cluster, scope });
    if (!r.ok) return r.error;
    this.current = r.value;
    this.plan = null;
    void this.loadList();
    return null;
  }

  async makePlan(): Promise<void> {
    if (!this.current) return;
    this.planning = true;
    this.planError = null;
    this.applyResult = null;
    this.progress = {};
    const r = await call('sync.plan', { draft: this.current.id });
    this.planning = false;
    if (r.ok) this.plan = r.value;
    else this.planError = r.error;
  }

  /** Applies exactly the plan on screen; targets that changed since are refused by the core. */
  async apply(): Promise<void> {
    if (!this.current || !this.plan) return;
    this.applying = true;
    this.applyError = null;
    this.progress = {};
    const r = await call('sync.apply', { draft: this.current.id, plan: this.plan.saved });
    this.applying = false;
    if (r.ok) this.applyResult = r.value;
    else this.applyError = r.error;
    await this.open(this.current.id, false);
    void this.loadList();
    void this.loadOutbox();
  }

  async resolve(cluster: string, scope: string, choices: Record<string, 'mine' | 'theirs'>): Promise<ErrorValue | null> {
    if (!this.current) return null;
    const r = await call('sync.resolve', { draft: this.current.id, cluster, scope, choices });
    if (!r.ok) return r.error;
    this.setCurrent(r.value);
    void this.loadList();
    await this.makePlan();
    return null;
  }

  async loadHistory(): Promise<void> {
    if (!this.current) return;
    const r = await call('drafts.history', { draft: this.current.id });
    if (r.ok) this.history = r.value;
  }

  async restore(version: number): Promise<ErrorValue | null> {
    if (!this.current) return null;
    const r = await call('drafts.restore', { draft: this.current.id, version });
    if (!r.ok) return r.error;
    this.setCurrent(r.value);
    this.plan = null;
    void this.loadHistory();
    void this.validate();
    return null;
  }

  async remove(id: string): Promise<ErrorValue | null> {
    const r = await call('drafts.remove', { draft: id });
    if (!r.ok) return r.error;
    if (this.current?.id === id) this.close();
    void this.loadList();
    return null;
  }

  async markDelete(deleted: boolean): Promise<ErrorValue | null> {
    if (!this.current) return null;
    const r = await call('drafts.markDelete', { draft: this.current.id, deleted });
    if (!r.ok) return r.error;
    this.current = r.value;
    this.plan = null;
    void this.loadList();
    return null;
  }

  async loadOutbox(all = false): Promise<void> {
    const r = await call('outbox.list', { all });
    if (r.ok) this.outbox = r.value;
  }
}

export const drafts = new DraftsState();

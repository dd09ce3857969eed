// Use cases for drafts: create (blank, JSON, from a pulled resource), save/edit as new versions, history and
// restore, delete marks, validation, targets, and the export/import bundle.
import { randomUUID } from 'node:crypto';
import type { CoreContext } from '../context.ts';
import type { ParsedArgsOf } from '../../shared/contract.ts';
import type { DraftSummary, DraftVersionView, DraftView, ValidationReport, JsonDoc } from '../../shared/contract/sync.ts';
import { NotFoundLocalError, UserInputError } from '../errors.ts';
import { clone, hashDoc, isObject, publicFields, type JsonObject } from '../drafts/canonical.ts';
import { checkTypedPath, setAt } from '../drafts/doc-path.ts';
import { buildBundle, parseBundle, restoreOmitted, type BundleDraft } from '../drafts/bundle.ts';
import type { DraftRow } from '../db/repos/drafts-repo.ts';
import { checkScope, toScope, type SyncStore } from '../sync/store.ts';
import type { SnapshotRow } from '../db/repos/snapshots-repo.ts';
import { validateDraft } from '../sync/validation.ts';

export class DraftsService {
  constructor(
    private readonly ctx: CoreContext,
    readonly store: SyncStore,
  ) {}

  list(): DraftSummary[] {
    return this.store.drafts.list().map((d) => this.store.summary(d));
  }

  get(ref: string, version?: number): DraftView {
    const d = this.store.draft(ref);
    if (version === undefined) return this.store.view(d);
    const v = this.store.drafts.version(d.id, version);
    if (!v) throw new NotFoundLocalError(`Version ${version} of draft`, d.name);
    return { ...this.store.summary(d), version, doc: this.store.open(v.doc_json) };
  }

  history(ref: string): DraftVersionView[] {
    const d = this.store.draft(ref);
    return this.store.drafts.versions(d.id).map((v) => ({ version: v.version, savedAt: v.saved_at, note: v.note, hash: v.doc_hash }));
  }

  /** A name not used by another draft: the wanted one, else with ' (2)', ' (3)'... */
  private freeName(wanted: string): string {
    let name = wanted.trim() || 'Untitled carrier';
    for (let i = 2; this.store.drafts.find(name); i++) name = `${wanted.trim() || 'Untitled carrier'} (${i})`;
    return name;
  }

  /** Creates a draft with its first version; targets may be bound in the same transaction. */
  newDraft(name: string, doc: JsonObject, note: string, id: string = randomUUID(), bind?: (d: DraftRow) => void): DraftRow {
    const at = this.store.now();
    const row: DraftRow = { id, name: this.freeName(name), kind: 'resource', current_version: 1, deleted_mark: 0, created_at: at, updated_at: at };
    this.store.drafts.transaction(() => {
      this.store.drafts.insert(row);
      this.store.drafts.insertVersion({ draft_id: row.id, version: 1, doc_json: this.store.seal(doc), doc_hash: hashDoc(doc), note, saved_at: at });
      bind?.(row);
    });
    this.store.changed(row.id);
    return row;
  }

  async create(args: ParsedArgsOf<'drafts.create'>): Promise<DraftView> {
    const from = args.from;
    if (from.kind === 'blank') {
      const name = args.name ?? 'Untitled carrier';
      return this.store.view(this.newDraft(name, { name, gateways: [], rules: [] }, args.note ?? 'created'));
    }
    if (from.kind === 'json') {
      const doc = publicFields(from.doc);
      if (args.name) doc.name = args.name;
      const name = args.name ?? (typeof doc.name === 'string' ? doc.name : 'Imported carrier');
      return this.store.view(this.newDraft(name, doc, args.note ?? 'created from JSON'));
    }
    const cluster = this.store.cluster(from.cluster);
    const scope = checkScope(from.scope);
    // Not pulled yet: read it now (and keep it in the snapshot).
    const snap = this.store.snapshots.get(cluster.id, scope, from.id) ?? (await this.fetchIntoSnapshot(cluster.id, scope, from.id));
    const remote = this.store.open(snap.doc_json);
    const doc = publicFields(remote);
    if (args.name) doc.name = args.name;
    const name = args.name ?? snap.name;
    const row = this.newDraft(name, doc, args.note ?? `from ${cluster.name}/${scope}/${from.id}`, randomUUID(), (d) => {
      if (!from.bind) return;
      const at = this.store.now();
      this.store.drafts.insertTarget({
        id: randomUUID(), draft_id: d.id, cluster_id: cluster.id, scope, remote_id: from.id, base_revision: snap.revision,
        base_doc_json: snap.doc_json, base_mine_json: this.store.seal(publicFields(remote)), last_applied_hash: null,
        status: 'in_sync', last_error_json: null, created_at: at, updated_at: at,
      });
    });
    return this.store.view(row);
  }

  private async fetchIntoSnapshot(clusterId: string, scope: string, id: string): Promise<SnapshotRow> {
    const got = await this.ctx.clients.use(clusterId, (client) => client.resources.get(toScope(scope), id));
    const row: SnapshotRow = {
      cluster_id: clusterId, scope, resource_id: id, name: typeof got.doc.name === 'string' ? got.doc.name : id,
      enabled: got.doc.enabled === false ? 0 : 1, doc_json: this.store.seal(got.doc), revision: got.revision ?? '', fetched_at: this.store.now(),
    };
    this.store.snapshots.upsert(row);
    return row;
  }

  save(ref: string, doc: JsonObject, note?: string): DraftView {
    const d = this.store.draft(ref);
    if (!isObject(doc)) throw new UserInputError('The draft document must be a JSON object.');
    // A masked copy ('***') or an export without secrets saved back keeps the secrets the draft has.
    const full = restoreOmitted(publicFields(doc), this.store.currentDoc(d)) as JsonObject;
    this.store.saveVersion(d, full, note ?? 'saved');
    this.store.changed(d.id);
    return this.store.view(d.id);
  }

  edit(args: ParsedArgsOf<'drafts.edit'>): DraftView {
    const d = this.store.draft(args.draft);
    if (args.set.length === 0 && args.unset.length === 0) throw new UserInputError('Nothing to change: give --set path=value or --unset path.');
    const doc = clone(this.store.currentDoc(d));
    for (const p of [...args.set.map((s) => s.path), ...args.unset]) checkTypedPath(p);
    for (const s of args.set) setAt(doc, s.path, s.value);
    for (const p of args.unset) setAt(doc, p, undefined);
    const note = args.note ?? [...args.set.map((s) => `set ${s.path}`), ...args.unset.map((p) => `unset ${p}`)].join(', ');
    return this.save(d.id, doc, note.slice(0, 500));
  }

  restore(ref: string, version: number): DraftView {
    const d = this.store.draft(ref);
    const v = this.store.drafts.version(d.id, version);
    if (!v) throw new NotFoundLocalError(`Version ${version} of draft`, d.name);
    return this.save(d.id, this.store.open(v.doc_json), `restored version ${version}`);
  }

  remove(ref: string): { removed: string } {
    const d = this.store.draft(ref);
    this.store.drafts.remove(d.id);
    this.store.changed(d.id);
    this.store.outboxChanged();
    return { removed: d.name };
  }

  markDelete(ref: string, deleted: boolean): DraftView {
    const d = this.store.draft(ref);
    this.store.drafts.setDeletedMark(d.id, deleted, this.store.now());
    this.store.changed(d.id);
    return this.store.view(d.id);
  }

  async validate(ref: string, online: boolean, workingCopy?: JsonDoc): Promise<ValidationReport> {
    const d = this.store.draft(ref);
    const doc = workingCopy ?? this.store.currentDoc(d);
    return validateDraft(this.store, d, doc, hashDoc(doc), online);
  }

  addTarget(args: ParsedArgsOf<'targets.add'>): DraftView {
    const d = this.store.draft(args.draft);
    const cluster = this.store.cluster(args.cluster);
    const scope = checkScope(args.scope);
    if (this.store.drafts.targetFor(d.id, cluster.id, scope)) throw new UserInputError(`Draft '${d.name}' already targets ${cluster.name}/${scope}.`);
    const at = this.store.now();
    let base: { revision: string; doc: string } | null = null;
    if (args.resourceId) {
      const snap = this.store.snapshots.get(cluster.id, scope, args.resourceId);
      if (snap) base = { revision: snap.revision, doc: snap.doc_json };
    }
    this.store.drafts.insertTarget({
      id: randomUUID(), draft_id: d.id, cluster_id: cluster.id, scope, remote_id: args.resourceId ?? null,
      base_revision: base?.revision ?? null, base_doc_json: base?.doc ?? null, base_mine_json: null, last_applied_hash: null,
      status: 'new', last_error_json: null, created_at: at, updated_at: at,
    });
    this.store.changed(d.id);
    return this.store.view(d.id);
  }

  removeTarget(args: ParsedArgsOf<'targets.remove'>): DraftView {
    const d = this.store.draft(args.draft);
    const cluster = this.store.cluster(args.cluster);
    const t = this.store.drafts.targetFor(d.id, cluster.id, checkScope(args.scope));
    if (!t) throw new NotFoundLocalError(`Target of draft '${d.name}'`, `${cluster.name}/${args.scope}`);
    this.store.drafts.removeTarget(t.id);
    this.store.changed(d.id);
    this.store.outboxChanged();
    return this.store.view(d.id);
  }

  exportBundle(refs: string[] | undefined, includeSecrets: boolean): { text: string; count: number } {
    const rows = refs ? refs.map((r) => this.store.draft(r)) : this.store.drafts.list();
    const drafts: BundleDraft[] = rows.map((d) => ({
      id: d.id,
      name: d.name,
      markedForDelete: d.deleted_mark === 1,
      doc: this.store.currentDoc(d),
      targets: this.store.drafts.targets(d.id).map((t) => ({ cluster: this.ctx.clusters.find(t.cluster_id)?.name ?? t.cluster_id, scope: t.scope, remoteId: t.remote_id })),
    }));
    return { text: buildBundle(drafts, includeSecrets), count: drafts.length };
  }

  importBundle(text: string): { created: string[]; updated: string[]; unchanged: string[] } {
    const bundle = parseBundle(text);
    const out = { created: [] as string[], updated: [] as string[], unchanged: [] as string[] };
    for (const b of bundle.drafts) {
      const existing = (b.id && this.store.drafts.find(b.id)) || this.store.drafts.find(b.name);
      let row: DraftRow;
      if (existing) {
        const current = this.store.currentDoc(existing);
        const doc = restoreOmitted(publicFields(b.doc), current) as JsonObject;
        const before = existing.current_version;
        const v = this.store.saveVersion(existing, doc, 'imported');
        if (existing.deleted_mark !== (b.markedForDelete ? 1 : 0)) this.store.drafts.setDeletedMark(existing.id, b.markedForDelete, this.store.now());
        (v === before ? out.unchanged : out.updated).push(existing.name);
        row = existing;
      } else {
        const id = b.id && /^[\w-]{8,64}$/.test(b.id) ? b.id : randomUUID();
        row = this.newDraft(b.name, publicFields(b.doc), 'imported', id);
        if (b.markedForDelete) this.store.drafts.setDeletedMark(row.id, true, this.store.now());
        out.created.push(row.name);
      }
      for (const t of b.targets) {
        const cluster = this.ctx.clusters.find(t.cluster);
        if (!cluster) continue;
        let scope: string;
        try {
          scope = checkScope(t.scope);
        } catch {
          continue;
        }
        if (this.store.drafts.targetFor(row.id, cluster.id, scope)) continue;
        this.addTarget({ draft: row.id, cluster: cluster.id, scope, ...(t.remoteId ? { resourceId: t.remoteId } : {}) });
      }
      this.store.changed(row.id);
    }
    return out;
  }
}

// Use cases for drafts: create (blank, JSON, from a pulled resource), save/edit as new versions, history and
// restore, delete marks, validation, targets, and the export/import bundle.
import { randomUUID } from 'node:crypto';
import type { CoreContext } from '../context.ts';
import type { ParsedArgsOf } from '../../shared/contract.ts';
import type { DraftSummary, DraftVersionView, DraftView, ExistingCarrierView, ImportBundleResult, TargetNotice, TargetsAdded, ValidationReport, JsonDoc } from '../../shared/contract/sync.ts';
import { NotFoundLocalError, UserInputError } from '../errors.ts';
import { clone, hashDoc, isObject, publicFields, type JsonObject } from '../drafts/canonical.ts';
import { checkTypedPath, setAt } from '../drafts/doc-path.ts';
import { buildBundle, parseBundle, type BundleDraft } from '../drafts/bundle.ts';
import { hasUnreadable, resolveMasks } from '../drafts/secret-fields.ts';
import type { DraftRow, TargetFields, TargetRow } from '../db/repos/drafts-repo.ts';
import type { ClusterRow } from '../db/repos/clusters-repo.ts';
import { checkScope, targetWhere, toScope, type SyncStore } from '../sync/store.ts';
import { NameBook } from '../sync/name-book.ts';
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

  /** A draft (or one of its versions) with its secrets masked, unless showSecrets. */
  get(ref: string, version?: number, showSecrets = false): DraftView {
    const d = this.store.draft(ref);
    if (version === undefined) return this.store.view(d, showSecrets);
    return { ...this.store.summary(d), version, doc: this.store.docView(d, version, showSecrets) };
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
      // A masked copy (of another draft, or of a resource on screen) holds no secret: its masks read as missing.
      const doc = resolveMasks(publicFields(from.doc), null, this.ctx.secrets);
      if (args.name) doc.name = args.name;
      const name = args.name ?? (typeof doc.name === 'string' ? doc.name : 'Imported carrier');
      return this.store.view(this.newDraft(name, doc, args.note ?? 'created from JSON'));
    }
    const cluster = this.store.cluster(from.cluster);
    const scope = checkScope(from.scope);
    // Not pulled yet: read it now (and keep it in the snapshot).
    let snap = this.store.snapshots.get(cluster.id, scope, from.id) ?? (await this.fetchIntoSnapshot(cluster.id, scope, from.id));
    let remote = this.store.open(snap.doc_json);
    if (hasUnreadable(remote)) {
      // Pulled with a key this machine no longer has: read it again, so the draft gets the cluster's secrets. Offline,
      // the draft starts with those secrets missing (its checks ask for them).
      const fresh = await this.fetchIntoSnapshot(cluster.id, scope, from.id).catch(() => null);
      if (fresh) remote = this.store.open((snap = fresh).doc_json);
    }
    const doc = publicFields(remote);
    if (args.name) doc.name = args.name;
    const name = args.name ?? snap.name;
    const row = this.newDraft(name, doc, args.note ?? `from ${snap.name} (${new NameBook(this.store).where(cluster.name, cluster.id, scope)})`, randomUUID(), (d) => {
      if (!from.bind) return;
      const at = this.store.now();
      this.store.drafts.insertTarget({
        id: randomUUID(), draft_id: d.id, cluster_id: cluster.id, scope, remote_id: from.id, base_revision: snap.revision,
        base_doc_json: snap.doc_json, base_mine_json: this.store.seal(publicFields(remote)), last_applied_hash: null,
        status: 'in_sync', last_error_json: null, create_anyway: 0, created_at: at, updated_at: at,
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
    const full = this.store.withStoredSecrets(d, publicFields(doc));
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
    // A change in flight keeps its draft and target (its reply must be recorded): refused in the delete itself.
    if (!this.store.drafts.removeIfNotSending(d.id) && this.store.drafts.find(d.id)) {
      const sending = this.store.drafts.targets(d.id).find((t) => this.store.outbox.live(t.id)?.state === 'in_flight') ?? this.store.drafts.targets(d.id)[0]!;
      throw this.store.targetBusy(d.name, sending, this.ctx.clusters.find(sending.cluster_id)?.name ?? sending.cluster_id);
    }
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
    // An unsaved working copy comes from the editor with its secrets masked: checked as it would be saved.
    const doc = workingCopy ? this.store.withStoredSecrets(d, publicFields(workingCopy)) : this.store.currentDoc(d);
    return validateDraft(this.store, d, doc, hashDoc(doc), online);
  }

  /**
   * Adds a target. Where the stored snapshot of its scope already holds the draft's carrier (the id it has on another
   * target) the target is bound to it; where it holds one of the same name, the target is added unbound with a
   * notice (the plan holds the create back). On an existing target: binds it to `resourceId`, or records
   * `createAnyway`.
   */
  addTarget(args: ParsedArgsOf<'targets.add'>): DraftView & { notice?: TargetNotice } {
    const d = this.store.draft(args.draft);
    const cluster = this.store.cluster(args.cluster);
    const scope = checkScope(args.scope);
    const where = targetWhere(cluster.name, scope);
    if (args.resourceId) this.checkFreeToBind(d, cluster.id, scope, args.resourceId, where);
    const existing = this.store.drafts.targetFor(d.id, cluster.id, scope);
    if (existing) {
      this.changeTarget(d, existing, args, where, cluster.name);
      return this.store.view(d.id);
    }
    const { notice } = this.insertNewTarget(d, cluster, scope, where, args);
    return { ...this.store.view(d.id), ...(notice ? { notice } : {}) };
  }

  /**
   * Adds a target the draft does not have yet (bound to the carrier the draft has elsewhere, when its scope holds it),
   * and says what the person should know about its scope. Returns no view: targets.addMany adds many and shows one.
   */
  private insertNewTarget(d: DraftRow, cluster: ClusterRow, scope: string, where: string, args: { resourceId?: string | undefined; createAnyway?: boolean | undefined }): { notice?: TargetNotice } {
    const at = this.store.now();
    let resourceId = args.resourceId ?? null;
    let notice: TargetNotice | undefined;
    if (!resourceId) {
      const m = this.store.existingInSnapshot({ draft_id: d.id, cluster_id: cluster.id, scope, remote_id: null });
      if (m?.byId) {
        resourceId = m.byId.id;
        notice = { kind: 'bound', existing: [m.byId], message: `${where} already has this carrier ('${m.byId.name}', id ${m.byId.id}, the id it has on another target): the target is bound to it, so apply updates it instead of creating a second one.` };
      } else if (m && m.byName.length > 0 && !args.createAnyway) {
        notice = { kind: 'exists', existing: m.byName, message: existsNotice(where, m.byName) };
      }
    }
    const snap = resourceId ? this.store.snapshots.get(cluster.id, scope, resourceId) : undefined;
    this.store.drafts.insertTarget({
      id: randomUUID(), draft_id: d.id, cluster_id: cluster.id, scope, remote_id: resourceId,
      base_revision: snap?.revision ?? null, base_doc_json: snap?.doc_json ?? null, base_mine_json: null, last_applied_hash: null,
      status: 'new', last_error_json: null, create_anyway: args.createAnyway ? 1 : 0, created_at: at, updated_at: at,
    });
    this.store.changed(d.id);
    return notice ? { notice } : {};
  }

  /** A resource another draft's target is bound to cannot be bound to this draft too. */
  private checkFreeToBind(d: DraftRow, clusterId: string, scope: string, resourceId: string, where: string): void {
    const other = this.store.boundNames(clusterId, scope).get(resourceId);
    const mine = this.store.drafts.targetFor(d.id, clusterId, scope);
    if (other && mine?.remote_id !== resourceId) throw new UserInputError(`Carrier ${resourceId} on ${where} is already the target of draft '${other}'; one carrier is managed by one draft.`);
  }

  /**
   * Binds an existing target to a carrier that is there, or records whether a second carrier is wanted. One
   * conditional write (issue 15): refused while a change to the target is queued or in flight, since an apply in
   * another process could otherwise send a create between a check and the write.
   */
  private changeTarget(d: DraftRow, t: TargetRow, args: ParsedArgsOf<'targets.add'>, where: string, clusterName: string): void {
    let fields: TargetFields;
    if (args.resourceId) {
      if (t.remote_id === args.resourceId) return;
      if (t.remote_id && t.base_revision) {
        throw new UserInputError(`Draft '${d.name}' on ${where} is already bound to carrier ${t.remote_id}. Remove that target first to bind it to another one.`);
      }
      const snap = this.store.snapshots.get(t.cluster_id, t.scope, args.resourceId);
      fields = { remote_id: args.resourceId, base_revision: snap?.revision ?? null, base_doc_json: snap?.doc_json ?? null, base_mine_json: null, status: 'new', last_error_json: null, create_anyway: 0 };
    } else if (args.createAnyway !== undefined) {
      fields = { create_anyway: args.createAnyway ? 1 : 0 };
    } else throw new UserInputError(`Draft '${d.name}' already targets ${where}.`);
    if (!this.store.drafts.updateTargetIfIdle(t, fields, this.store.now())) throw this.store.targetBusy(d.name, t, clusterName);
    this.store.changed(d.id);
  }

  /** The same scope on several clusters (or all of them), all or nothing; clusters already targeted are kept as they are. */
  addTargets(args: ParsedArgsOf<'targets.addMany'>): TargetsAdded {
    const d = this.store.draft(args.draft);
    const scope = checkScope(args.scope);
    const out: TargetsAdded = { draft: this.store.view(d.id), added: [], already: [], notices: [] };
    this.store.drafts.transaction(() => {
      // Every name is resolved before anything is written: a typo adds nothing.
      const list = args.allClusters ? this.ctx.clusters.list() : args.clusters!.map((c) => this.store.cluster(c));
      if (list.length === 0) throw new UserInputError('There is no cluster yet: add one first.');
      for (const c of list) {
        if (out.added.includes(c.name) || out.already.includes(c.name)) continue;
        if (this.store.drafts.targetFor(d.id, c.id, scope)) out.already.push(c.name);
        else {
          // The draft's view is made once, at the end (made after each target, 50 clusters made 1,275 target views).
          const { notice } = this.insertNewTarget(d, c, scope, targetWhere(c.name, scope), args);
          if (notice) out.notices.push({ cluster: c.name, notice });
          out.added.push(c.name);
        }
      }
    });
    out.draft = this.store.view(d.id);
    return out;
  }

  removeTarget(args: ParsedArgsOf<'targets.remove'>): DraftView {
    const d = this.store.draft(args.draft);
    const cluster = this.store.cluster(args.cluster);
    const t = this.store.drafts.targetFor(d.id, cluster.id, checkScope(args.scope));
    if (!t) throw new NotFoundLocalError(`Target of draft '${d.name}'`, `${cluster.name}/${args.scope}`);
    // A change in flight keeps its target (its reply must be recorded): refused in the same statement as the delete.
    if (!this.store.drafts.removeTargetIfNotSending(t.id) && this.store.drafts.target(t.id)) throw this.store.targetBusy(d.name, t, cluster.name);
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

  /**
   * Imports a bundle in one transaction: each draft matched by id, else by name, gets a new version (its secrets put
   * back where the bundle left them out); others are created. Two bundle drafts landing on one draft (same name or
   * id) refuse the whole bundle; targets that cannot be added here (unknown cluster, bad scope) are reported.
   */
  importBundle(text: string): ImportBundleResult {
    const bundle = parseBundle(text);
    const plan = bundle.drafts.map((b) => ({ b, existing: (b.id && this.store.drafts.find(b.id)) || this.store.drafts.find(b.name) || undefined }));
    const seen = new Map<string, string>();
    for (const { b, existing } of plan) {
      const key = existing ? `id:${existing.id}` : `name:${b.name.trim().toLowerCase()}`;
      const first = seen.get(key);
      if (first !== undefined) {
        const what = existing ? `both go to the draft '${existing.name}'` : 'they have the same name';
        throw new UserInputError(`The bundle holds two drafts that would be merged: '${first}' and '${b.name}' (${what}). Rename one of them in the file (and give it its own id), then import again. Nothing was imported.`);
      }
      seen.set(key, b.name);
    }
    const out: ImportBundleResult = { created: [], updated: [], unchanged: [], skippedTargets: [] };
    const changed: string[] = [];
    this.store.drafts.transaction(() => {
      for (const { b, existing } of plan) {
        let row: DraftRow;
        if (existing) {
          const doc = this.store.withStoredSecrets(existing, publicFields(b.doc));
          const before = existing.current_version;
          const v = this.store.saveVersion(existing, doc, 'imported');
          if (existing.deleted_mark !== (b.markedForDelete ? 1 : 0)) this.store.drafts.setDeletedMark(existing.id, b.markedForDelete, this.store.now());
          (v === before ? out.unchanged : out.updated).push(existing.name);
          row = existing;
        } else {
          const id = b.id && /^[\w-]{8,64}$/.test(b.id) ? b.id : randomUUID();
          row = this.newDraft(b.name, resolveMasks(publicFields(b.doc), null, this.ctx.secrets), 'imported', id);
          if (b.markedForDelete) this.store.drafts.setDeletedMark(row.id, true, this.store.now());
          out.created.push(row.name);
        }
        for (const t of b.targets) {
          const skip = (reason: string) => out.skippedTargets.push({ draft: row.name, cluster: t.cluster, scope: t.scope, reason });
          const cluster = this.ctx.clusters.find(t.cluster);
          if (!cluster) {
            skip(`There is no cluster named '${t.cluster}' here: add it under that name, then import the bundle again.`);
            continue;
          }
          let scope: string;
          try {
            scope = checkScope(t.scope);
          } catch (e) {
            skip((e as Error).message);
            continue;
          }
          if (this.store.drafts.targetFor(row.id, cluster.id, scope)) continue;
          try {
            this.addTarget({ draft: row.id, cluster: cluster.id, scope, ...(t.remoteId ? { resourceId: t.remoteId } : {}) });
          } catch (e) {
            // e.g. its carrier is already the target of another draft here: reported, the rest is imported.
            if (!(e instanceof UserInputError)) throw e;
            skip(e.message);
          }
        }
        changed.push(row.id);
      }
    });
    for (const id of changed) this.store.changed(id);
    return out;
  }
}

/** Plain words for a target added where a carrier of the same name already is. */
function existsNotice(where: string, found: ExistingCarrierView[]): string {
  const list = found.map((e) => `'${e.name}' (id ${e.id}${e.boundTo ? `, the target of draft '${e.boundTo}'` : ''})`).join(', ');
  return `${where} already has a carrier of this name: ${list}. The target was added without a carrier: the plan holds the create back until you bind the target to that carrier or confirm a second one (Kazoo would accept a duplicate name, crossbar-spec §1.5).`;
}

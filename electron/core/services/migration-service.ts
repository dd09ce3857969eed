// Migration: copy a resource from CLUSTER:SCOPE:ID to CLUSTER:SCOPE as a new draft bound to the destination
// (or, as a dry run, only the plan), and list the numbers that used it on the source.
import { NameBook } from '../sync/name-book.ts';
import type { CoreContext } from '../context.ts';
import type { MigrateResult } from '../../shared/contract/sync.ts';
import type { ParsedArgsOf } from '../../shared/contract.ts';
import { UserInputError } from '../errors.ts';
import { hashDoc, publicFields, type JsonObject } from '../drafts/canonical.ts';
import { localChecks } from '../drafts/local-checks.ts';
import { plan } from '../sync/plan.ts';
import { planView } from '../sync/plan-builder.ts';
import { schemaIssues } from '../sync/validation.ts';
import { matchExisting } from '../sync/existing.ts';
import { checkScope, toScope, type SyncStore } from '../sync/store.ts';
import { numbersUsingResource, visibleAccountIds, visibleNumbers } from './cluster-numbers.ts';
import type { DraftsService } from './drafts-service.ts';
import type { SyncService } from './sync-service.ts';

/** Set by the composition root when the numbers area can make a number list. */
export type MakeNumberList = (name: string, numbers: string[]) => Promise<{ id?: string; count: number }>;

export class MigrationService {
  makeNumberList: MakeNumberList | null = null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly store: SyncStore,
    private readonly drafts: DraftsService,
    private readonly sync: SyncService,
  ) {}

  async run(args: ParsedArgsOf<'migrate.run'>): Promise<MigrateResult> {
    const src = this.store.cluster(args.from.cluster);
    const dst = this.store.cluster(args.to.cluster);
    const srcScope = checkScope(args.from.scope);
    const dstScope = checkScope(args.to.scope);
    if (src.id === dst.id && srcScope === dstScope) throw new UserInputError('The source and the destination are the same cluster and scope.');
    const { doc, numbers, unreadNumbers } = await this.ctx.clients.use(src.id, async (client) => {
      const got = await client.resources.get(toScope(srcScope), args.from.id);
      // An account carrier serves its own account's numbers; a global one may serve numbers in any account.
      const accounts = srcScope === 'global' ? await visibleAccountIds(client, src.account_id) : [srcScope];
      const listed = await visibleNumbers(client, accounts);
      const { using, unread } = await numbersUsingResource(client, [...listed.values()], args.from.id);
      return { doc: got.doc as JsonObject, numbers: using, unreadNumbers: unread };
    });
    const body = publicFields(doc);
    const name = args.name ?? (typeof body.name === 'string' ? body.name : args.from.id);
    if (args.name) body.name = args.name;
    const source = { cluster: src.name, scope: srcScope, id: args.from.id, name: typeof doc.name === 'string' ? doc.name : args.from.id };

    // What the destination scope already holds: the carrier by the same id (a migration keeps it bound there), or
    // carriers of the same name (the plan holds the create back until the person decides). Null: not readable now.
    const existing = await this.ctx.clients
      .use(dst.id, async (client) => {
        const m = matchExisting(await client.resources.list(toScope(dstScope)), name, new Set([args.from.id]), this.store.boundNames(dst.id, dstScope));
        const there = m.byId ? await client.resources.get(toScope(dstScope), m.byId.id) : null;
        return { ...m, there };
      })
      .catch(() => null);

    if (args.dryRun) {
      const schemas = this.store.schemas.forCluster(dst);
      const local = localChecks(body);
      const bodyHash = hashDoc(body);
      const schemaFound = schemaIssues(body, schemas.set, bodyHash);
      const p = plan([
        {
          targetId: '(dry-run)', draftId: '(dry-run)', draftName: name, clusterId: dst.id, clusterName: dst.name, scope: dstScope, desired: body, desiredHash: bodyHash,
          remoteId: existing?.there ? existing.byId!.id : null, baseRevision: null, baseRemote: null, baseMine: null,
          remote: existing?.there ? { state: 'found', doc: existing.there.doc, revision: existing.there.revision ?? '' } : { state: 'absent' },
          errors: [...schemaFound.filter((i) => i.severity === 'error'), ...local.filter((i) => i.severity === 'error')],
          warnings: [...schemaFound.filter((i) => i.severity !== 'error'), ...local.filter((i) => i.severity === 'warning')], superDuper: dst.super_duper === null ? undefined : dst.super_duper === 1, schemas: schemas.set,
          existing: existing?.there ? null : (existing?.byName ?? null), createAnyway: false,
        },
      ]);
      return { dryRun: true, plan: planView(p, this.store.now()), source, numbers, ...(unreadNumbers.length ? { unreadNumbers } : {}) };
    }

    const row = this.drafts.newDraft(name, body, `migrated from ${source.name} (${new NameBook(this.store).where(src.name, src.id, srcScope)})`);
    this.drafts.addTarget({ draft: row.id, cluster: dst.id, scope: dstScope, ...(existing?.byId ? { resourceId: existing.byId.id } : {}) });
    const result: MigrateResult = { dryRun: false, draft: this.store.view(row.id), plan: await this.sync.plan({ draft: row.id }), source, numbers, ...(unreadNumbers.length ? { unreadNumbers } : {}) };
    if (args.makeList) {
      if (!this.makeNumberList) result.numberList = { error: 'Number lists are not available in this version; use the numbers printed here.' };
      else {
        try {
          result.numberList = { name: args.makeList, ...(await this.makeNumberList(args.makeList, numbers)) };
        } catch (e) {
          result.numberList = { error: (e as Error).message };
        }
      }
    }
    return result;
  }
}

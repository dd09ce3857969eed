// The sync area's services built together (they share one SyncStore): drafts, sync, audit, migration.
import type { CoreContext } from '../context.ts';
import { SyncStore } from '../sync/store.ts';
import { DraftsService } from './drafts-service.ts';
import { SyncService } from './sync-service.ts';
import { AuditService } from './audit-service.ts';
import { MigrationService } from './migration-service.ts';
import { methods, type ParsedArgsOf } from '../../shared/contract.ts';
import type { ImportHandle } from '../../shared/contract/numbers.ts';

/** What migration needs of the numbers area (owned by another engineer): making a number list. */
export interface NumberListMaker {
  import(a: ParsedArgsOf<'numbers.import'>): Promise<ImportHandle>;
}

export interface SyncArea {
  store: SyncStore;
  drafts: DraftsService;
  sync: SyncService;
  audit: AuditService;
  migration: MigrationService;
}

/** `numbers` is read lazily (the numbers service is built next to this one). */
export function createSyncArea(ctx: CoreContext, numbers?: () => NumberListMaker | undefined): SyncArea {
  const store = new SyncStore(ctx);
  const drafts = new DraftsService(ctx, store);
  const sync = new SyncService(ctx, store);
  const migration = new MigrationService(ctx, store, drafts, sync);
  if (numbers) {
    migration.makeNumberList = async (name, list) => {
      const svc = numbers();
      if (!svc) throw new Error('Number lists are not available in this version.');
      const args = methods['numbers.import'].args.parse({ name, text: list.join('\n'), wait: true });
      const h = await svc.import(args);
      return { id: h.listId, count: h.list?.valid ?? list.length };
    };
  }
  return { store, drafts, sync, audit: new AuditService(ctx, store), migration };
}

// Accounts: one account document, and its children / descendants over every page (§6.4).
import { coerceFields, asString } from '../coerce.ts';
import { p, type Caller } from '../caller.ts';
import { listItems } from '../shapes.ts';
import type { CallOptions, JsonObject, ListOptions } from '../types.ts';

export interface AccountDoc extends JsonObject {
  id: string;
  name?: string;
  realm?: string;
  enabled?: boolean;
}

export interface AccountChild extends JsonObject {
  id: string;
  name?: string;
  realm?: string;
  descendants_count?: number;
  flags?: string[];
}

export interface AccountDescendant extends JsonObject {
  id: string;
  name?: string;
  realm?: string;
  /** Ancestor ids, root first. */
  tree?: string[];
  flags?: string[];
}

export interface AccountsApi {
  get(accountId: string, opts?: CallOptions): Promise<AccountDoc>;
  children(accountId: string, opts?: ListOptions): Promise<AccountChild[]>;
  descendants(accountId: string, opts?: ListOptions): Promise<AccountDescendant[]>;
}

const ACCOUNT_TYPES = { numbers: ['descendants_count'], booleans: ['enabled', 'is_reseller'] } as const;

function withId<T extends JsonObject>(item: JsonObject, fallbackId?: string): T {
  const out = coerceFields(item, ACCOUNT_TYPES);
  const id = asString(out.id) ?? asString(out._id) ?? fallbackId ?? '';
  return { ...out, id } as unknown as T;
}

export function accountsApi(c: Caller): AccountsApi {
  return {
    async get(accountId, opts) {
      return withId<AccountDoc>(await c.object({ method: 'GET', path: p`/v2/accounts/${accountId}`, signal: opts?.signal }), accountId);
    },
    async children(accountId, opts) {
      const items = await c.all<unknown, JsonObject>(
        { method: 'GET', path: p`/v2/accounts/${accountId}/children`, pageSize: opts?.pageSize, signal: opts?.signal },
        listItems,
      );
      return items.map((i) => withId<AccountChild>(i));
    },
    async descendants(accountId, opts) {
      const items = await c.all<unknown, JsonObject>(
        { method: 'GET', path: p`/v2/accounts/${accountId}/descendants`, pageSize: opts?.pageSize, signal: opts?.signal },
        listItems,
      );
      return items.map((i) => withId<AccountDescendant>(i));
    },
  };
}

// The phone numbers a login can see on a cluster: those of its own account and of every descendant. Kazoo keeps
// numbers per account, so one listing is never the whole cluster: a number held by any account makes a job's
// PUT fail with number_exists (spec §5.3), and a number routed through a global carrier may sit in any account.
import { ForbiddenError, NotFoundError } from '../kazoo/errors.ts';
import type { KazooClient } from '../kazoo/index.ts';
import { mapLimit } from '../sync/pool.ts';

/** Listings and reads in flight at once while scanning accounts: polite to a production cluster. */
const SCAN_CONCURRENCY = 4;
/** Rows per listing page: an account with 100,000 numbers is 200 round trips instead of 2,000 at Kazoo's 50. */
const NUMBERS_PAGE_SIZE = 500;

export interface VisibleNumber {
  number: string;
  accountId: string;
  state?: string;
}

/** The root account (the profile's, else the login's) and every descendant it may read. */
export async function visibleAccountIds(client: KazooClient, rootAccountId?: string | null): Promise<string[]> {
  const root = rootAccountId ?? (await client.session()).accountId;
  try {
    const descendants = await client.accounts.descendants(root);
    return [root, ...new Set(descendants.map((d) => d.id).filter((id) => id && id !== root))];
  } catch (e) {
    // A login that may not list descendants still sees its own account's numbers.
    if (e instanceof ForbiddenError) return [root];
    throw e;
  }
}

/** Every number listed in those accounts, keyed by E.164 (a number in two listings keeps the first). */
export async function visibleNumbers(client: KazooClient, accountIds: readonly string[]): Promise<Map<string, VisibleNumber>> {
  const perAccount = await mapLimit(accountIds, SCAN_CONCURRENCY, async (accountId) => {
    try {
      return (await client.numbers.list(accountId, { pageSize: NUMBERS_PAGE_SIZE })).map((n): VisibleNumber => ({ number: n.number, accountId, ...(n.state ? { state: n.state } : {}) }));
    } catch (e) {
      if (e instanceof ForbiddenError) return [];
      throw e;
    }
  });
  const out = new Map<string, VisibleNumber>();
  for (const list of perAccount) for (const n of list) if (!out.has(n.number)) out.set(n.number, n);
  return out;
}

/**
 * Numbers whose public resource_id is the resource (the listing lacks resource_id, so each is read). Numbers that
 * could not be read are returned apart, so a caller can say so instead of silently leaving them out.
 */
export async function numbersUsingResource(client: KazooClient, numbers: readonly VisibleNumber[], resourceId: string): Promise<{ using: string[]; unread: string[] }> {
  const using: string[] = [];
  const unread: string[] = [];
  await mapLimit(numbers, SCAN_CONCURRENCY * 2, async (n) => {
    try {
      const info = await client.numbers.get(n.accountId, n.number);
      if (info.resourceId === resourceId) using.push(info.number);
    } catch (e) {
      // A listed entry that is only a port request has no number document yet: it uses nothing.
      if (!(e instanceof NotFoundError)) unread.push(n.number);
    }
  });
  return { using: using.sort(), unread: unread.sort() };
}

// Walks a Crossbar listing page by page: next_start_key sent back verbatim as start_key until it is absent.
import type { Envelope } from './envelope.ts';
import { ServerError } from './errors.ts';

/** Fetches one page; `startKey` is undefined for the first page. */
export type PageFetcher<D> = (startKey: string | undefined) => Promise<Envelope<D>>;

/** Safety stop for a cluster that never ends a listing (the keys are checked for repeats too). */
export const MAX_PAGES = 100_000;

/**
 * Yields every page's envelope. Never assumes a page size: the listing ends only when `next_start_key`
 * is absent (4.3 reports page_size as rows fetched, not items returned, §13).
 */
export async function* pages<D>(fetch: PageFetcher<D>): AsyncGenerator<Envelope<D>> {
  const seen = new Set<string>();
  let key: string | undefined;
  for (let i = 0; i < MAX_PAGES; i++) {
    const env = await fetch(key);
    yield env;
    const next = env.nextStartKey;
    if (next === undefined) return;
    if (seen.has(next)) {
      throw new ServerError(`The cluster sent the same next_start_key twice (${next.slice(0, 40)}); stopped to avoid an endless listing.`, {
        requestId: env.requestId,
      });
    }
    seen.add(next);
    key = next;
  }
  throw new ServerError(`The listing did not end after ${MAX_PAGES} pages; stopped.`);
}

/** Collects the items of every page; `extract` turns one page's `data` into items (tolerant of odd shapes). */
export async function collectAll<D, T>(fetch: PageFetcher<D>, extract: (data: D) => T[]): Promise<T[]> {
  const out: T[] = [];
  // One push per item: spreading a page of hundreds of thousands of items as arguments would overflow the stack.
  for await (const env of pages(fetch)) for (const item of extract(env.data)) out.push(item);
  return out;
}

/** `data` as an array of objects; anything else (null, a map, a string) gives no items. */
export function arrayOf<T>(data: unknown): T[] {
  return Array.isArray(data) ? (data.filter((x) => typeof x === 'object' && x !== null) as T[]) : [];
}

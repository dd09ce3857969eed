import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectAll, arrayOf } from '../../../electron/core/kazoo/pagination.ts';
import type { Envelope } from '../../../electron/core/kazoo/envelope.ts';
import { ServerError } from '../../../electron/core/kazoo/errors.ts';

const page = (data: unknown[], next?: string, pageSize?: number): Envelope<unknown[]> => ({
  status: 'success',
  data,
  raw: {},
  ...(next ? { nextStartKey: next } : {}),
  ...(pageSize !== undefined ? { pageSize } : {}),
});

test('follows next_start_key verbatim until it is absent, counting items not page_size', async () => {
  const sent: (string | undefined)[] = [];
  const book: Record<string, Envelope<unknown[]>> = {
    first: page([{ id: 1 }, { id: 2 }], 'g2wAAAAC+/=', 3), // 4.3 quirk: page_size says 3 for 2 items
    'g2wAAAAC+/=': page([{ id: 3 }], 'k2'),
    k2: page([{ id: 4 }, { id: 5 }, { id: 6 }]),
  };
  const items = await collectAll(async (key) => {
    sent.push(key);
    return book[key ?? 'first']!;
  }, arrayOf);
  assert.deepEqual(sent, [undefined, 'g2wAAAAC+/=', 'k2']);
  assert.deepEqual(items, [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }, { id: 5 }, { id: 6 }]);
});

test('an empty page with a next key still continues; a repeated key stops with an error', async () => {
  let n = 0;
  const items = await collectAll(async () => (n++ === 0 ? page([], 'a') : page([{ id: 'x' }])), arrayOf);
  assert.deepEqual(items, [{ id: 'x' }]);
  await assert.rejects(collectAll(async () => page([{ id: 1 }], 'same'), arrayOf), ServerError);
});

test('arrayOf ignores non-array data and non-object items', () => {
  assert.deepEqual(arrayOf({ a: 1 }), []);
  assert.deepEqual(arrayOf([1, { id: 2 }, null]), [{ id: 2 }]);
});

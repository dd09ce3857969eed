// The page's token handling: taken from the printed address, stripped from it (query kept, hash route kept), kept for
// the tab in sessionStorage so a reload works, never anywhere else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { takeLaunchToken, type TokenPlace } from '../../../renderer/src/lib/launch-token.ts';

function place(search: string, hash = '', stored: Record<string, string> = {}) {
  const replaced: string[] = [];
  const storage = new Map(Object.entries(stored));
  const p: TokenPlace = {
    location: { search, pathname: '/', hash },
    history: { state: null, replaceState: (_s: unknown, _t: string, url?: string | null) => void replaced.push(String(url)) },
    storage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
  };
  return { p, replaced, storage };
}

test('the token is taken from the address, stored for the tab and removed from the address bar', () => {
  const { p, replaced, storage } = place('?token=abc-_123&x=1', '#/drafts');
  assert.equal(takeLaunchToken(p), 'abc-_123');
  assert.deepEqual(replaced, ['/?x=1#/drafts']);
  assert.deepEqual([...storage.values()], ['abc-_123']);
});

test('a reload (no token in the address) uses the one stored for the tab; none anywhere gives undefined', () => {
  const { p, replaced } = place('', '#/jobs', { 'carrier-desk.token': 'kept' });
  assert.equal(takeLaunchToken(p), 'kept');
  assert.deepEqual(replaced, []);
  assert.equal(takeLaunchToken(place('').p), undefined);
});

test('a new address wins over the stored token; storage that throws leaves the token in memory only', () => {
  assert.equal(takeLaunchToken(place('?token=new', '', { 'carrier-desk.token': 'old' }).p), 'new');
  const { p } = place('?token=mem');
  p.storage = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
  assert.equal(takeLaunchToken(p), 'mem');
});

// Token lifetime against the emulator with a shared manual clock: cached tokens are reused across clients,
// an expiring token is replaced before use (no 401), and sha credentials work.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startEmulator, type EmulatorHandle } from '../../kazoo-emulator/index.ts';
import { createKazooClient, type KazooClient } from '../../../electron/core/kazoo/index.ts';
import { ManualClock, silentLogger } from '../../../electron/core/platform.ts';
import { ADMIN, memoryTokenCache } from './emulator-harness.ts';

describe('session and token cache (5.0 emulator, manual clock)', () => {
  const clock = new ManualClock(Date.now());
  const tokens = new Set<string>();
  const cache = memoryTokenCache(tokens);
  let em: EmulatorHandle;
  const clients: KazooClient[] = [];
  const make = (over: { hash?: 'md5' | 'sha' } = {}) => {
    const c = createKazooClient({ id: 'cluster-1', baseUrl: `${em.url}/v2`, auth: { ...ADMIN, ...over } }, { clock, logger: silentLogger, tokenCache: cache });
    clients.push(c);
    return c;
  };
  const logins = () => em.requestLog().filter((r) => r.path === '/v2/user_auth').length;
  before(async () => {
    em = await startEmulator({ port: 0, flavor: '5.0', clock });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await em.close();
  });

  test('a second client with the same cache reuses the token; the expiry comes from the JWT', async () => {
    const s = await make().session();
    assert.ok(s.expiresAt > clock.now());
    assert.equal(logins(), 1);
    const other = make();
    assert.equal((await other.accounts.get(s.accountId)).id, s.accountId);
    assert.equal(logins(), 1, 'no second login');
  });

  test('a token about to expire is replaced before use, without a 401', async () => {
    const c = make();
    const s = await c.session();
    em.clearRequestLog();
    clock.set(s.expiresAt - 1000);
    await c.accounts.get(s.accountId);
    const log = em.requestLog();
    assert.equal(log.filter((r) => r.path === '/v2/user_auth').length, 1);
    assert.equal(log.filter((r) => r.status === 401).length, 0);
    assert.ok((await c.session()).expiresAt > s.expiresAt);
  });

  test('sha credentials log in too', async () => {
    const c = createKazooClient({ id: 'cluster-sha', baseUrl: em.url, auth: { ...ADMIN, hash: 'sha' } }, { clock, logger: silentLogger });
    clients.push(c);
    assert.equal((await c.session()).accountId, em.masterAccountId);
  });
});

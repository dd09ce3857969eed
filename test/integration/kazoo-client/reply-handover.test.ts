// When a reply reaches its caller, its connection is already back in the pool (kazoo/transport.ts): the caller's
// work on it (apply plans the target, stages it and sends its write on that connection) runs after the turn in which
// the replies that arrived together were read, and its next request can leave at once. A real loopback server and
// the real transport; the pool's own counts (undici's Agent stats) say whether the connection is free.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Transport } from '../../../electron/core/kazoo/transport.ts';
import { systemClock } from '../../../electron/core/platform.ts';
import { captureLogger, startHttp } from './helpers.ts';

const servers: { close(): Promise<void> }[] = [];
const transports: Transport[] = [];
after(async () => {
  await Promise.all(transports.map((t) => t.close()));
  await Promise.all(servers.map((s) => s.close()));
});

/** The pool's count of connections free for a new request (undici's Agent stats, per origin). */
function freeConnections(t: Transport): number {
  const { stats } = (t as unknown as { agent: { stats: Record<string, { free: number }> } }).agent;
  return Object.values(stats).reduce((n, s) => n + s.free, 0);
}

test('a reply is handed over once its connection is free in the pool again', async () => {
  const server = await startHttp((_req, _body, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ data: { id: 'r1', name: 'one' }, revision: '1-a', status: 'success' }));
  });
  servers.push(server);
  const t = new Transport({ id: 'handover', baseUrl: server.url, auth: { kind: 'api_key', apiKey: 'k' } }, { clock: systemClock, logger: captureLogger() });
  transports.push(t);
  for (const requestId of ['first', 'second']) {
    const reply = await t.send<{ id: string }>({ method: 'GET', path: '/v2/accounts/a/resources/r1', requestId, attempt: 1 });
    assert.equal(reply.envelope?.data.id, 'r1');
    // undici gives a connection back to its pool a turn after the reply ended; the caller hears of the reply after that.
    assert.equal(freeConnections(t), 1, `the connection is free when the caller gets the reply (${requestId})`);
  }
});

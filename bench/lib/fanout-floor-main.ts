// The round trips of one CLI apply and nothing else, for the fan-out bench's floors (bench/lib/fanout-floors.ts): a
// read, then a write of the same resource, on each cluster, the clusters in parallel, sent by undici's Agent. The cold
// floor runs it bundled with esbuild, from its own V8 code cache as the CLI bundle is, in a new process with the V8
// settings of a CLI command (bench/lib/fanout-floor-run.mjs); the warm floor calls it in the bench's process.
// `main` returns the ms from the first request dispatched to the last reply read.
import { readFileSync } from 'node:fs';
import type { Agent, Dispatcher } from 'undici';
import { tuneShortLivedProcess } from '../../electron/cli/short-lived.ts';
import { lazyBundled } from '../../electron/core/lazy-require.ts';

// The same undici module the product's transport loads (electron/core/kazoo/transport.ts), bundled in as there.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a literal require() is what esbuild bundles
const AgentClass = lazyBundled<typeof Agent>(() => require('undici/lib/dispatcher/agent'), 'undici/lib/dispatcher/agent');

export interface FloorTarget {
  url: string;
  token: string;
  path: string;
}

/** One request, its reply read whole into a string (as the product's transport reads it). */
function send(agent: Dispatcher, origin: string, opts: Omit<Dispatcher.DispatchOptions, 'origin'>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let status = 0;
    agent.dispatch({ origin, ...opts }, {
      onRequestStart() {},
      onResponseStart(_c, statusCode) {
        status = statusCode;
      },
      onResponseData(_c, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        resolve({ status, text: Buffer.concat(chunks).toString('utf8') });
      },
      onResponseError(_c, error) {
        reject(error);
      },
    });
  });
}

/** The floor's run; `tune`: with the V8 settings of a CLI command (a new process), else as the process runs. */
export async function main(targetsFile: string, weight: number, tune = true): Promise<number> {
  if (tune) tuneShortLivedProcess();
  const targets = JSON.parse(readFileSync(targetsFile, 'utf8')) as FloorTarget[];
  const agents: Agent[] = [];
  const t0 = performance.now();
  await Promise.all(
    targets.map(async (t) => {
      const agent = new (AgentClass())({ connections: 8, keepAliveTimeout: 30_000 });
      agents.push(agent);
      const headers = { accept: 'application/json', 'x-auth-token': t.token };
      const read = await send(agent, t.url, { method: 'GET', path: t.path, headers });
      if (read.status !== 200) throw new Error(`floor: GET ${t.url}${t.path} answered ${read.status}`);
      const doc = (JSON.parse(read.text) as { data: Record<string, unknown> }).data;
      // The connection is reusable one turn after its reply ended (as the transport waits for it).
      await new Promise((resolve) => setImmediate(resolve));
      const body = JSON.stringify({ data: { ...doc, weight_cost: weight } });
      const write = await send(agent, t.url, { method: 'POST', path: t.path, headers: { ...headers, 'content-type': 'application/json' }, body });
      if (write.status !== 200) throw new Error(`floor: POST ${t.url}${t.path} answered ${write.status}: ${write.text.slice(0, 200)}`);
    }),
  );
  const ms = performance.now() - t0;
  // Untimed: the warm floor runs 11 times in the bench's process, and each run's 50 keep-alive connections would
  // otherwise stay open there until the fleet stops.
  await Promise.all(agents.map((a) => a.close()));
  return ms;
}

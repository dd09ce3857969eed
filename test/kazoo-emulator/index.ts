// The Kazoo Crossbar emulator: startEmulator() builds one simulated cluster (Crossbar HTTP server + admin
// API on its own port) from a seed or a saved state; see README.md beside this file.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { handleAdmin, ADMIN_BASE, type AdminOps } from './admin.ts';
import { Buckets } from './envelope.ts';
import { Executor } from './executor.ts';
import { mergeFaults, prng } from './faults.ts';
import { handleCrossbar } from './router.ts';
import { md5, Store, toGregorian } from './store.ts';
import { resolveSchemasDir, SchemaSet } from './validation.ts';
import { isRoutingConfigId, patchConfigDoc, storedConfigDoc } from './routing-config.ts';
import { defaultFaults, type Faults, type Flavor, type JsonObject, type RequestLogEntry, type Seed } from './types.ts';
import type { Emu } from './context.ts';

export type { Faults, RequestLogEntry, Seed, Flavor } from './types.ts';
export type { SeedAccount, SeedUser, SeedResource, SeedNumber, SeedConfig, SeedPortRequest } from './types.ts';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  flavor?: Flavor;
  seed?: Seed | string;
  clock?: { now(): number };
  jobDelayMs?: number;
  faults?: Partial<Faults>;
  statePath?: string;
  adminPort?: number;
  randomSeed?: number;
  schemasDir?: string; // folder holding the 5.0 schemas (and 4.3/); default ../shared/kazoo/schemas or builtin
}

export interface EmulatorHandle {
  url: string;
  adminUrl: string;
  flavor: Flavor;
  port: number;
  masterAccountId: string;
  setFaults(f: Partial<Faults>): void;
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  revokeTokens(): void;
  killExecutor(): void;
  pauseExecutor(): void;
  resumeExecutor(): void;
  goOffline(ms?: number): Promise<void>;
  goOnline(): Promise<void>;
  runRecovery(): void;
  /** Replaces a stored system_config document (number_manager, stepswitch), or patches its default node. */
  setSystemConfig(id: string, doc: unknown, mode?: 'replace' | 'patch'): void;
  close(): Promise<void>;
}

const DEMO_SEED = fileURLToPath(new URL('./seeds/demo.json', import.meta.url));
const ROUTING_DEMO = fileURLToPath(new URL('./seeds/routing-demo.json', import.meta.url));

export function demoSeed(): Seed {
  return JSON.parse(readFileSync(DEMO_SEED, 'utf8')) as Seed;
}

/** The demo seed plus the global carriers of seeds/routing-demo.json that show routing's cases (npm run demo). */
export function routingDemoSeed(): Seed {
  const seed = demoSeed();
  const extra = JSON.parse(readFileSync(ROUTING_DEMO, 'utf8')) as Pick<Seed, 'resources'>;
  seed.resources = [...(seed.resources ?? []), ...(extra.resources ?? [])];
  return seed;
}

export function loadSeed(seed: Seed | string | undefined): Seed {
  if (seed === undefined) return demoSeed();
  if (typeof seed !== 'string') return structuredClone(seed);
  try {
    return JSON.parse(readFileSync(seed, 'utf8')) as Seed;
  } catch (e) {
    throw new Error(`cannot read seed file ${seed}: ${(e as Error).message}`);
  }
}

const schemaCache = new Map<string, SchemaSet>();
function schemaSet(dir: string): SchemaSet {
  let s = schemaCache.get(dir);
  if (!s) {
    s = new SchemaSet(dir);
    schemaCache.set(dir, s);
  }
  return s;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const flavor: Flavor = opts.flavor ?? '5.0';
  if (flavor !== '4.3' && flavor !== '5.0') throw new Error(`flavor must be '4.3' or '5.0', got ${String(flavor)}`);
  const host = opts.host ?? '127.0.0.1';
  const clock = opts.clock ?? { now: () => Date.now() };
  let offsetMs = 0;
  const now = () => clock.now() + offsetMs;
  const seedNum = opts.randomSeed ?? randomBytes(4).readUInt32BE(0);
  const rnd = prng(seedNum);
  const idRnd = opts.randomSeed !== undefined ? prng(seedNum ^ 0x5bd1e995) : undefined;
  const randomHex = (bytes: number): string => {
    if (!idRnd) return randomBytes(bytes).toString('hex');
    let s = '';
    for (let i = 0; i < bytes; i++) s += Math.floor(idRnd() * 256).toString(16).padStart(2, '0');
    return s;
  };

  const schemas = schemaSet(resolveSchemasDir(flavor, opts.schemasDir));
  // Seeded resources get the schema defaults a real PUT would have written (kept as given when invalid).
  const withDefaults = (doc: JsonObject): JsonObject => {
    const v = schemas.validate('resources', doc);
    return v.ok ? v.data : doc;
  };
  const store = (opts.statePath ? Store.load(opts.statePath) : undefined) ?? Store.fromSeed(loadSeed(opts.seed), now(), withDefaults);
  let faults: Faults = mergeFaults(defaultFaults(), opts.faults ?? {});
  let log: RequestLogEntry[] = [];
  const em: Emu = {
    flavor, store, schemas,
    get faults() { return faults; },
    executor: undefined as unknown as Executor,
    now, nowG: () => toGregorian(now()), randomHex,
    version: flavor === '4.3' ? '4.3.142' : '5.0.0',
    node: '',
  };
  em.executor = new Executor(() => em, opts.jobDelayMs ?? 0);

  let saveScheduled = false;
  const saveNow = () => {
    saveScheduled = false;
    if (!opts.statePath) return;
    try {
      store.saveTo(opts.statePath);
    } catch (e) {
      console.error(`kazoo emulator: could not save state to ${opts.statePath}: ${(e as Error).message}`);
    }
  };
  store.setOnChange(() => {
    if (!opts.statePath || saveScheduled) return;
    saveScheduled = true;
    setImmediate(saveNow);
  });
  if (opts.statePath) saveNow();

  const buckets = new Buckets();
  const crossbar = createServer((req, res) => {
    handleCrossbar({ em, buckets, rnd, log: (e) => log.push(e) }, req, res).catch(() => res.destroy());
  });
  const port = await listen(crossbar, opts.port ?? 0, host);
  em.node = Buffer.from(md5(`crossbar@emulator-${port}`), 'hex').toString('base64url');
  const url = `http://${host}:${port}`;
  let offlineTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const goOnline = async (): Promise<void> => {
    if (offlineTimer) clearTimeout(offlineTimer);
    offlineTimer = undefined;
    if (closed || crossbar.listening) return;
    // While offline the port is free: another program may have bound it meanwhile. Wait for it rather than fail
    // the first time (a server started with port 0 elsewhere usually lets go quickly).
    for (let attempt = 0; ; attempt++) {
      try {
        await listen(crossbar, port, host);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 50) {
          throw new Error(`kazoo emulator: cannot listen on ${host}:${port} again: ${(e as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };
  const goOffline = async (ms?: number): Promise<void> => {
    await closeServer(crossbar);
    if (ms !== undefined && ms >= 0) {
      offlineTimer = setTimeout(() => void goOnline().catch(() => {}), ms);
    }
  };

  const ops: AdminOps = {
    info: () => ({
      url, adminUrl, flavor, port, masterAccountId: store.masterAccountId, online: crossbar.listening, now: now(),
      logins: logins(store),
    }),
    getFaults: () => faults,
    setFaults: (f) => { faults = mergeFaults(faults, f); },
    requestLog: () => log.map((e) => ({ ...e })),
    clearRequestLog: () => { log = []; },
    revokeTokens: () => { store.tokenEpoch++; store.changed(); },
    killExecutor: () => em.executor.kill(),
    pauseExecutor: () => em.executor.pause(),
    resumeExecutor: () => em.executor.resume(),
    executorState: () => ({ ...em.executor.state() }),
    goOffline, goOnline,
    runRecovery: () => em.executor.runRecovery(),
    dumpState: () => store.toJSON(),
    advanceClock: (ms) => { offsetMs += ms; return now(); },
    setAccountFlags(id, flags) {
      const a = store.accounts.get(id);
      if (!a) return undefined;
      for (const k of ['allow_number_additions', 'superduper_admin', 'reseller', 'enabled'] as const) {
        if (typeof flags[k] === 'boolean') a[k] = flags[k];
      }
      store.changed();
      return { ...a };
    },
    getSystemConfig: (id) => store.systemConfigs.get(id),
    setSystemConfig(id, body, mode) {
      if (!isRoutingConfigId(id)) throw new Error(`unknown system config ${id}: the emulator keeps number_manager and stepswitch`);
      const doc = mode === 'replace' ? storedConfigDoc(id, body) : patchConfigDoc(id, store.systemConfigs.get(id) ?? { default: {} }, body);
      store.systemConfigs.set(id, doc);
      store.changed();
      return doc;
    },
    setConfig(patch) {
      const c = store.config as unknown as JsonObject;
      for (const [k, v] of Object.entries(patch)) if (k in c || k === 'phonebook_url') c[k] = v;
      store.changed();
      em.executor.startTimer();
      return { ...c };
    },
  };
  const admin = createServer((req, res) => {
    handleAdmin(ops, req, res).catch(() => res.destroy());
  });
  const adminPort = await listen(admin, opts.adminPort ?? 0, host);
  const adminUrl = `http://${host}:${adminPort}${ADMIN_BASE}`;
  em.executor.startTimer();

  return {
    url, adminUrl, flavor, port, masterAccountId: store.masterAccountId,
    setFaults: ops.setFaults,
    requestLog: ops.requestLog,
    clearRequestLog: ops.clearRequestLog,
    revokeTokens: ops.revokeTokens,
    killExecutor: ops.killExecutor,
    pauseExecutor: ops.pauseExecutor,
    resumeExecutor: ops.resumeExecutor,
    goOffline, goOnline,
    runRecovery: () => { em.executor.runRecovery(); },
    setSystemConfig: (id, doc, mode = 'replace') => { ops.setSystemConfig(id, doc, mode); },
    async close() {
      if (closed) return;
      closed = true;
      if (offlineTimer) clearTimeout(offlineTimer);
      em.executor.stop();
      await Promise.all([closeServer(crossbar), closeServer(admin)]);
      if (opts.statePath) store.saveTo(opts.statePath);
    },
  };
}

/** The seeded logins as the CLI prints them (passwords are only known from the seed, not the state). */
export function logins(store: Store): JsonObject[] {
  return [...store.accounts.values()].map((a) => ({
    account_id: a.id, account_name: a.name, superduper_admin: a.superduper_admin,
    ...(a.api_key ? { api_key: a.api_key } : {}),
    users: [...store.users.values()].filter((u) => u.account_id === a.id).map((u) => u.username),
  }));
}

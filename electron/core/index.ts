// The composition root: createCore() builds every core dependency once; hosts only add a transport.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { openDatabase, type Db } from './db/open.ts';
import { AppError, toErrorValue } from './errors.ts';
import type { MigrationReport } from './db/migrate.ts';
import { ClustersRepo } from './db/repos/clusters-repo.ts';
import { SettingsRepo } from './db/repos/settings-repo.ts';
import { replyLimits, type ReplyLimitsInput } from './kazoo/limits.ts';
import { EventBus } from './events.ts';
import { BackgroundLoop } from './background.ts';
import { systemClock, silentLogger, type Clock, type Logger } from './platform.ts';
import type { SecretBox } from './secrets/secret-box.ts';
import { FILE_KEY_PREFIX } from './secrets/file-key-box.ts';
import { newKeyNotice } from './secrets/lost-key.ts';
import { memoBox } from './secrets/memo-box.ts';
import { DraftsRepo } from './db/repos/drafts-repo.ts';
import { ClientRegistry } from './services/client-registry.ts';
import { clusterView } from './services/clusters-service.ts';
import { AppService } from './services/app-service.ts';
import { ClustersService } from './services/clusters-service.ts';
import { createSyncArea } from './services/sync-area.ts';
import { NumbersService } from './services/numbers-service.ts';
import { JobsService } from './services/jobs-service.ts';
import { RoutingService } from './services/routing-service.ts';
import { createDispatch, type Dispatch } from './dispatch.ts';
import { acquireHostLock, type AppHostKind, type HostLock } from './host-lock.ts';
import { ChangesRepo } from './db/repos/changes-repo.ts';
import { ChangeFeed } from './change-feed.ts';
import { changeHandlers } from './services/change-events.ts';
import { buildHandlers } from './handlers.ts';
import { useValidatorCodeCache } from './drafts/schema-validate.ts';
import { ValidatorDiskCache } from './drafts/validator-cache.ts';
import type { CoreContext } from './context.ts';
import type { Services } from './services.ts';
import type { Handlers } from '../shared/contract.ts';

export interface CoreOptions {
  dataDir: string;
  secrets: SecretBox;
  clock?: Clock;
  logger?: Logger;
  /** Which host runs the core: 'electron' | 'browser' | 'cli' | 'test'. */
  host?: string;
  /** better_sqlite3.node built for Electron (development runs of the desktop app). */
  nativeBinding?: string;
  /**
   * Set by the app hosts (desktop app, browser mode): takes the folder's app-host lock, so a second app on the same
   * folder is refused with a message naming the first (AppHostRunningError). CLI commands leave it unset.
   */
  appHost?: AppHostKind;
}

export interface Core {
  ctx: CoreContext;
  services: Services;
  handlers: Handlers;
  dispatch: Dispatch;
  events: EventBus;
  background: BackgroundLoop;
  migration: MigrationReport;
  db: Db;
  /** The app-host lock when `appHost` was given. */
  hostLock: HostLock | null;
  /** Watches for writes of other processes (runs as the 'changes' background task; tests may poll it directly). */
  changes: ChangeFeed;
  /** Things a person must be told once, at start (hosts print them; e.g. a secret key made anew). */
  notices: string[];
  /**
   * Stops background work, closes the clusters' connections and the store. `dropConnections`: the process ends right
   * after (the CLI), so idle connection pools are left to its end and busy ones destroyed without waiting for their
   * sockets to report closed (ClientRegistry.closeAll). `leaveStore`: the process exits right after, and the store is
   * left to that exit rather than closed (SQLite's close would checkpoint the write-ahead log into the database file,
   * with its fsyncs: 5–10 ms after an apply to 50 clusters). Safe because every transaction is already committed to
   * the log, which SQLite keeps across processes: the next process to open the folder reads the log back (as after a
   * kill -9, or while the app holds the folder open, when no close can checkpoint either), other processes already
   * see the commits (and `PRAGMA data_version` moved with them: the change feed), and the log stays bounded by the
   * automatic checkpoint of whichever connection commits past 1000 pages. Durability is that of every commit of the
   * app (`synchronous = NORMAL`, db/open.ts): a kill -9 loses nothing, a power cut may lose the last commits until a
   * checkpoint.
   */
  close(opts?: { dropConnections?: boolean; leaveStore?: boolean }): Promise<void>;
}

export const DB_FILE = 'carrier-desk.sqlite';

/** A storage error's sentence with the folder to look at. */
const namingFolder = (message: string, dataDir: string): string => `${message} Data folder: ${dataDir}`;

/** The store of the data folder; SQLite's refusal (read-only, damaged, ...) as a sentence naming the folder. */
function openStore(opts: CoreOptions): ReturnType<typeof openDatabase> {
  try {
    return openDatabase(join(opts.dataDir, DB_FILE), opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  } catch (e) {
    const v = toErrorValue(e);
    if (!v.code.startsWith('storage_')) throw e;
    throw new AppError(v.code, namingFolder(v.message, opts.dataDir), v.details);
  }
}

/**
 * Storage errors met after opening name the folder too: a store opened while another process's write-ahead log is
 * there (the app's, or a command's left to its exit) can be read by a user who may not write it, and then refuses
 * at the first write instead of at opening.
 */
function namingFolderOnStorageErrors(dispatch: Dispatch, dataDir: string): Dispatch {
  return async (method, args) => {
    const r = await dispatch(method, args);
    if (!r.ok && r.error.code.startsWith('storage_')) return { ok: false, error: { ...r.error, message: namingFolder(r.error.message, dataDir) } };
    return r;
  };
}

export function createCore(opts: CoreOptions): Core {
  mkdirSync(opts.dataDir, { recursive: true });
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger;
  const { db, migration } = openStore(opts);
  let hostLock: HostLock | null = null;
  if (opts.appHost) {
    try {
      hostLock = acquireHostLock(db, opts.dataDir, opts.appHost, clock.now());
    } catch (e) {
      db.close();
      throw e;
    }
  }
  // Secrets sealed and opened again and again (the same password on every target of a fan-out) are done once.
  const secrets = memoBox(opts.secrets);
  // Compiled schema validators outlive the process in the folder's cache (drafts/validator-cache.ts).
  const releaseValidators = useValidatorCodeCache(new ValidatorDiskCache(join(opts.dataDir, 'cache', 'validators'), (text) => opts.secrets.ref(text)));
  const events = new EventBus();
  const background = new BackgroundLoop(logger);
  const clusters = new ClustersRepo(db);
  const settings = new SettingsRepo(db);
  const clients = new ClientRegistry(
    clusters,
    secrets,
    clock,
    logger,
    (id) => {
      const row = clusters.find(id);
      if (row) events.emit('clusters.changed', { cluster: clusterView(row) });
    },
    () => replyLimits(settings.current<ReplyLimitsInput>('clusters.replyLimits')),
  );
  const ctx: CoreContext = {
    dataDir: opts.dataDir,
    host: opts.host ?? 'test',
    db,
    clock,
    logger,
    secrets,
    events,
    background,
    clusters,
    settings,
    clients,
  };
  const sync = createSyncArea(ctx, () => services.numbers);
  const services: Services = {
    app: new AppService(ctx),
    clusters: new ClustersService(ctx),
    sync,
    numbers: new NumbersService(ctx),
    jobs: new JobsService(ctx),
    routing: new RoutingService(ctx, sync.store),
  };
  // Changes written by other processes on the folder reach this one's views and background tasks (issue 14).
  const changes = new ChangeFeed(new ChangesRepo(db), changeHandlers(ctx, services), logger);
  background.register(changes);
  const notices: string[] = [];
  if (opts.secrets.createdKey) {
    const notice = newKeyNotice(opts.dataDir, clusters.countSealedAs(FILE_KEY_PREFIX), new DraftsRepo(db).countSealedAs(FILE_KEY_PREFIX));
    if (notice) {
      notices.push(notice);
      logger.warn(notice);
    }
  }
  const handlers = buildHandlers(services);
  let closed = false;
  return {
    ctx,
    services,
    handlers,
    dispatch: namingFolderOnStorageErrors(createDispatch(handlers, logger), opts.dataDir),
    events,
    background,
    migration,
    db,
    hostLock,
    changes,
    notices,
    async close(opts) {
      if (closed) return;
      closed = true;
      await background.stop();
      await clients.closeAll(opts?.dropConnections === true);
      releaseValidators();
      if (opts?.leaveStore !== true) db.close();
      hostLock?.release();
    },
  };
}

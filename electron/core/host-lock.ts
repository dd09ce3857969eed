// One app host (desktop app or browser mode) per data folder: a lock file naming the holder (pid, host name, kind,
// address), taken in a SQLite IMMEDIATE transaction so two starting hosts cannot both win, and broken only when its
// holder is gone (kill -9 leaves the file behind). CLI commands never take it: they may run beside the app.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Db } from './db/open.ts';
import { AppError } from './errors.ts';

export const HOST_LOCK_FILE = 'app-host.lock';

export type AppHostKind = 'browser' | 'electron';

export interface HostLockInfo {
  pid: number;
  hostname: string;
  kind: AppHostKind;
  /** The holder's address without its token (the token is a secret of the process that printed it). */
  url?: string;
  startedAt: number;
}

export class AppHostRunningError extends AppError {
  constructor(
    readonly holder: HostLockInfo,
    dataDir: string,
  ) {
    const kind = holder.kind === 'electron' ? 'desktop app' : 'browser mode';
    const where = holder.hostname === hostname() ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.hostname}`;
    super(
      'app_running',
      `Carrier Desk is already running on this folder (${kind}, ${where}${holder.url ? `, ${holder.url}` : ''}); ` +
        `open that one or use --data-dir. Folder: ${dataDir}`,
      { holder },
    );
  }
}

export interface HostLock {
  readonly info: HostLockInfo;
  /** Records the address once the host listens (without the token). */
  setUrl(url: string): void;
  /** Removes the file if it is still ours. */
  release(): void;
}

/** Whether the process that wrote a lock still runs (another machine's process is assumed to). */
export function holderAlive(info: Pick<HostLockInfo, 'pid' | 'hostname'>): boolean {
  if (info.hostname !== hostname()) return true;
  try {
    process.kill(info.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readInfo(path: string): HostLockInfo | null | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const v = JSON.parse(text) as HostLockInfo;
    return typeof v.pid === 'number' && typeof v.hostname === 'string' ? v : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Throws AppHostRunningError when a live app holds the folder (before emptying it, for instance). */
export function assertNoLiveHost(dataDir: string): void {
  const current = readInfo(join(dataDir, HOST_LOCK_FILE));
  if (current && current !== 'unreadable' && holderAlive(current)) throw new AppHostRunningError(current, dataDir);
}

/**
 * Takes the folder's app-host lock or throws AppHostRunningError naming the holder. The check, the removal of a stale
 * lock and the new file all happen inside one IMMEDIATE transaction on the folder's database, which every host opens
 * first: a second starting host waits for the first to finish and then sees its live lock.
 */
export function acquireHostLock(db: Db, dataDir: string, kind: AppHostKind, now: number): HostLock {
  const path = join(dataDir, HOST_LOCK_FILE);
  const info: HostLockInfo = { pid: process.pid, hostname: hostname(), kind, startedAt: now };
  const write = () => writeFileSync(path, JSON.stringify(info) + '\n', { mode: 0o600 });
  db.transaction(() => {
    const current = readInfo(path);
    // A file that does not parse was cut short by a crash while being written: nobody holds it.
    if (current && current !== 'unreadable' && holderAlive(current)) throw new AppHostRunningError(current, dataDir);
    if (current) unlinkSync(path);
    writeFileSync(path, JSON.stringify(info) + '\n', { mode: 0o600, flag: 'wx' });
  }).immediate();
  const ours = () => {
    const now = readInfo(path);
    return now !== null && now !== 'unreadable' && now.pid === info.pid && now.hostname === info.hostname && now.startedAt === info.startedAt;
  };
  return {
    info,
    setUrl(url) {
      const u = new URL(url);
      u.search = '';
      info.url = u.toString();
      if (ours()) write();
    },
    release() {
      try {
        if (ours()) unlinkSync(path);
      } catch {
        // Already gone: nothing to release.
      }
    },
  };
}

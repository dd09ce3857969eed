// Where Carrier Desk keeps its data when no host says otherwise: the per-OS convention Electron's
// userData follows, so the desktop app, the browser host and the CLI share one store.
import { homedir, platform } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_DIR_NAME = 'carrier-desk';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CARRIER_DESK_DATA_DIR) return resolve(env.CARRIER_DESK_DATA_DIR);
  const home = homedir();
  switch (platform()) {
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
    case 'darwin':
      return join(home, 'Library', 'Application Support', APP_DIR_NAME);
    default:
      return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), APP_DIR_NAME);
  }
}

/** --data-dir wins over CARRIER_DESK_DATA_DIR, which wins over the OS default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ? resolve(flag) : defaultDataDir(env);
}

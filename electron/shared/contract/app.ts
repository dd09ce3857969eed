// Contract area: the application itself (info, settings).
import { z } from 'zod';
import { method } from './define.ts';
import type { SettingView } from '../settings.ts';

export interface AppInfo {
  name: string;
  version: string;
  dataDir: string;
  /** PRAGMA user_version of the local store. */
  schemaVersion: number;
  /** 'electron' | 'browser' | 'cli' */
  host: string;
  secretsKind: string;
  node: string;
}

export const appMethods = {
  'app.info': method<AppInfo>()(z.object({}).strict()),
  'settings.get': method<SettingView[]>()(z.object({}).strict()),
  'settings.set': method<SettingView[]>()(
    z.object({ key: z.string().min(1).max(100), value: z.unknown() }).strict(),
  ),
};

export interface AppEvents {
  /** The core's background loop or a service logged something a person should see. */
  'app.notice': { level: 'info' | 'warn' | 'error'; message: string };
  /** Settings were changed (here or by another process on the data folder). */
  'settings.changed': { keys: string[] };
}

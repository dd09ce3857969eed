// Use cases about the application itself: info for the About box and settings.
import type { AppInfo } from '../../shared/contract/app.ts';
import type { CoreContext } from '../context.ts';
import { APP_VERSION } from '../version.ts';

export class AppService {
  constructor(private readonly ctx: CoreContext) {}

  info(): AppInfo {
    return {
      name: 'Carrier Desk',
      version: APP_VERSION,
      dataDir: this.ctx.dataDir,
      schemaVersion: this.ctx.db.pragma('user_version', { simple: true }) as number,
      host: this.ctx.host,
      secretsKind: this.ctx.secrets.kind,
      node: process.versions.node,
    };
  }

  settings(): Record<string, unknown> {
    return this.ctx.settings.all();
  }

  setSetting(key: string, value: unknown): Record<string, unknown> {
    this.ctx.settings.set(key, value, this.ctx.clock.now());
    return this.settings();
  }
}

// Use cases about the application itself: info for the About box and settings.
import type { AppInfo } from '../../shared/contract/app.ts';
import type { CoreContext } from '../context.ts';
import { APP_VERSION } from '../version.ts';
import { SETTINGS, settingSpec, type SettingView } from '../../shared/settings.ts';
import { UserInputError } from '../errors.ts';

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

  /** Every setting of the catalogue with the value in force. */
  settings(): SettingView[] {
    const repo = this.ctx.settings;
    return SETTINGS.map((s) => {
      const isSet = repo.has(s.key);
      return {
        key: s.key,
        value: repo.get(s.key, s.default),
        isSet,
        default: s.default,
        ...('defaultText' in s ? { defaultText: s.defaultText } : {}),
        description: s.description,
        accepts: s.accepts,
        advanced: 'advanced' in s && s.advanced,
      };
    });
  }

  /** Sets one setting after checking it against the catalogue; `null` puts the default back. */
  setSetting(key: string, value: unknown): SettingView[] {
    const spec = settingSpec(key);
    if (!spec) {
      throw new UserInputError(`There is no setting "${key}". Settings: ${SETTINGS.map((s) => s.key).join(', ')}.`, { key });
    }
    if (value === null) {
      this.ctx.settings.remove(key);
    } else {
      if (!spec.schema.safeParse(value).success) {
        throw new UserInputError(`${key} must be ${spec.accepts}; got ${JSON.stringify(value)}. Nothing was changed.`, { key });
      }
      this.ctx.settings.set(key, value, this.ctx.clock.now());
    }
    this.ctx.events.emit('settings.changed', { keys: [key] });
    // The watcher and the outbox read settings on every round: let them run one with the new value now.
    this.ctx.background.wake('jobs');
    this.ctx.background.wake('outbox');
    return this.settings();
  }
}

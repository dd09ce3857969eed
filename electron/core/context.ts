// What every service receives: the shared infrastructure built once by createCore().
import type { Db } from './db/open.ts';
import type { Clock, Logger } from './platform.ts';
import type { SecretBox } from './secrets/secret-box.ts';
import type { EventBus } from './events.ts';
import type { BackgroundLoop } from './background.ts';
import type { ClustersRepo } from './db/repos/clusters-repo.ts';
import type { SettingsRepo } from './db/repos/settings-repo.ts';
import type { ClientRegistry } from './services/client-registry.ts';

export interface CoreContext {
  dataDir: string;
  host: string;
  db: Db;
  clock: Clock;
  logger: Logger;
  secrets: SecretBox;
  events: EventBus;
  background: BackgroundLoop;
  clusters: ClustersRepo;
  settings: SettingsRepo;
  clients: ClientRegistry;
}

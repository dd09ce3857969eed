// The set of services the core offers; built once in index.ts.
import type { AppService } from './services/app-service.ts';
import type { ClustersService } from './services/clusters-service.ts';
import type { SyncArea } from './services/sync-area.ts';
import type { NumbersService } from './services/numbers-service.ts';
import type { JobsService } from './services/jobs-service.ts';
import type { RoutingService } from './services/routing-service.ts';

export interface Services {
  app: AppService;
  clusters: ClustersService;
  sync: SyncArea;
  numbers: NumbersService;
  jobs: JobsService;
  routing: RoutingService;
}

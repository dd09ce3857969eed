// The one typed contract between the renderer (and any host) and the core: methods and pushed events.
// Each area keeps its methods and DTOs in contract/<area>.ts; this file only assembles them.
import type { z } from 'zod';
import type { Result } from './result.ts';
import { appMethods, type AppEvents } from './contract/app.ts';
import { clusterMethods, type ClusterEvents } from './contract/clusters.ts';
import { syncMethods, type SyncEvents } from './contract/sync.ts';
import { numberMethods, type NumberEvents } from './contract/numbers.ts';
import { jobMethods, type JobEvents } from './contract/jobs.ts';
import { routingMethods, type RoutingEvents } from './contract/routing.ts';

export const methods = {
  ...appMethods,
  ...clusterMethods,
  ...syncMethods,
  ...numberMethods,
  ...jobMethods,
  ...routingMethods,
};

export type Methods = typeof methods;
export type MethodName = keyof Methods;
/** What a caller passes (before validation/defaults). */
export type ArgsOf<M extends MethodName> = z.input<Methods[M]['args']>;
/** What a handler receives (validated, defaults applied). */
export type ParsedArgsOf<M extends MethodName> = z.output<Methods[M]['args']>;
export type ResultOf<M extends MethodName> = NonNullable<Methods[M]['result']>;

/** The core implements this map; Electron IPC and the WebSocket bridge carry it unchanged. */
export type Handlers = { [M in MethodName]: (args: ParsedArgsOf<M>) => Promise<ResultOf<M>> | ResultOf<M> };

/** What the renderer calls: every method resolves to a Result, never throws. */
export type Api = { [M in MethodName]: (args: ArgsOf<M>) => Promise<Result<ResultOf<M>>> };

export type Events = AppEvents & ClusterEvents & SyncEvents & NumberEvents & JobEvents & RoutingEvents;
export type EventName = keyof Events;
export interface EventMessage<E extends EventName = EventName> {
  event: E;
  payload: Events[E];
}

export const methodNames = Object.keys(methods) as MethodName[];

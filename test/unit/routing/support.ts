// Builders for the routing unit tests: resources as stored documents, a world per flavor, and short views of answers.
import { compileWorld, type RouteRequest, type RouteResult, type RoutingFlavor, type World } from '../../../electron/core/routing/index.ts';

export type Doc = Record<string, unknown>;

/** A 32-character lowercase-hex id that sorts by `n` (Kazoo's ids, §2.2). */
export function hexId(n: number): string {
  return n.toString(16).padStart(32, '0');
}

export function gw(server: string, extra: Doc = {}): Doc {
  return { server, ...extra };
}

/** A plain resource with one gateway unless given. */
export function res(id: string, extra: Doc = {}): Doc {
  return { id, name: `R ${id}`, gateways: [gw(`${id}.gw.example`)], ...extra };
}

export const FLAVORS: RoutingFlavor[] = ['4.3', '5.0'];

export function route(world: Omit<World, 'flavor'> & { flavor?: RoutingFlavor }, req: Partial<RouteRequest> & { number: string }): RouteResult {
  return compileWorld({ flavor: '5.0', ...world }).route({ callerIdNumber: '+14155550100', ...req });
}

/** Both flavors give the same answer for this request (everything outside §9 is identical). */
export function routeBoth(world: Omit<World, 'flavor'>, req: Partial<RouteRequest> & { number: string }): RouteResult[] {
  return FLAVORS.map((flavor) => route({ ...world, flavor }, req));
}

/** resourceId:gatewayIndex of each endpoint, in order. */
export function order(r: RouteResult): string[] {
  return r.endpoints.map((e) => `${e.resourceId}:${e.gatewayIndex}`);
}

export function routes(r: RouteResult): string[] {
  return r.endpoints.map((e) => e.route);
}

export function whyExcluded(r: RouteResult, id: string): string | undefined {
  return r.excluded.find((x) => x.resourceId === id)?.code;
}

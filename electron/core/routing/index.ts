// The routing simulator: which carrier, gateway and dial string Kazoo's stepswitch picks for a number, offline
// (ground truth: ../shared/kazoo/routing-spec.md; every behaviour cites its section). Pure functions, no I/O.
//
// API
//   const world = compileWorld({ flavor: '4.3' | '5.0', resources, classifiers?, stepswitch?, e164Converters?,
//                                accounts?, onNetNumbers? });       // throws WorldInputError on unusable input
//   const answer = world.route({ number, callerIdNumber?, flags?, accountId?, huntAccountId?, bypassE164?, ... },
//                              { explain: true });                  // throws WorldInputError on a bad number only
//   answer: RouteResult (types.ts): classification, candidates in dialling order, endpoints with dial strings (before
//   the emergency reversal; bridgeOrder after it), every resource left out with why, warnings, `uncertain` (what
//   JavaScript or the given data cannot settle) and `error` when stepswitch itself would fail the request.
//
// Compile a world once and route many numbers with it: documents are loaded, classifiers and converters compiled and
// flag filters memoised per world. `explain: false` skips building reasons (for bulk comparisons).
//
// Inputs are documents *as stored* on the cluster (§2.2, §11.7): a classifier entry without weight_cost routes with
// the resource's weight_cost, one without `emergency` inherits. Crossbar fills schema defaults when it saves, so a
// draft that was never saved through Crossbar should be passed through the target's schema defaults first
// (drafts/defaults.ts applyDefaults); services/routing-service.ts does that for the editor's tester.
//
// Worlds from files or stored cluster data: parseWorldFile(text) (world-file.ts) reads the `route --offline` file;
// worldFromShape({resources, classifiers?, stepswitch?, number_manager?, accounts?}) takes the same shape as an object
// (tables as objects or ordered [name, value] pairs), e.g. a cluster's stored routing data.
import { routeIn } from './route.ts';
import type { RouteRequest, RouteResult, RoutingFlavor, World } from './types.ts';
import { WorldState } from './world.ts';
import { keptRules } from './load.ts';
import { lastMatch } from './engine-default.ts';
import type { Match } from './run-context.ts';

export type * from './types.ts';
export { RouteFailure, WorldInputError } from './failure.ts';
export { defaultClassifiers } from './classifiers.ts';
export { parseFlavor, parseWorldFile, worldFromShape, type WorldShape } from './world-file.ts';

export interface CompiledWorld {
  readonly flavor: RoutingFlavor;
  /** The classifier names of the table in use, in precedence order. */
  readonly classifierNames: readonly string[];
  route(request: RouteRequest, options?: { explain?: boolean }): RouteResult;
}

export function compileWorld(world: World): CompiledWorld {
  const state = new WorldState(world);
  return {
    flavor: state.flavor,
    classifierNames: state.table.names(),
    route: (request, options) => routeIn(state, request, options?.explain ?? true),
  };
}

/**
 * The rule of a list that decides for a number as stepswitch evaluates `rules` (§5.2: the last listed match wins;
 * §5.3: the longest group is sent), or null. Also answers "which cid_rule matches this caller" (§5.4).
 */
export function decidingRule(patterns: readonly unknown[], number: string): Match | null {
  return lastMatch(keptRules(patterns), number);
}

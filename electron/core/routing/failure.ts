// The two kinds of "no answer": stepswitch itself would fail the request (a RouteFailure, reported in the answer's
// `error`, routing-spec §5.4, §9, §11.13, §11.20), or the input given to the simulator is unusable (a WorldInputError:
// a usage error for the caller, nothing is simulated).

export class RouteFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly resourceId?: string,
  ) {
    super(message);
  }
}

export class WorldInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

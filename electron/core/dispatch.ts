// Validates a contract call's arguments and runs its handler, turning every outcome into a Result.
// Shared by the Electron IPC handlers, the WebSocket bridge and tests: hosts add only their transport.
import { methods, type Handlers, type MethodName } from '../shared/contract.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { toErrorValue } from './errors.ts';
import { redactor } from './secrets/redactor.ts';
import type { Logger } from './platform.ts';
import { MAX_JSON_DEPTH, valueNestsDeeperThan } from '../shared/json-limits.ts';

/** Arguments wrap documents (args → doc → …): a few levels more than any document may have. */
const MAX_ARGS_DEPTH = MAX_JSON_DEPTH + 4;

export type Dispatch = (method: string, args: unknown) => Promise<Result<unknown>>;

export function createDispatch(handlers: Handlers, logger: Logger): Dispatch {
  return async (method, args) => {
    if (!Object.hasOwn(methods, method)) return err('unknown_method', `Unknown method '${method}'.`);
    const name = method as MethodName;
    // Values that arrive already parsed (Electron IPC, in-process calls) get the depth limit JSON texts get on reading:
    // every recursive walk of the handlers would otherwise end in "Maximum call stack size exceeded".
    if (valueNestsDeeperThan(args, MAX_ARGS_DEPTH)) {
      return err('invalid_arguments', `The arguments of ${method} are nested deeper than ${MAX_JSON_DEPTH} levels, which no valid document is.`);
    }
    const parsed = methods[name].args.safeParse(args ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? ` (${issue.path.join('.')})` : '';
      return err('invalid_arguments', `${issue?.message ?? 'Invalid arguments'}${where}`, {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
    try {
      const handler = handlers[name] as (a: unknown) => unknown;
      return ok(await handler(parsed.data));
    } catch (e) {
      const value = toErrorValue(e);
      value.message = redactor.redact(value.message);
      if (value.code === 'internal') logger.error('unexpected error in handler', { method, error: value.message, stack: (e as Error)?.stack });
      return { ok: false, error: value };
    }
  };
}

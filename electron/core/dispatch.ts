// Validates a contract call's arguments and runs its handler, turning every outcome into a Result.
// Shared by the Electron IPC handlers, the WebSocket bridge and tests: hosts add only their transport.
import { methods, type Handlers, type MethodName } from '../shared/contract.ts';
import { err, ok, type Result } from '../shared/result.ts';
import { toErrorValue } from './errors.ts';
import { redactor } from './secrets/redactor.ts';
import type { Logger } from './platform.ts';

export type Dispatch = (method: string, args: unknown) => Promise<Result<unknown>>;

export function createDispatch(handlers: Handlers, logger: Logger): Dispatch {
  return async (method, args) => {
    if (!Object.hasOwn(methods, method)) return err('unknown_method', `Unknown method '${method}'.`);
    const name = method as MethodName;
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

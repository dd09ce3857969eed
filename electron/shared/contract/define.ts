// Building blocks of the typed contract: a method is a zod schema for its arguments plus a result type.
import type { z } from 'zod';

export interface MethodSpec<A extends z.ZodType, R> {
  readonly args: A;
  /**
   * Dotted argument paths that name a file on the core's machine (read or written). Hosts that carry calls
   * from a page (the browser host) limit them to folders the user chose; see electron/web/file-access.ts.
   */
  readonly files?: readonly string[];
  /** Phantom field: carries the result type, never set at run time. */
  readonly result?: R;
}

/** `method<ResultType>()(z.object({...}))` declares one contract method; `{files}` names its file-path arguments. */
export const method =
  <R>(opts: { files?: readonly string[] } = {}) =>
  <A extends z.ZodType>(args: A): MethodSpec<A, R> => ({ args, ...(opts.files ? { files: opts.files } : {}) });

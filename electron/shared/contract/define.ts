// Building blocks of the typed contract: a method is a zod schema for its arguments plus a result type.
import type { z } from 'zod';

export interface MethodSpec<A extends z.ZodType, R> {
  readonly args: A;
  /** Phantom field: carries the result type, never set at run time. */
  readonly result?: R;
}

/** `method<ResultType>()(z.object({...}))` declares one contract method. */
export const method =
  <R>() =>
  <A extends z.ZodType>(args: A): MethodSpec<A, R> => ({ args });

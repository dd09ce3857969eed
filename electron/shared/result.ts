// Errors as values: every contract call resolves to one of these, whichever host carries it.
export interface ErrorValue {
  /** Stable machine-readable code, e.g. 'auth_failed', 'validation', 'not_found'. */
  code: string;
  /** One plain sentence for a person: what went wrong and what to do. Never a stack trace, never a secret. */
  message: string;
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorValue };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = (code: string, message: string, details?: unknown): Result<never> => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

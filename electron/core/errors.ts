// Error classes of the core. Each has a stable `code`; hosts turn them into ErrorValue (shared/result.ts).
import type { ErrorValue } from '../shared/result.ts';
import { storageProblem } from './db/storage-errors.ts';

export class AppError extends Error {
  readonly code: string;
  readonly details: unknown;
  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** Input the user gave is wrong: names the field/line and what to do. */
export class UserInputError extends AppError {
  constructor(message: string, details?: unknown) {
    super('invalid_input', message, details);
  }
}

export class NotFoundLocalError extends AppError {
  constructor(what: string, id: string) {
    super('not_found', `${what} '${id}' does not exist.`, { what, id });
  }
}

/** Turns anything thrown into a plain ErrorValue; unknown errors keep only a generic message. */
export function toErrorValue(e: unknown): ErrorValue {
  // SQLite's texts become a sentence saying what to do; its own code and text stay in the details.
  const storage = storageProblem(e);
  if (storage) return { code: storage.code, message: storage.message, details: { sqliteCode: (e as { code: string }).code, sqliteMessage: (e as Error).message } };
  if (e instanceof AppError) {
    return e.details === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, details: e.details };
  }
  if (e instanceof Error) return { code: 'internal', message: e.message };
  return { code: 'internal', message: String(e) };
}

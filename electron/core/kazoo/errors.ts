// Typed errors of the Crossbar client (stable codes, HTTP status, request id); every message is redacted.
import { AppError } from '../errors.ts';
import { redactor } from '../secrets/redactor.ts';
import type { HintKey } from '../../shared/hints.ts';

export interface KazooErrorInit {
  status?: number | undefined;
  requestId?: string | undefined;
  /** Kazoo's short `message` (e.g. 'bad_identifier', 'init failed'). */
  kazooMessage?: string | undefined;
  /** Kazoo's `data` of the error envelope (redacted before it is kept). */
  data?: unknown;
  cause?: unknown;
  /** What a person can do, said by each host in its own words (shared/hints.ts). */
  hint?: HintKey | undefined;
}

/** Base class: anything the Crossbar client throws. */
export class KazooError extends AppError {
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  readonly kazooMessage: string | undefined;
  readonly data: unknown;

  constructor(code: string, message: string, init: KazooErrorInit = {}) {
    const data = init.data === undefined ? undefined : redactor.redactValue(init.data);
    const details: Record<string, unknown> = {};
    if (init.status !== undefined) details.status = init.status;
    if (init.requestId) details.requestId = init.requestId;
    if (init.kazooMessage) details.kazooMessage = redactor.redact(init.kazooMessage);
    if (data !== undefined) details.data = data;
    if (init.hint) details.hint = init.hint;
    super(code, redactor.redact(message), Object.keys(details).length ? details : undefined);
    this.status = init.status;
    this.requestId = init.requestId;
    this.kazooMessage = init.kazooMessage === undefined ? undefined : redactor.redact(init.kazooMessage);
    this.data = data;
    // The cause may hold a socket error whose message names hosts only; keep it for debugging, never secrets.
    if (init.cause !== undefined) Object.defineProperty(this, 'cause', { value: init.cause, enumerable: false });
  }
}

/** Wrong credentials, or a token the cluster keeps refusing. */
export class AuthError extends KazooError {
  constructor(message: string, init?: KazooErrorInit) {
    super('auth_failed', message, init);
  }
}

export class ForbiddenError extends KazooError {
  constructor(message: string, init?: KazooErrorInit) {
    super('forbidden', message, init);
  }
}

export class NotFoundError extends KazooError {
  constructor(message: string, init?: KazooErrorInit) {
    super('not_found', message, init);
  }
  /** True when the endpoint itself does not exist (Kazoo 'not_found' or an empty 404), not a missing document. */
  get endpointMissing(): boolean {
    return this.kazooMessage === 'not_found' || this.kazooMessage === undefined;
  }
}

/** Per-field map of Kazoo's 400 data: dotted path → rule → {message, ...}. */
export type FieldErrors = Record<string, Record<string, { message: string; [k: string]: unknown }>>;

export class ValidationError extends KazooError {
  readonly fields: FieldErrors;
  constructor(message: string, fields: FieldErrors, init?: KazooErrorInit) {
    super('validation', message, init);
    this.fields = redactor.redactValue(fields) as FieldErrors;
  }
}

export class ConflictError extends KazooError {
  constructor(message: string, init?: KazooErrorInit) {
    super('conflict', message, init);
  }
}

/** If-Match did not match the current revision: someone changed the object since it was read. */
export class PreconditionFailedError extends KazooError {
  constructor(message: string, init?: KazooErrorInit) {
    super('precondition_failed', message, init);
  }
}

export class RateLimitedError extends KazooError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs: number | undefined, init?: KazooErrorInit) {
    super('rate_limited', message, init);
    this.retryAfterMs = retryAfterMs;
  }
}

export class ServerError extends KazooError {
  constructor(message: string, init?: KazooErrorInit) {
    super('server_error', message, init);
  }
}

/**
 * The cluster did not answer. code 'unreachable' (refused, unknown host, connect timeout),
 * 'timeout' (connected but no reply in time) or 'network' (connection reset or closed mid-request).
 */
export class NetworkError extends KazooError {
  readonly errno: string | undefined;
  constructor(code: 'unreachable' | 'timeout' | 'network', message: string, errno: string | undefined, init?: KazooErrorInit) {
    super(code, message, init);
    this.errno = errno;
  }
}

export class TlsError extends KazooError {
  readonly errno: string | undefined;
  constructor(message: string, errno: string | undefined, init?: KazooErrorInit) {
    super('tls', message, init);
    this.errno = errno;
  }
}

/** The URL answers, but not like Crossbar (HTML page, JSON without the envelope). */
export class NotCrossbarError extends KazooError {
  constructor(message: string, init?: KazooErrorInit) {
    super('not_crossbar', message, init);
  }
}

export class AccountDisabledError extends KazooError {
  constructor(message: string, init?: KazooErrorInit) {
    super('account_disabled', message, init);
  }
}

/** The caller aborted the call (AbortSignal). */
export class AbortedError extends KazooError {
  constructor(message = 'The request was cancelled.', init?: KazooErrorInit) {
    super('aborted', message, init);
  }
}

/** The reply passed a size limit: reading stopped there (nothing of it was used). */
export class ReplyTooLargeError extends KazooError {
  readonly limitBytes: number;
  constructor(message: string, limitBytes: number, init?: KazooErrorInit) {
    super('reply_too_large', message, init);
    this.limitBytes = limitBytes;
  }
}

/** The reply is Crossbar-like but its data has a shape no Crossbar sends (a string for a listing, a list for a document, …). */
export class BadReplyError extends KazooError {
  constructor(message: string, init?: KazooErrorInit) {
    super('bad_reply', message, init);
  }
}

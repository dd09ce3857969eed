// The authenticated call pipeline: token, one re-authentication on 401, retries, request id; listings.
import type { Clock, Logger } from '../platform.ts';
import type { Authenticator } from './auth.ts';
import type { Envelope, KazooReply } from './envelope.ts';
import { AuthError, NotCrossbarError } from './errors.ts';
import { collectAll } from './pagination.ts';
import { isIdempotent, retryPolicy, withRetry, type RetryPolicy, type Sleep } from './retry.ts';
import { badShape, expectObject, type Where } from './shapes.ts';
import { newRequestId, type Transport } from './transport.ts';
import { replyGate, SMALL_REPLY_BYTES, type GateTicket } from './reply-gate.ts';
import type { HttpMethod, JsonObject, ReplyKind, RetryOptions } from './types.ts';

export interface CallSpec {
  method: HttpMethod;
  /** '/v2/...' with every id already encodeURIComponent-ed (use `p` below). */
  path: string;
  query?: Record<string, string | number | boolean | undefined> | undefined;
  /** The `data` to send; wrapped as {"data": ...}. */
  data?: unknown;
  headers?: Record<string, string> | undefined;
  /** True for a PUT whose id the client chose; overrides the method-based rule. */
  idempotent?: boolean;
  /** false: send without a token (schemas, probes). Default true. */
  auth?: boolean;
  /** false disables retries for this call; an object overrides the cluster's policy. */
  retry?: false | RetryOptions;
  signal?: AbortSignal | undefined;
  /** Which size limit applies to the reply (default 'document'; listings set 'listing'). */
  reply?: ReplyKind;
  /** The shape a successful reply's data must have; any other is refused with BadReplyError. */
  shape?: 'object' | 'array';
  /** Bytes already read against the same limit (the earlier pages of a listing). */
  alreadyRead?: number;
  /** A listing's hold on the reply gate, shared by its pages (see reply-gate.ts). */
  gate?: GateTicket;
}

function whereOf(spec: CallSpec, reply: KazooReply<unknown>): Where {
  return { method: spec.method, path: spec.path, requestId: reply.requestId, status: reply.httpStatus };
}

/** Builds a path from literal segments and ids: p`/v2/accounts/${id}` encodes every interpolated value. */
export function p(strings: TemplateStringsArray, ...ids: string[]): string {
  return strings.reduce((acc, s, i) => acc + s + (i < ids.length ? encodeURIComponent(ids[i]!) : ''), '');
}

export interface CallerDeps {
  clock: Clock;
  logger: Logger;
  sleep: Sleep;
  random?: () => number;
  policy: RetryPolicy;
}

export class Caller {
  constructor(
    readonly clusterId: string,
    private readonly transport: Transport,
    readonly auth: Authenticator,
    private readonly deps: CallerDeps,
  ) {}

  async call<T = unknown>(spec: CallSpec): Promise<KazooReply<T>> {
    const requestId = newRequestId();
    const idempotent = spec.idempotent ?? isIdempotent(spec.method, spec.headers);
    const policy = spec.retry === false ? { ...this.deps.policy, maxAttempts: 1 } : spec.retry ? retryPolicy({ ...this.deps.policy, ...spec.retry }) : this.deps.policy;
    const useAuth = spec.auth !== false;
    let reauthenticated = false;
    const send = (attempt: number, token: string | undefined) =>
      this.transport.send<T>({
        method: spec.method,
        path: spec.path,
        query: spec.query,
        ...(spec.data !== undefined ? { body: { data: spec.data } } : {}),
        headers: spec.headers,
        token,
        requestId,
        attempt,
        signal: spec.signal,
        replyKind: spec.reply,
        alreadyRead: spec.alreadyRead,
        gate: spec.gate,
      });
    const reply = await withRetry(
      async (attempt) => {
        const session = useAuth ? await this.auth.ensure(spec.signal) : undefined;
        try {
          return await send(attempt, session?.token);
        } catch (e) {
          // A 401 to a request that carried a token: the token expired or was revoked. Crossbar authenticates
          // before acting (§13), so re-sending is safe for any method; once per call.
          if (!(e instanceof AuthError) || e.status !== 401 || !session || reauthenticated) throw this.tokenRefused(e, reauthenticated);
          reauthenticated = true;
          this.deps.logger.info('kazoo token refused, logging in again', { cluster: this.clusterId, path: spec.path, requestId });
          const fresh = await this.auth.refreshAfter401(session.token, spec.signal);
          try {
            return await send(attempt, fresh.token);
          } catch (e2) {
            throw this.tokenRefused(e2, true);
          }
        }
      },
      {
        policy,
        idempotent,
        now: () => this.deps.clock.now(),
        sleep: this.deps.sleep,
        ...(this.deps.random ? { random: this.deps.random } : {}),
        signal: spec.signal,
        onRetry: ({ attempt, delayMs, error }) =>
          this.deps.logger.info('kazoo retry', { cluster: this.clusterId, method: spec.method, path: spec.path, requestId, attempt, delayMs, error: error.code, status: error.status }),
      },
    );
    if (spec.shape && reply.envelope) {
      const data = reply.envelope.data;
      if (spec.shape === 'object') expectObject(data, whereOf(spec, reply));
      else if (!Array.isArray(data)) throw badShape(whereOf(spec, reply), 'a list', data, 'data');
    }
    return reply;
  }

  private tokenRefused(e: unknown, afterLogin: boolean): unknown {
    if (afterLogin && e instanceof AuthError && e.status === 401) {
      return new AuthError('The cluster refused the session even right after logging in again. Check the login still has access.', {
        status: 401,
        requestId: e.requestId,
        kazooMessage: e.kazooMessage,
      });
    }
    return e;
  }

  /** The data of a successful reply (throws NotCrossbarError on a bodiless success). */
  async data<T = unknown>(spec: CallSpec): Promise<T> {
    return envelopeOf(await this.call<T>(spec)).data;
  }

  /** The data of a successful reply, which must be an object (a document). */
  async object(spec: CallSpec): Promise<JsonObject> {
    return (await this.data<JsonObject>({ ...spec, shape: 'object' }));
  }

  /**
   * Every item of a paginated listing. `pageSize` is only a request; items are counted, never assumed. `extract`
   * checks each page's shape (see shapes.ts) and throws on a page no Crossbar would send.
   */
  async all<D, T>(spec: CallSpec & { pageSize?: number | undefined }, extract: (data: D, where: Where) => T[]): Promise<T[]> {
    const { pageSize, ...base } = spec;
    let where: Where = { method: base.method, path: base.path, requestId: '' };
    let read = 0;
    // A listing past SMALL_REPLY_BYTES holds the reply gate until its last page: endless pages of listings read side
    // by side would otherwise grow together, parsed, however small each page.
    const gate = replyGate.ticket();
    try {
      return await collectAll<D, T>(
        async (startKey) => {
          if (read > SMALL_REPLY_BYTES) await gate.ensure(base.signal);
          const query = { ...base.query, ...(pageSize ? { page_size: pageSize } : {}), ...(startKey !== undefined ? { start_key: startKey } : {}) };
          const reply = await this.call<D>({ reply: 'listing', ...base, query, alreadyRead: read, gate });
          read += reply.bytes ?? 0;
          where = whereOf(base, reply);
          return envelopeOf(reply);
        },
        (data) => extract(data, where),
      );
    } finally {
      gate.release();
    }
  }
}

export function envelopeOf<T>(reply: KazooReply<T>): Envelope<T> {
  if (reply.envelope) return reply.envelope;
  throw new NotCrossbarError('The cluster sent an empty reply where data was expected.', { status: reply.httpStatus, requestId: reply.requestId });
}


// One HTTP attempt to one cluster over a keep-alive undici Agent: URL building, TLS, timeouts, error mapping, logs.
// Every reply is bounded: its body is counted while it streams in and dropped past the limit for its kind, and the
// whole request (headers and body) has a deadline, so no server can exhaust memory or hang a caller.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Agent, Dispatcher } from 'undici';
import type { Clock, Logger } from '../platform.ts';
import { interpretReply, type KazooReply } from './envelope.ts';
import { AbortedError, KazooError, NetworkError, ReplyTooLargeError, TlsError } from './errors.ts';
import { DEFAULT_REPLY_LIMITS, KIND_WORDS, sizeText } from './limits.ts';
import { replyGate, SMALL_REPLY_BYTES, type GateTicket } from './reply-gate.ts';
import type { ClusterConnection, HttpMethod, ReplyKind, ReplyLimits } from './types.ts';
import { lazyBundled } from '../lazy-require.ts';

// Only the undici module a request needs, not its index: the index also loads fetch, WebSocket, EventSource, the
// mocks and the cache stores, about 55 ms of CPU in every CLI process that sends a request (issue 16 item 2). This
// path is that of the undici version pinned in package.json; test/integration/kazoo-client runs through it.
// Bundled into the CLI (lazyBundled): ~10 ms less before a command's first request (fan-out, sixth pass).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a literal require() is what esbuild bundles
const AgentClass = lazyBundled<typeof Agent>(() => require('undici/lib/dispatcher/agent'), 'undici/lib/dispatcher/agent');

export interface Attempt {
  method: HttpMethod;
  /** Starts with '/v2/'; every id already encodeURIComponent-ed. */
  path: string;
  query?: Record<string, string | number | boolean | undefined> | undefined;
  /** Sent as JSON (callers wrap it in {data}). */
  body?: unknown;
  headers?: Record<string, string> | undefined;
  token?: string | undefined;
  requestId: string;
  attempt: number;
  signal?: AbortSignal | undefined;
  /** Which size limit applies to the reply (default 'document'). */
  replyKind?: ReplyKind | undefined;
  /** Bytes already read for the same limit (earlier pages of a listing): this reply may only use the rest. */
  alreadyRead?: number | undefined;
  /** The listing's hold on the reply gate (reply-gate.ts), shared by its pages and released by the listing. */
  gate?: GateTicket | undefined;
}

// 32 hex digits. randomUUID draws from a buffered pool of entropy (randomBytes asked the OS on every request).
export const newRequestId = (): string => randomUUID().replace(/-/g, '');

/** 'https://h:8443/', 'https://h:8443/v2', 'https://h/api/v2/' → origin + prefix without '/v2'. */
export function normaliseBaseUrl(baseUrl: string): { origin: string; prefix: string } {
  const u = new URL(baseUrl.trim());
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new KazooError('invalid_url', `The cluster URL must start with https:// or http:// (got ${u.protocol}).`);
  const prefix = u.pathname.replace(/\/+$/, '').replace(/\/v2$/i, '').replace(/\/+$/, '');
  return { origin: u.origin, prefix };
}

const TLS_UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);
const TLS_DATES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const TLS_OTHER = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'CERT_REVOKED']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'EADDRNOTAVAIL']);
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Reply headers past this many bytes are refused. Node's own default, given to undici rather than read from node:http
 * (which the CLI bundle leaves out: scripts/cli-bundle.mjs).
 */
export const MAX_REPLY_HEADER_BYTES = 16 * 1024;

function errnoOf(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
    if (code === 'UND_ERR_SOCKET' && !(cur as { cause?: unknown }).cause) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Maps a thrown transport error (undici, node:net, node:tls) to a typed, secret-free error. */
export function mapTransportError(e: unknown, host: string, ctx: { method: string; path: string; requestId: string }, aborted: boolean): KazooError {
  if (e instanceof KazooError) return e;
  const init = { requestId: ctx.requestId, cause: e };
  // How to make the cluster trusted is said by each host in its own words (a CLI option, or the app's Clusters screen).
  const trust = { ...init, hint: 'tls_trust' as const };
  if (aborted || (e as { name?: string })?.name === 'AbortError' || errnoOf(e) === 'UND_ERR_ABORTED') return new AbortedError(undefined, init);
  const errno = errnoOf(e);
  if (errno && TLS_UNTRUSTED.has(errno))
    return new TlsError(`The TLS certificate of ${host} is not trusted (self-signed or from an unknown authority: ${errno}).`, errno, trust);
  if (errno && TLS_DATES.has(errno))
    return new TlsError(`The TLS certificate of ${host} is ${errno === 'CERT_HAS_EXPIRED' ? 'expired' : 'not valid yet'}. Renew it on the cluster.`, errno, trust);
  if (errno === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return new TlsError(`The TLS certificate of ${host} is for another host name (hostname mismatch). Use the host name the certificate names.`, errno, trust);
  if (errno && (TLS_OTHER.has(errno) || errno.startsWith('ERR_SSL_') || errno.startsWith('ERR_TLS_')))
    return new TlsError(`The TLS handshake with ${host} failed (${errno}). Check the URL scheme (https:// vs http://) and port.`, errno, trust);
  if (errno && UNREACHABLE.has(errno)) {
    const why =
      errno === 'ECONNREFUSED' ? 'the connection was refused'
      : errno === 'ENOTFOUND' || errno === 'EAI_AGAIN' ? 'the host name could not be resolved'
      : errno === 'UND_ERR_CONNECT_TIMEOUT' || errno === 'ETIMEDOUT' ? 'connecting timed out'
      : `the network is unreachable (${errno})`;
    return new NetworkError('unreachable', `Cannot reach ${host}: ${why}. Check the URL, the port and that the cluster is running.`, errno, init);
  }
  // The cluster answered, with more header bytes than any Crossbar reply carries: a reply refused, not a cluster unreachable.
  if (errno === 'UND_ERR_HEADERS_OVERFLOW')
    return new ReplyTooLargeError(
      `The cluster at ${host} sent more than ${sizeText(MAX_REPLY_HEADER_BYTES)} of headers in reply to ${ctx.method} ${ctx.path}; reading stopped and nothing of it was used. Check the cluster (or a proxy in front of it) is answering normally.`,
      MAX_REPLY_HEADER_BYTES,
      init,
    );
  if (errno && TIMEOUTS.has(errno))
    return new NetworkError('timeout', `${host} did not answer ${ctx.method} ${ctx.path} in time (${errno === 'UND_ERR_HEADERS_TIMEOUT' ? 'no reply headers' : 'reply body stalled'}).`, errno, init);
  return new NetworkError('network', `The connection to ${host} broke during ${ctx.method} ${ctx.path} (${errno ?? 'socket closed'}).`, errno, init);
}

export interface TransportDeps {
  clock: Clock;
  logger: Logger;
  /** Read before every request, so a changed setting applies at once (default DEFAULT_REPLY_LIMITS). */
  limits?: () => ReplyLimits;
}

/** How one reply is read: its size limit, and the reply gate a large one waits for. */
interface ReplyBounds {
  maxBytes: number;
  tooLarge: () => Error;
  /** Past this many bytes the reading waits for `large()` (the reply gate); meanwhile the socket applies backpressure. */
  freeBytes: number;
  large: () => Promise<void>;
}

interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  bytes: number;
}

/**
 * Sends one request through undici's dispatcher and reads its reply into memory, bounded: a declared length past the
 * limit is refused before any byte of the body, the body is counted as it arrives and the request aborted past the
 * limit. Undici's handler API rather than its request(): the body arrives as chunks in the parser's callbacks, with no
 * stream and no async iterator per reply (~10-18 ms less CPU for the 100 requests of an apply to 50 clusters, fan-out
 * eighth pass). Settles once: with the reply, or with the first error (a signal's abort, a limit, the connection's).
 */
function sendBounded(agent: Dispatcher, opts: Dispatcher.DispatchOptions, signal: AbortSignal, bounds: ReplyBounds): Promise<RawReply> {
  return new Promise<RawReply>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let status = 0;
    let headers: RawReply['headers'] = {};
    let gated = false;
    let settled = false;
    let controller: Dispatcher.DispatchController | null = null;
    const reason = (): Error => (signal.reason instanceof Error ? signal.reason : Object.assign(new Error('The request was aborted.'), { name: 'AbortError' }));
    const onAbort = () => controller?.abort(reason());
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      done();
    };
    if (signal.aborted) return reject(reason());
    signal.addEventListener('abort', onAbort, { once: true });
    agent.dispatch(opts, {
      onRequestStart(c) {
        controller = c;
        if (signal.aborted) c.abort(reason());
      },
      onResponseStart(c, statusCode, replyHeaders) {
        status = statusCode;
        headers = replyHeaders as RawReply['headers'];
        const declared = Number(replyHeaders['content-length']);
        if (Number.isFinite(declared) && declared > bounds.maxBytes) c.abort(bounds.tooLarge());
      },
      onResponseData(c, chunk) {
        if (settled) return;
        bytes += chunk.length;
        if (bytes > bounds.maxBytes) return void c.abort(bounds.tooLarge());
        chunks.push(chunk);
        if (bytes > bounds.freeBytes && !gated) {
          gated = true;
          c.pause();
          bounds.large().then(
            () => c.resume(),
            (e: unknown) => c.abort(e instanceof Error ? e : reason()),
          );
        }
      },
      onResponseEnd() {
        settle(() => resolve({ status, headers, text: Buffer.concat(chunks, bytes).toString('utf8'), bytes }));
      },
      onResponseError(_c, error) {
        settle(() => reject(error));
      },
    });
  });
}

export class Transport {
  readonly origin: string;
  readonly prefix: string;
  readonly host: string;
  private readonly agent: Agent;
  private readonly caError: KazooError | undefined;
  /** Set from the end of a reply until the next turn of the event loop, when its connection is free again (send()). */
  private freeing: Promise<void> | null = null;
  /** Requests between send() and their end: none means every connection of the pool is idle. */
  private running = 0;

  constructor(
    private readonly conn: ClusterConnection,
    private readonly deps: TransportDeps,
  ) {
    const { origin, prefix } = normaliseBaseUrl(conn.baseUrl);
    this.origin = origin;
    this.prefix = prefix;
    this.host = new URL(origin).host;
    let ca: string | undefined;
    if (conn.tls?.caFile) {
      try {
        ca = readFileSync(conn.tls.caFile, 'utf8');
      } catch (e) {
        // Reported on every call rather than thrown here, so a profile with a moved CA file still loads.
        this.caError = new TlsError(`The CA file ${conn.tls.caFile} cannot be read (${errnoOf(e) ?? 'error'}). Fix the path in the cluster settings.`, errnoOf(e));
      }
    }
    const t = conn.timeouts ?? {};
    this.agent = new (AgentClass())({
      connections: conn.connections ?? 8,
      keepAliveTimeout: 30_000,
      maxHeaderSize: MAX_REPLY_HEADER_BYTES,
      headersTimeout: t.headersMs ?? 30_000,
      bodyTimeout: t.bodyMs ?? 60_000,
      connect: {
        timeout: t.connectMs ?? 10_000,
        rejectUnauthorized: conn.tls?.insecure !== true,
        ...(ca ? { ca } : {}),
      },
    });
  }

  url(path: string, query?: Attempt['query']): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) qs.set(k, String(v));
    const s = qs.toString();
    return `${this.origin}${this.prefix}${path}${s ? `?${s}` : ''}`;
  }

  /** "The cluster lab-43 (lab.example.com:8443)" for messages. */
  private who(): string {
    return this.conn.name ? `The cluster ${this.conn.name} (${this.host})` : `The cluster at ${this.host}`;
  }

  get busy(): boolean {
    return this.running > 0;
  }

  async send<T>(a: Attempt): Promise<KazooReply<T>> {
    this.running++;
    try {
      return await this.attempt<T>(a);
    } finally {
      this.running--;
    }
  }

  private async attempt<T>(a: Attempt): Promise<KazooReply<T>> {
    if (this.caError) throw this.caError;
    const ctx = { method: a.method, path: a.path, requestId: a.requestId };
    if (a.signal?.aborted) throw new AbortedError(undefined, { requestId: a.requestId });
    // undici gives a keep-alive connection back to its pool one turn of the event loop after the reply ended (it
    // waits a full turn in case the server closes it anyway). A request sent in the same turn as that reply's end
    // (a PUT right after its GET, the first request after the login) would open a second connection: wait for it.
    if (this.freeing) await this.freeing;
    const headers: Record<string, string> = { accept: 'application/json', 'x-request-id': a.requestId, ...a.headers };
    if (a.token) headers['x-auth-token'] = a.token;
    let payload: string | undefined;
    if (a.body !== undefined) {
      payload = JSON.stringify(a.body);
      headers['content-type'] = 'application/json';
    }
    const limits = this.deps.limits?.() ?? DEFAULT_REPLY_LIMITS;
    const kind = a.replyKind ?? 'document';
    const limit = limits.bytes[kind];
    const earlier = a.alreadyRead ?? 0;
    const maxBytes = Math.max(0, limit - earlier);
    const tooLarge = () =>
      new ReplyTooLargeError(
        `${this.who()} sent more than ${sizeText(limit)} in reply to ${a.method} ${a.path}${earlier > 0 ? ' (with the earlier pages of this listing)' : ''}, the limit for ${KIND_WORDS[kind]}; reading stopped and nothing of it was used. Check the cluster (or a proxy in front of it) is answering normally.`,
        limit,
        { requestId: a.requestId },
      );
    // One deadline for the whole request: undici's own timeouts restart with every byte, so a trickle never trips them.
    const deadline = new AbortController();
    let pastDeadline = false;
    const timer = setTimeout(() => {
      pastDeadline = true;
      deadline.abort();
    }, limits.deadlineMs);
    const signal = a.signal ? AbortSignal.any([a.signal, deadline.signal]) : deadline.signal;
    // A reply of its own holds the gate until it is parsed; a listing's pages share the listing's hold.
    const gate = a.gate ?? replyGate.ticket();
    const started = this.deps.clock.now();
    const fields = { cluster: this.conn.id, method: a.method, path: a.path, requestId: a.requestId, attempt: a.attempt };
    let reply: RawReply;
    try {
      // Origin and path as undici's top-level request() derives them from the URL (WHATWG-normalised).
      const target = new URL(this.url(a.path, a.query));
      reply = await sendBounded(
        this.agent,
        { origin: target.origin, path: `${target.pathname}${target.search}`, method: a.method, headers, ...(payload !== undefined ? { body: payload } : {}) },
        signal,
        { maxBytes, tooLarge, freeBytes: SMALL_REPLY_BYTES - earlier, large: () => gate.ensure(signal) },
      );
      this.connectionFreed();
    } catch (e) {
      const err = pastDeadline
        ? new NetworkError(
            'timeout',
            `${this.who()} did not finish answering ${a.method} ${a.path} within ${Math.round(limits.deadlineMs / 100) / 10} s, the limit for one request; stopped waiting.`,
            'DEADLINE',
            { requestId: a.requestId, cause: e },
          )
        : mapTransportError(e, this.host, ctx, a.signal?.aborted === true);
      this.deps.logger.warn('kazoo request failed', { ...fields, error: err.code, errno: (err as NetworkError).errno, durationMs: this.deps.clock.now() - started });
      if (!a.gate) gate.release();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    // The reply is handed over once its connection is back in the pool (the next turn, connectionFreed), not in the
    // turn it was read. The replies of many clusters often arrive together and are read in one turn of the event
    // loop; their callers' work (apply plans and stages each target, then sends its write on that connection) then
    // runs after all of them were read, with every connection free for the next request: measured, the writes of
    // an apply to 50 clusters left ~8 ms sooner (docs/benchmarks-history.md, fan-out seventh pass).
    if (this.freeing) await this.freeing;
    const { status } = reply;
    const log = { ...fields, status, durationMs: this.deps.clock.now() - started };
    if (status >= 500 || status === 429) this.deps.logger.warn('kazoo request', log);
    else this.deps.logger.debug('kazoo request', log);
    try {
      return { ...interpretReply<T>({ status, headers: reply.headers, body: reply.text }, ctx, this.deps.clock.now()), bytes: reply.bytes };
    } finally {
      if (!a.gate) gate.release();
    }
  }

  /**
   * A reply was read to its end: its connection is reusable from the next turn of the event loop, after undici's own
   * setImmediate that returns it to the pool (queued before this one, when the reply's last byte was parsed).
   */
  private connectionFreed(): void {
    this.freeing ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.freeing = null;
        resolve();
      }),
    );
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }
}

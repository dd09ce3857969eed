// Public types of the Crossbar client: how to reach a cluster, the token cache seam, scopes and call options.

export interface ClusterConnection {
  /** Local profile id, used as token-cache key and in logs. */
  id: string;
  /** The profile's name, for messages ("The cluster lab-43 …"); the host name otherwise. */
  name?: string;
  /** 'https://host:8443' or with a trailing '/v2' (normalised). A path prefix before /v2 is kept. */
  baseUrl: string;
  auth:
    | { kind: 'api_key'; apiKey: string }
    | { kind: 'user'; accountName: string; username: string; password: string; hash?: 'md5' | 'sha' };
  tls?: { caFile?: string; insecure?: boolean };
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
  /** Maximum sockets to this cluster (default 8). */
  connections?: number;
  retry?: RetryOptions;
  /** Token lifetime when the token's JWT `exp` cannot be read (default 3600 s). */
  tokenLifetimeS?: number;
}

export interface RetryOptions {
  /** Attempts in total, the first included (default 4). */
  maxAttempts?: number;
  /** First backoff step (default 250 ms). */
  baseMs?: number;
  /** Largest single backoff (default 8000 ms). */
  capMs?: number;
  /** No new attempt starts after this much time since the first one (default 60000 ms). */
  deadlineMs?: number;
}

export interface CachedToken {
  token: string;
  accountId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface TokenCache {
  get(clusterId: string): CachedToken | undefined;
  set(clusterId: string, t: CachedToken): void;
  clear(clusterId: string): void;
}

export type Scope = { kind: 'global' } | { kind: 'account'; accountId: string };

/** Every API call accepts an abort signal. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Listing calls may ask for a page size (the cluster's default otherwise); the client never relies on it. */
export interface ListOptions extends CallOptions {
  pageSize?: number;
}

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/** A JSON object as Kazoo sends it: known fields typed by callers, unknown fields kept. */
export type JsonObject = Record<string, unknown>;

/** What a reply is, for its size limit: one page of a listing, one document, a job document (grows with its numbers), a login. */
export type ReplyKind = 'listing' | 'document' | 'job' | 'login';

/** Bounds on every reply: its size in bytes per kind, and the total time of one request (headers and body). */
export interface ReplyLimits {
  deadlineMs: number;
  bytes: Record<ReplyKind, number>;
}

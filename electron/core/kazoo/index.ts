// The Crossbar client library: everything other core modules may import from electron/core/kazoo.
export * from './types.ts';
export * from './errors.ts';
export { createKazooClient, type KazooClient, type KazooClientDeps, type SessionInfo } from './client.ts';
export { parseEnvelope, interpretReply, parseRetryAfter, fieldErrorsOf, type Envelope, type KazooReply, type RawReply } from './envelope.ts';
export { asNumber, asBoolean, coerceFields, coerceResource } from './coerce.ts';
export { pages, collectAll, type PageFetcher } from './pagination.ts';
export { backoffMs, isIdempotent, classifyFailure, withRetry, defaultSleep, DEFAULT_RETRY, type Sleep, type RetryPolicy } from './retry.ts';
export { credentialsHash, jwtExpiryMs, type Session } from './auth.ts';
export { p as kazooPath, type CallSpec } from './caller.ts';
export { normaliseBaseUrl, newRequestId } from './transport.ts';
export { monthWindows, toGregorianS, fromGregorianS, GREGORIAN_OFFSET_S, MAX_RANGE_S, type Window } from './windows.ts';
export { probe, flavorOf, jobRecoveryOf, type ProbeResult, type Flavor } from './probe.ts';
export type { AccountsApi, AccountDoc, AccountChild, AccountDescendant } from './api/accounts.ts';
export { newResourceId, containsSent, type ResourcesApi, type ResourceSummary, type ResourceDoc, type Versioned, type CreatedResource, type CollectionResult } from './api/resources.ts';
export { normaliseJob, type JobsApi, type KazooJob, type NewJob, type JobListOptions } from './api/jobs.ts';
export type { NumbersApi, PhoneNumberSummary, PhoneNumberInfo } from './api/numbers.ts';
export type { SchemasApi } from './api/schemas.ts';
export type { ResourceNoun } from './api/resource-paths.ts';

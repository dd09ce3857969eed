// Public and shared types of the Kazoo Crossbar emulator: options, faults, seed format, stored records.

export type Flavor = '4.3' | '5.0';

export interface Faults {
  latencyMs: number;
  errorRate: number;
  rateLimitRate: number;
  retryAfterS: number;
  resetRate: number;
  docsQuirks: boolean;
  failPaths?: string;
}

export const defaultFaults = (): Faults => ({
  latencyMs: 0,
  errorRate: 0,
  rateLimitRate: 0,
  retryAfterS: 1,
  resetRate: 0,
  docsQuirks: false,
});

export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  /** When the reply was sent (after any added latency). */
  at: number;
  /** When the request arrived: [received, at] is the time it was in flight at the emulator. */
  received: number;
  requestId?: string;
  /** The client's port: requests with the same value came over one TCP connection (keep-alive reuse). */
  connection?: number;
}

export interface SeedAccount {
  id: string;
  name: string;
  realm?: string;
  parent_id?: string;
  superduper_admin?: boolean;
  reseller?: boolean;
  allow_number_additions?: boolean;
  enabled?: boolean;
  api_key?: string;
}
export interface SeedUser {
  id: string;
  account_id: string;
  username: string;
  password: string;
  priv_level?: string;
  first_name?: string;
  last_name?: string;
}
export interface SeedResource {
  account_id?: string;
  id: string;
  [field: string]: unknown;
}
export interface SeedNumber {
  number: string;
  account_id: string;
  state: string;
  module?: string;
  resource_id?: string;
}
export type SeedPortRequest = string | { number: string; account_id?: string };
export interface SeedConfig {
  job_recovery_timeout_s?: number;
  job_recovery_threshold_s?: number;
  token_lifetime_s?: number;
  page_size?: number;
  allow_peers?: boolean;
  phonebook_url?: string;
}
export interface Seed {
  master_account_id: string;
  accounts: SeedAccount[];
  users?: SeedUser[];
  resources?: SeedResource[];
  numbers?: SeedNumber[];
  port_requests?: SeedPortRequest[];
  config?: SeedConfig;
  /** Stored system_config documents by id (`number_manager`, `stepswitch`); see routing-config.ts. */
  system_configs?: Record<string, unknown>;
}

/** Resolved configuration (seed config with defaults applied). */
export interface Config {
  job_recovery_timeout_s: number;
  job_recovery_threshold_s: number;
  token_lifetime_s: number;
  page_size: number;
  allow_peers: boolean;
  phonebook_url?: string;
}

export interface AccountRec {
  id: string;
  name: string;
  realm: string;
  parent_id?: string;
  tree: string[]; // ancestor ids, root first
  superduper_admin: boolean;
  reseller: boolean;
  allow_number_additions: boolean;
  enabled: boolean;
  api_key?: string;
  created: number; // gregorian seconds
}

export interface UserRec {
  id: string;
  account_id: string;
  username: string;
  md5: string;
  sha1: string;
  priv_level: string;
  enabled: boolean;
  first_name?: string;
  last_name?: string;
}

export interface NumberRec {
  number: string; // E.164
  account_id: string;
  state: string;
  module: string; // knm_local, knm_other, ...
  resource_id?: string;
  created: number;
  modified: number;
  used_by?: string;
  features: string[];
}

/** A CouchDB-like document: `_id`, `_rev` and any public/private fields. */
export type Doc = { _id: string; _rev: string } & Record<string, unknown>;

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = Record<string, unknown>;

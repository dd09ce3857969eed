// Types of the routing simulator (electron/core/routing): what a world (resources + cluster tables) and a request
// are, and what an answer says. Shared so the contract and the renderer show the same answer. Field names of
// RouteResult are part of `carrier-desk route --json`: add fields, never rename.

export type JsonObject = Record<string, unknown>;

/** The longest dialled number or caller id the simulator takes: no phone number comes close (issue 15: inputs are bounded). */
export const MAX_NUMBER_CHARS = 64;

/** The Kazoo branch whose stepswitch is simulated: 4.3, or 5.0 = master (routing-spec §0, §9). */
export type RoutingFlavor = '4.3' | '5.0';

/** An ordered JSON object: an object (insertion order) or its entries (for tables whose names may be all digits). */
export type Ordered<V = unknown> = readonly (readonly [string, V])[] | Readonly<Record<string, V>>;

export interface AccountRef {
  id: string;
  parent_id?: string | null;
  /** Ancestors, root first (Kazoo's pvt_tree); used when given, else parent_id is followed. */
  tree?: readonly string[];
}

/** Everything stepswitch reads from the cluster (routing-spec §10). */
export interface World {
  flavor: RoutingFlavor;
  /** Stored resource documents. One with `account_id` (or `pvt_account_id`) is local to that account, else global. */
  resources: readonly JsonObject[];
  /** number_manager.classifiers in runtime order (§3.2); absent = the flavor's code default. */
  classifiers?: Ordered;
  /** system_config/stepswitch values (route_by, default_weight, default_route, ...); absent = code defaults. */
  stepswitch?: JsonObject;
  /** number_manager.e164_converters in stored order (§3.1); absent = the code default. */
  e164Converters?: Ordered;
  /** The account tree, for the hunt-account check (§2.1). */
  accounts?: readonly AccountRef[];
  /** E.164 numbers hosted on the cluster (assigned to an account): dialled through offnet they stay on-net (§1). */
  onNetNumbers?: Iterable<string>;
}

export interface RouteRequest {
  /** To-DID as dialled. */
  number: string;
  /** Outbound-Caller-ID-Number. */
  callerIdNumber?: string;
  callerIdName?: string;
  /** Emergency-Caller-ID-Number. */
  emergencyCallerIdNumber?: string;
  emergencyCallerIdName?: string;
  flags?: readonly string[];
  /** The calling account (Account-ID). */
  accountId?: string;
  /** Hunt-Account-ID: present = account-local resources of that account (use_local_resources, §2.1). */
  huntAccountId?: string;
  bypassE164?: boolean;
  /** The caller says the number is hosted on the cluster (§1). */
  onNet?: boolean;
  forceOutbound?: boolean;
  /** 'audio' (bridge, the default) or 'originate'; only audio tries short-dial correction (§5.6). */
  resourceType?: 'audio' | 'originate';
  /** Denied-Call-Restrictions: class → {action}; only short-dial correction reads it (§5.6). */
  deniedCallRestrictions?: Readonly<Record<string, { action?: string } | undefined>>;
  /** Diversion SIP headers of the request; read when stepswitch.cid_rules_honor_diversions is true (§1). */
  diversions?: readonly string[];
  /** Requestor-Custom-Channel-Vars / -Custom-SIP-Headers of the calling channel: gateways' dynamic invite parameters read them (§6.2). */
  customChannelVars?: Readonly<Record<string, unknown>>;
  customSipHeaders?: Readonly<Record<string, unknown>>;
  /** The zone of the Kazoo node handling the call (a dynamic invite parameter `zone`, §6.2). */
  zone?: string;
}

export interface Note {
  code: string;
  message: string;
  resourceId?: string;
}

export interface Candidate {
  resourceId: string;
  name: string;
  weight: number;
  /** The rule that decided: its index in the document's `rules` (null for a classifier's regex) and its text. */
  ruleIndex: number | null;
  rule: string;
  /** Where the deciding regex comes from (§2.2: a classifier resource has exactly one rule). */
  ruleSource: 'rules' | 'classifier_entry' | 'classifier_table';
  /** The number after §5.3 (what goes into the dial string and To-DID). */
  matchedNumber: string;
  classifier?: string;
  emergency: boolean;
}

export interface EndpointView {
  resourceId: string;
  /** Index of the gateway in the document's `gateways` array (disabled gateways counted). */
  gatewayIndex: number;
  /** The dial string (§6.3), after formatters (§7). */
  route: string;
  /** The user part the carrier receives: prefix + number + suffix, for invite_format route gateways without a `route` override. */
  inviteNumber?: string;
  /** To-DID after formatters; "" when the matched number is empty (Kazoo then drops the key, §5.3). */
  toDid: string;
  inviteFormat: string;
  emergency: boolean;
  name: string;
  weight: number;
  matchedNumber: string;
  server?: string;
  /** SIP-Invite-Parameters (§6.2): the gateway's static ones, then its dynamic ones last-listed first. */
  inviteParameters?: string[];
  /** Things Kazoo does to this endpoint that the simulator cannot settle (§6.4, §10). */
  notes?: readonly string[];
}

export interface Excluded {
  resourceId: string;
  name?: string;
  /** Plain-English reason with the spec section. */
  why: string;
  code: string;
}

export interface RouteResult {
  /** The number as dialled. */
  dialed: string;
  /** The number stepswitch routes: E.164 after §3.1 unless bypass_e164 (E164-Destination). */
  number: string;
  classification: string | null;
  /** After short-dial correction (§5.6), when it applied. */
  correctedNumber?: string;
  /** The call stays on the cluster (§1): no carrier is used. */
  onNet?: boolean;
  engine: 'stepswitch_resources' | 'stepswitch_resource_selectors';
  scope: { kind: 'global' } | { kind: 'local'; accountId: string };
  candidates: Candidate[];
  /** In the order stepswitch hands them to the bridge, before the emergency reversal (§6.1). */
  endpoints: EndpointView[];
  /** The order FreeSWITCH dials them when it differs (emergency bridge, §8). */
  bridgeOrder?: { resourceId: string; gatewayIndex: number; route: string }[];
  emergencyBridge: boolean;
  excluded: Excluded[];
  warnings: Note[];
  /** Why this answer may differ from the cluster's (PCRE constructs, unknown account tree, random gateway order, ...). */
  uncertain: Note[];
  /** Set when stepswitch would fail the request (the caller hears nothing useful). */
  error?: Note;
}

// Where resources and jobs live for a scope, and the once-per-client fallback to 4.3's `local_resources` noun.
import type { Logger } from '../../platform.ts';
import { p } from '../caller.ts';
import { KazooError, NotFoundError } from '../errors.ts';
import type { Scope } from '../types.ts';

export type ResourceNoun = 'resources' | 'local_resources';

/** Shared, mutable per client: what the cluster answered for account-scoped `/resources`. */
export interface ResourceNounState {
  /** Undefined until the first account-scoped call (or the probe) settles it. */
  accountNoun?: ResourceNoun;
}

export function scopeBase(scope: Scope, noun: ResourceNoun = 'resources'): string {
  return scope.kind === 'global' ? '/v2/resources' : p`/v2/accounts/${scope.accountId}` + `/${noun}`;
}

const endpointMissing = (e: unknown): boolean => e instanceof NotFoundError && e.endpointMissing;

export class ResourcePaths {
  constructor(
    readonly state: ResourceNounState,
    private readonly logger: Logger,
    private readonly clusterId: string,
  ) {}

  /**
   * Runs `fn` with the base path of the scope. For an account scope on a cluster not yet known, a 404
   * 'not_found' (no such endpoint) from `/resources` makes it try `/local_resources`; what works is remembered.
   */
  async run<T>(scope: Scope, fn: (base: string) => Promise<T>): Promise<T> {
    if (scope.kind === 'global') return fn(scopeBase(scope));
    const known = this.state.accountNoun;
    if (known) return fn(scopeBase(scope, known));
    try {
      const out = await fn(scopeBase(scope, 'resources'));
      this.state.accountNoun ??= 'resources';
      return out;
    } catch (e) {
      if (!endpointMissing(e)) {
        // Any other answer from the cluster proves the endpoint exists.
        if (e instanceof KazooError && e.status !== undefined) this.state.accountNoun ??= 'resources';
        throw e;
      }
      try {
        const out = await fn(scopeBase(scope, 'local_resources'));
        this.remember();
        return out;
      } catch (e2) {
        if (endpointMissing(e2)) throw e;
        if (e2 instanceof KazooError && e2.status !== undefined) this.remember();
        throw e2;
      }
    }
  }

  private remember(): void {
    if (this.state.accountNoun === 'local_resources') return;
    this.state.accountNoun = 'local_resources';
    this.logger.info('kazoo: /resources is missing, using /local_resources for account resources', { cluster: this.clusterId });
  }
}

// Carrier names per cluster, from the pulled carriers (the local snapshot), fetched the first time a name is asked
// for and again after a pull or a change: so a job or a plan shows "Acme BYOC Twilio", not a 32-hex id.
import { untrack } from 'svelte';
import { call, on } from '../api.ts';

class CarrierNames {
  #byCluster = $state.raw<Record<string, Record<string, string>>>({});
  #loading = new Set<string>();

  constructor() {
    on('drafts.changed', () => this.#reloadAll());
  }

  /** The carrier's name in that cluster and scope, else undefined (never pulled there). */
  name(cluster: string, scope: string, id: string): string | undefined {
    const names = this.#byCluster[cluster];
    if (!names && cluster) queueMicrotask(() => void this.load(cluster));
    return names?.[`${scope}/${id}`];
  }

  async load(cluster: string): Promise<void> {
    if (this.#loading.has(cluster)) return;
    this.#loading.add(cluster);
    const r = await call('resources.list', { cluster });
    this.#loading.delete(cluster);
    const names: Record<string, string> = {};
    if (r.ok) for (const i of r.value) names[`${i.scope}/${i.resourceId}`] = i.name;
    this.#byCluster = { ...untrack(() => this.#byCluster), [cluster]: names };
  }

  /** After a pull: the names of that cluster are read again. */
  refresh(cluster: string): void {
    void this.load(cluster);
  }

  #reloadAll(): void {
    for (const c of Object.keys(untrack(() => this.#byCluster))) void this.load(c);
  }
}

export const carrierNames = new CarrierNames();

// The routing data Crossbar exposes (routing-spec §10): the classifier table in runtime order
// (phone_numbers/classifiers), the stepswitch and number_manager system configs, an account's ancestors. Replies are
// returned as sent (with the reply text's key order where it matters); their shape is checked by the caller.
import { p, envelopeOf, type Caller } from '../caller.ts';
import type { CallOptions } from '../types.ts';
import { orderedData, type OrderedData } from '../ordered-json.ts';

export interface RoutingApi {
  /** GET /v2/accounts/{A}/phone_numbers/classifiers: available_classifiers/0 in stored order (§3.2). */
  classifiers(accountId: string, opts?: CallOptions): Promise<OrderedData>;
  /** GET /v2/system_configs/{id} (super-duper admins only). */
  systemConfig(id: string, opts?: CallOptions): Promise<OrderedData>;
  /** GET /v2/accounts/{A}/parents: the account's ancestors, root first (`data` as sent). */
  parents(accountId: string, opts?: CallOptions): Promise<unknown>;
}

export function routingApi(c: Caller): RoutingApi {
  const ordered = async (path: string, opts?: CallOptions): Promise<OrderedData> => {
    const reply = await c.call({ method: 'GET', path, signal: opts?.signal });
    const env = envelopeOf(reply);
    return orderedData(reply.text ?? '', env.data, env.version);
  };
  return {
    classifiers: (accountId, opts) => ordered(p`/v2/accounts/${accountId}/phone_numbers/classifiers`, opts),
    systemConfig: (id, opts) => ordered(p`/v2/system_configs/${id}`, opts),
    parents: (accountId, opts) => c.data({ method: 'GET', path: p`/v2/accounts/${accountId}/parents`, signal: opts?.signal }),
  };
}

// Reads remote documents for pull and plan: GET with If-None-Match on the known revision (304 = unchanged, no
// body), 404 = absent; the first "did not answer" error marks the cluster offline for the rest of the batch.
import { AppError, toErrorValue } from '../errors.ts';
import { NotFoundError, type KazooClient, type Scope } from '../kazoo/index.ts';
import { scopeBase } from '../kazoo/api/resource-paths.ts';
import type { JsonObject } from '../drafts/canonical.ts';
import type { ErrorValue } from '../../shared/result.ts';

export const OFFLINE_CODES = new Set(['unreachable', 'network', 'timeout', 'tls']);

export type Fetched =
  | { state: 'found'; doc: JsonObject; revision: string; requestId?: string }
  | { state: 'unchanged' }
  | { state: 'absent' }
  | { state: 'error'; error: ErrorValue; offline: boolean };

export function isOffline(e: unknown): boolean {
  return e instanceof AppError && OFFLINE_CODES.has(e.code);
}

/** One resource; `knownRevision` turns the GET into a conditional one. */
export async function fetchResource(client: KazooClient, scope: Scope, id: string, knownRevision: string | null): Promise<Fetched> {
  try {
    if (knownRevision && (scope.kind === 'global' || client.resourceNoun())) {
      const path = scopeBase(scope, client.resourceNoun() ?? 'resources') + '/' + encodeURIComponent(id);
      const reply = await client.request<JsonObject>({ method: 'GET', path, headers: { 'if-none-match': `"${knownRevision}"` } });
      if (reply.notModified) return { state: 'unchanged' };
      const data = reply.envelope?.data;
      if (data && typeof data === 'object' && !Array.isArray(data) && reply.revision) {
        return { state: 'found', doc: data as JsonObject, revision: reply.revision, requestId: reply.requestId };
      }
    }
    const got = await client.resources.get(scope, id);
    return { state: 'found', doc: got.doc, revision: got.revision ?? '', requestId: got.requestId };
  } catch (e) {
    if (e instanceof NotFoundError && !e.endpointMissing) return { state: 'absent' };
    if (e instanceof NotFoundError && e.kazooMessage === 'bad_identifier') return { state: 'absent' };
    return { state: 'error', error: toErrorValue(e), offline: isOffline(e) };
  }
}

// The remote side of one outbox row: create (with the row's client-chosen id), update (If-Match) or delete, each
// safe to repeat. A resumed row looks before it writes, a 412 on a retried update is accepted only when the cluster
// holds what we sent, a 409 on a create is told apart (our earlier attempt / our id with other content / a deleted
// carrier keeping the id), and a create planned without a look at its scope looks for the same carrier first.
import { ConflictError, containsSent, NotFoundError, PreconditionFailedError, type KazooClient, type Scope } from '../kazoo/index.ts';
import type { OutboxRow } from '../db/repos/outbox-repo.ts';
import type { JsonObject } from '../drafts/canonical.ts';
import { matchExisting, type ExistingMatch } from './existing.ts';

export interface Done {
  doc: JsonObject | null;
  revision: string | null;
  requestId: string | null;
}

/** What the draft's carrier is known as, for the look a create makes before it is sent. */
export interface Around {
  knownIds: Set<string>;
  bound: Map<string, string>;
}

export async function sendRow(client: KazooClient, scope: Scope, row: OutboxRow, sent: JsonObject | null, around: () => Around): Promise<Done> {
  const id = row.remote_id;
  const resumed = row.attempts > 1;
  const current = async () => {
    try {
      return await client.resources.get(scope, id);
    } catch (e) {
      if (e instanceof NotFoundError && !e.endpointMissing) return null;
      throw e;
    }
  };
  if (row.op === 'create') {
    if (resumed) {
      const got = await current();
      if (got) return { doc: got.doc, revision: got.revision ?? null, requestId: got.requestId };
    }
    if (row.check_existing === 1) {
      // Planned while the cluster did not answer: nobody looked at what the scope holds. Our own id is not a match
      // (an earlier attempt of this row; the PUT below sorts that out).
      const a = around();
      const items = (await client.resources.list(scope)).filter((i) => i.id !== id);
      const m = matchExisting(items, sent?.name, a.knownIds, a.bound);
      if (m.byId || m.byName.length > 0) throw new ExistingCarrier(m);
    }
    try {
      const created = await client.resources.create(scope, { ...sent!, id });
      return { doc: created.doc, revision: created.revision ?? null, requestId: created.requestId };
    } catch (e) {
      // 409: the id is taken (crossbar-spec §1.5). The client already accepted an earlier attempt of ours holding
      // what we send; what is left is our id holding other content (an earlier attempt sent an older draft), or a
      // deleted resource keeping the id.
      if (!(e instanceof ConflictError)) throw e;
      throw new CreateClash(e, await current());
    }
  }
  if (row.op === 'update') {
    try {
      const r = await client.resources.update(scope, id, { ...sent! }, { ifMatch: row.expected_revision ?? '*' });
      return { doc: r.doc, revision: r.revision ?? null, requestId: r.requestId };
    } catch (e) {
      // A retried POST whose first attempt was stored answers 412: accept it only if the cluster holds what we sent.
      if (!(e instanceof PreconditionFailedError)) throw e;
      const got = await current();
      if (got && containsSent(got.doc, sent)) return { doc: got.doc, revision: got.revision ?? null, requestId: got.requestId };
      throw e;
    }
  }
  try {
    const r = await client.resources.delete(scope, id, row.expected_revision ? { ifMatch: row.expected_revision } : {});
    return { doc: null, revision: null, requestId: r.requestId };
  } catch (e) {
    if (e instanceof NotFoundError && !e.endpointMissing) return { doc: null, revision: null, requestId: null };
    if (e instanceof PreconditionFailedError && (await current()) === null) return { doc: null, revision: null, requestId: null };
    throw e;
  }
}

/** A create that would duplicate a carrier the scope already holds (found by the look before sending). */
export class ExistingCarrier extends Error {
  constructor(readonly match: ExistingMatch) {
    super('exists');
  }

  reason(where: string): string {
    if (this.match.byId) {
      return `${where} already has this carrier (id ${this.match.byId.id}, the id it has on another target): the target is now bound to it and nothing was created. Plan again to see the update.`;
    }
    const list = this.match.byName.map((e) => `'${e.name}' (id ${e.id})`).join(', ');
    return `${where} already has a carrier of this name: ${list}. Kazoo does not refuse a second one (crossbar-spec §1.5), so nothing was created: plan again to bind this target to it, or confirm a second carrier.`;
  }
}

/** Why an If-Match was refused, as recorded on the row and the target (also how a follower recognises it). */
export const STALE_REASON = 'The resource changed on the cluster since the plan (If-Match refused); run plan again.';

/** A create answered 409 that is not our own earlier attempt: `found` is what holds our id (null: a deleted resource). */
export class CreateClash extends Error {
  constructor(
    readonly conflict: ConflictError,
    readonly found: { doc: JsonObject; revision?: string | undefined } | null,
  ) {
    super(conflict.message);
  }

  reason(id: string): string {
    return this.found
      ? `The id ${id} already holds this carrier with other content (sent by an earlier attempt); run plan again to see the update it needs.`
      : `The id ${id} is kept by a deleted carrier on the cluster (crossbar-spec §1.9); run apply again to create it under a new id.`;
  }
}

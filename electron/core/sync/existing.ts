// Carriers that already exist where an unbound target would create one (issue 14 item 7). Kazoo checks only the
// id of a create, never its name (crossbar-spec §1.5: a used id answers 409, a name is free), so a draft copied from
// one cluster and targeted at another where the carrier already lives would be created a second time.
// - Same id as the draft's carrier on another of its targets: it is that carrier; the target binds to it.
// - Same name (compared as Kazoo's own pvt_alphanum_name, lower-cased letters and digits, §1.5 step 6), other id:
//   probably the same carrier; the target is blocked until the person binds it or asks for a second one.
// Pure matching here; the plan feeds it a fresh listing, the matrix and `targets add` the stored snapshots.

export interface ExistingItem {
  id: string;
  name: string;
}

export interface ExistingMatch {
  /** The resource with an id the draft's carrier has on another target: bind to it. */
  byId: ExistingItem | null;
  /** Resources with the same name and another id (those already bound to another draft say which). */
  byName: (ExistingItem & { boundTo?: string })[];
}

/** Kazoo's pvt_alphanum_name: the name lower-cased, letters and digits only (crossbar-spec §1.5 step 6). */
export function alphanumName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * What in `items` (one scope's resources) the draft's carrier already is. `knownIds`: the ids of the draft's
 * resources on its other targets; `bound`: resource id → name of the draft whose target is bound to it (a resource
 * another draft manages is never bound automatically).
 */
export function matchExisting(
  items: readonly { id: string; name?: string | undefined }[],
  name: unknown,
  knownIds: ReadonlySet<string>,
  bound: ReadonlyMap<string, string>,
): ExistingMatch {
  const hit = items.find((i) => knownIds.has(i.id) && !bound.has(i.id));
  const key = typeof name === 'string' ? alphanumName(name) : '';
  const byName =
    hit || !key
      ? []
      : items
          .filter((i) => alphanumName(i.name ?? '') === key)
          .map((i) => ({ id: i.id, name: i.name ?? '', ...(bound.has(i.id) ? { boundTo: bound.get(i.id)! } : {}) }));
  return { byId: hit ? { id: hit.id, name: hit.name ?? '' } : null, byName };
}

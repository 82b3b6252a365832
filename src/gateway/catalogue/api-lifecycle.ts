import type { Lifecycle } from './catalogue.types.ts';

/*
 * An API's lifecycle (DESIGN.md, domain model): `draft` → `published` → `deprecated` → `retired`.
 *
 * - `draft` → `published`: it is routed from now on.
 * - `published` → `deprecated`: it keeps answering, with `Deprecation`, `Sunset` (RFC 8594) and a
 *   successor link; the sunset must lie in the future, the successor (optional) must be published.
 * - `deprecated` → `deprecated`: the sunset is moved (or the successor changed), same rules.
 * - `deprecated` → `published`: the deprecation is withdrawn; sunset and successor are cleared.
 * - `deprecated` → `retired`: it answers 410 from now on, even before its sunset (an operator may
 *   have to pull an API early, e.g. for a security flaw).
 *
 * Refused on purpose: `published` → `retired`, because callers would lose an API no response had
 * warned them about (deprecate it first, with a sunset, so they are told); anything out of
 * `retired`, which is final (publish a new version instead); anything back to `draft`. A draft
 * that is not wanted is deleted, not retired: only `draft` and `retired` APIs may be deleted,
 * so nothing that is routed disappears without a deprecation.
 */
const TRANSITIONS: Readonly<Record<Lifecycle, readonly Lifecycle[]>> = {
  draft: ['published'],
  published: ['deprecated'],
  deprecated: ['deprecated', 'published', 'retired'],
  retired: [],
};

/** The lifecycle states an API may be deleted in: never routed, or no longer. */
export const DELETABLE_LIFECYCLES: readonly Lifecycle[] = ['draft', 'retired'];

/** True when an API may move from `from` to `to`. */
export function canTransition(from: Lifecycle, to: Lifecycle): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * The legal moves that take an API from `from` to `to`, shortest first (`draft` → `deprecated`
 * goes through `published`); empty when it is there already, undefined when it can never get there.
 * Declarative config uses it to reach the state a file asks for.
 */
export function lifecyclePath(from: Lifecycle, to: Lifecycle): Lifecycle[] | undefined {
  if (from === to) return [];
  const queue: Array<{ at: Lifecycle; path: Lifecycle[] }> = [{ at: from, path: [] }];
  const seen = new Set<Lifecycle>([from]);
  while (queue.length > 0) {
    const { at, path } = queue.shift()!;
    for (const next of TRANSITIONS[at]) {
      if (next === to) return [...path, next];
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push({ at: next, path: [...path, next] });
    }
  }
  return undefined;
}

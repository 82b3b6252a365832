/*
 * Lists the admin API pages through, by id (keyset pagination): a page is the first `limit` rows
 * whose id sorts after the last one seen, so rows added or removed meanwhile never shift a page.
 */

/** Which page: at most `limit` rows, after the row whose id is `after` (the first page without it). */
export interface PageRequest {
  limit: number;
  after: string | undefined;
}

/** One page, and the id to ask the next one after (null on the last page). */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/** A page from `limit + 1` rows read in id order: the extra row only says there is more. */
export function pageOf<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? items.at(-1)!.id : null };
}

/** A page of a list: which one, of how many. */
export interface Paging {
  page: number;
  totalPages: number;
  /** When the first and last items the partner may read were booked (transactions). */
  available?: { first: Date; last: Date };
}

function pageUrl(self: string, page: number): string {
  const url = new URL(self);
  if (page === 1) url.searchParams.delete('page');
  else url.searchParams.set('page', String(page));
  return url.href;
}

/**
 * A Read/Write API read answer: `Data`, `Links` (absolute, where the partner called) and `Meta`.
 * A paged list links to its first, previous, next and last pages, each the same request with
 * another `page`, and says how many pages there are (`Meta.TotalPages`) and, where it knows, the
 * span of what may be read (`Meta.FirstAvailableDateTime`, `LastAvailableDateTime`).
 */
export function readResponse(self: string, data: Record<string, unknown>, paging: Paging = { page: 1, totalPages: 1 }): Record<string, unknown> {
  const { page, totalPages, available } = paging;
  const links = totalPages === 1 ? { Self: self } : {
    Self: self,
    First: pageUrl(self, 1),
    ...(page > 1 && { Prev: pageUrl(self, page - 1) }),
    ...(page < totalPages && { Next: pageUrl(self, page + 1) }),
    Last: pageUrl(self, totalPages),
  };
  const span = available && { FirstAvailableDateTime: available.first.toISOString(), LastAvailableDateTime: available.last.toISOString() };
  return { Data: data, Links: links, Meta: { TotalPages: totalPages, ...span } };
}

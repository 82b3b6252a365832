/*
 * A composite route answers with what its deprecated parts would have said (`lifecycleHeaders`):
 * the caller depends on those APIs through it, and the answer stops being whole when the first of
 * them is retired. So it carries the earliest `Deprecation` (RFC 9745) and `Sunset` (RFC 8594)
 * among its own and its parts'. A part's successor is not the composite route's: its `Link` stays.
 */

type Headers = Readonly<Record<string, unknown>>;

function earliest(values: unknown[], time: (value: string) => number): string | undefined {
  let found: { value: string; at: number } | undefined;
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const at = time(value);
    if (Number.isFinite(at) && (found === undefined || at < found.at)) found = { value, at };
  }
  return found?.value;
}

/** The earliest `Deprecation` and `Sunset` of these header sets (lower-case names, as Node keeps them). */
export function soonestLifecycleHeaders(headerSets: readonly Headers[]): Record<string, string> {
  const deprecation = earliest(headerSets.map((headers) => headers['deprecation']), (value) => Number(/^@(-?\d+)$/.exec(value)?.[1] ?? Number.NaN));
  const sunset = earliest(headerSets.map((headers) => headers['sunset']), (value) => Date.parse(value));
  return { ...(deprecation ? { Deprecation: deprecation } : {}), ...(sunset ? { Sunset: sunset } : {}) };
}

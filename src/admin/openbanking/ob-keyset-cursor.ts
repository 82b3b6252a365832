/*
 * The Open Banking lists page by (instant, id): the admin API's cursor (`read-list-query.ts`
 * base64url-encodes whatever string a page hands out) and the console's `after` carry both,
 * joined by a newline, which neither holds.
 */

export function keysetCursor(exactInstant: string, id: string): string {
  return `${exactInstant}\n${id}`;
}

// How PostgreSQL writes a timestamptz as text (DateStyle ISO): `2026-12-06 20:40:01.123456+00`.
const STORE_INSTANT = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d){0,2}$/;

/** The instant and id a cursor names; undefined for one no page handed out. */
export function readKeysetCursor(cursor: string): { instant: string; id: string } | undefined {
  const [instant, id, ...rest] = cursor.split('\n');
  if (!instant || !id || rest.length > 0 || !STORE_INSTANT.test(instant)) return undefined;
  return { instant, id };
}

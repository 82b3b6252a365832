/*
 * RFC 9110 §7.6.1: a proxy removes the headers that describe its own connection before it forwards
 * a message, both ways: `Connection`, every header `Connection` names, and the connection-specific
 * fields RFC 9110 and RFC 9112 list (`Keep-Alive`, `Proxy-Connection` still sent by old clients,
 * `Proxy-Authenticate`, `Proxy-Authorization`, `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade`).
 * undici frames the body again on its own connection, so `Content-Length` stays.
 */

/** A header record as Node and undici give them: names in lower case, repeated fields as arrays. */
export type HeaderRecord = Record<string, string | string[] | undefined>;

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

const NONE: ReadonlySet<string> = new Set();

function namedByConnection(connection: string | string[] | undefined): ReadonlySet<string> {
  // What nearly every message says; both options are hop-by-hop already. Every call asks twice.
  if (connection === undefined || connection === 'keep-alive' || connection === 'close') return NONE;
  const named = new Set<string>();
  for (const value of Array.isArray(connection) ? connection : [connection]) {
    for (const token of value.split(',')) named.add(token.trim().toLowerCase());
  }
  return named;
}

/**
 * A copy of `headers` without hop-by-hop fields, names lower-cased, and without the fields named
 * in `alsoRemove` (lower case).
 */
export function withoutHopByHop(headers: HeaderRecord, alsoRemove: ReadonlySet<string> = NONE): Record<string, string | string[]> {
  const named = namedByConnection(headers['connection']);
  const kept: Record<string, string | string[]> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named.has(lower) || alsoRemove.has(lower)) continue;
    kept[lower] = value;
  }
  return kept;
}

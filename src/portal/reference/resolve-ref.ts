/** A JSON object, as OpenAPI documents are made of. */
export type JsonObject = Record<string, unknown>;

export const isJsonObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

// A chain of references this long is a loop (or a document not worth following).
const MAX_HOPS = 16;

const unescapePointer = (token: string) => decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');

/**
 * Follows `$ref` within the document (`#/components/schemas/OBAccount6`, RFC 6901 pointers) until
 * an object that is not a reference: undefined for a reference to another document, one that
 * leads nowhere, or a loop of references. OpenAPI documents in the catalogue are self-contained
 * (the admin API stores what it was given), so external references are not fetched.
 *
 * @example
 * resolveRef(document, { $ref: '#/components/parameters/AccountId' }); // { name: 'AccountId', in: 'path', … }
 */
export function resolveRef(document: JsonObject, node: unknown): JsonObject | undefined {
  let current = node;
  for (let hops = 0; isJsonObject(current) && typeof current['$ref'] === 'string'; hops += 1) {
    const ref = current['$ref'];
    if (hops === MAX_HOPS || !ref.startsWith('#/')) return undefined;
    current = ref.slice(2).split('/').map(unescapePointer).reduce<unknown>((at, key) => (isJsonObject(at) ? at[key] : undefined), document);
  }
  return isJsonObject(current) ? current : undefined;
}

/** A string member of an object, or undefined. */
export function stringOf(object: JsonObject | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Whether PostgreSQL can hold `text` as the text it is: no NUL (text columns and jsonb refuse
 * U+0000: `invalid byte sequence for encoding "UTF8": 0x00`) and no unpaired UTF-16 surrogate,
 * which has no UTF-8 form (RFC 3629 §3), so the driver would store U+FFFD instead and the value
 * read back would differ from the one checked.
 */
export function isStorableText(text: string): boolean {
  return text.isWellFormed() && !text.includes('\u0000');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * `bytes` as text, or undefined when they are not UTF-8 (an overlong form such as `C0 80`, a lone
 * `FF`, an encoded surrogate: RFC 3629 §3). A BOM is kept, as `Buffer#toString` keeps it.
 */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Percent-decodes a path segment, or (`plusIsSpace`) a query or form component, as Koa's router and
 * Node's querystring do, but strictly: undefined when the octets are not UTF-8 (`%C0`, `%FF`,
 * `%ED%A0%80`), where those would quietly substitute U+FFFD or keep the escapes. A `%` without two
 * hex digits after it stays literal, as they keep it.
 */
export function decodeComponent(raw: string, plusIsSpace: boolean): string | undefined {
  // Most components (a client_assertion, a scope) have nothing to decode.
  if (!raw.includes('%') && !(plusIsSpace && raw.includes('+'))) return raw;
  const spaced = plusIsSpace ? raw.replaceAll('+', ' ') : raw;
  try {
    return decodeURIComponent(spaced.replace(/%(?![0-9a-f]{2})/gi, '%25'));
  } catch {
    return undefined;
  }
}

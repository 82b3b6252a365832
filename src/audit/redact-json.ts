/** What a redacted field's value becomes. */
export const REDACTED = '[redacted]';

// What JSON.parse makes (and `Object.create(null)`); a Date or Buffer is left as it is.
function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A copy of a JSON value (a captured request or response body) with the value of every member
 * named in `fieldNames`, at any depth and inside arrays, replaced by `"[redacted]"`, whatever it
 * was (an object or array goes whole). Names match regardless of case, so that `Password` is
 * redacted along with `password`: leaking a secret costs more than hiding a harmless field. The
 * value given is left as it is.
 *
 * @example
 * redactJson({ user: 'ann', Credentials: { pin: '1234' }, items: [{ iban: 'GB29…' }] }, ['credentials', 'iban']);
 * // { user: 'ann', Credentials: '[redacted]', items: [{ iban: '[redacted]' }] }
 */
export function redactJson(value: unknown, fieldNames: readonly string[]): unknown {
  const names = new Set(fieldNames.map((name) => name.toLowerCase()));
  const redact = (member: unknown): unknown => {
    if (Array.isArray(member)) return member.map(redact);
    if (member === null || typeof member !== 'object' || !isPlainObject(member)) return member;
    return Object.fromEntries(Object.entries(member).map(([key, inner]) => [key, names.has(key.toLowerCase()) ? REDACTED : redact(inner)]));
  };
  return redact(value);
}

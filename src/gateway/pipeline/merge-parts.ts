import { OMITTED_PARTS_MEMBER } from '../catalogue/catalogue.types.ts';
import type { PartAnswer } from './call-part.ts';

// Refusals the caller can act on (credentials, scopes, limits): a failing part passes them on as they came.
const PASSED_ON = new Set([401, 403, 429]);

// What the gateway makes of a part that answered 2xx with something other than JSON.
const NOT_JSON = 502;

export type Merged =
  | { merged: Record<string, unknown> }
  /** The call fails with this part's own refusal. */
  | { refused: PartAnswer }
  /** The call fails as a whole (502), naming this part. */
  | { failed: string };

function jsonOf(answer: PartAnswer): { value: unknown } | { status: number } {
  if (answer.status < 200 || answer.status > 299 || answer.body === undefined) return { status: answer.status };
  if (answer.body.length === 0) return { value: null };
  try {
    return { value: JSON.parse(answer.body.toString('utf8')) };
  } catch {
    return { status: NOT_JSON };
  }
}

/**
 * Merges the parts' JSON into one object, each under its name, in the order the route lists them.
 * A part fails when it answers anything but 2xx JSON: with `fail`, the first that failed decides
 * (its 401, 403 or 429 passed on, anything else a 502 naming it); with `omit`, it is left out and
 * `_errors` lists `{ name, status }` of each one left out.
 *
 * @example
 * mergeParts([clinic, doctors], 'omit') // { merged: { clinic: {...}, _errors: [{ name: 'doctors', status: 504 }] } }
 */
export function mergeParts(answers: readonly PartAnswer[], onPartFailure: 'fail' | 'omit'): Merged {
  const merged: Record<string, unknown> = {};
  const omitted: Array<{ name: string; status: number }> = [];
  for (const answer of answers) {
    const json = jsonOf(answer);
    if ('value' in json) {
      merged[answer.name] = json.value;
    } else if (onPartFailure === 'omit') {
      omitted.push({ name: answer.name, status: json.status });
    } else {
      return PASSED_ON.has(json.status) ? { refused: answer } : { failed: answer.name };
    }
  }
  return { merged: omitted.length ? { ...merged, [OMITTED_PARTS_MEMBER]: omitted } : merged };
}

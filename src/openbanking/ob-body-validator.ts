import { readFileSync } from 'node:fs';

import { Ajv, type DefinedError, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';

import { ObError, badRequest, type ObErrorDetail } from './ob-error.ts';

/*
 * Checks a consent request body against the Open Banking Read/Write API v3.1.11 OpenAPI schema of
 * its endpoint (the copies in `openapi/`, see SOURCE.md there), so that services only ever see a
 * body the spec allows, and a TPP learns every fault of its request in one OB error response.
 *
 * Dates: `format: date-time` in OpenAPI 3.0 is RFC 3339 §5.6 `date-time`, which requires a UTC
 * offset, and ajv-formats checks it that way. We keep that: an expiry or execution time without a
 * zone is ambiguous by an hour half the year in the UK, and a bank must not guess when a consent
 * ends or a payment runs.
 */

/** The Read/Write API specs whose schemas request bodies are checked against. */
export type ObSpec = 'account-info' | 'payment-initiation' | 'confirmation-funds';

/** More errors than this help nobody and only grow the response. */
const MAX_ERRORS = 20;
/** OBError1.Message and OBError1.Path allow 500 characters. */
const MAX_TEXT = 500;
/** Formats whose failure is `UK.OBIE.Field.InvalidDate` rather than `Field.Invalid`. */
const DATE_FORMATS = new Map([
  ['date-time', 'must be a date-time with a time zone, such as 2017-04-05T10:43:07+00:00'],
  ['date', 'must be a date such as 2017-04-05'],
]);

/** Every error this module makes names the field it is about. */
type FieldError = ObErrorDetail & { Path: string };

let ajv: Ajv | undefined;
const loadedSpecs = new Set<ObSpec>();

/**
 * Returns a function that checks a parsed request body against `#/components/schemas/<schema>` of
 * a v3.1.11 spec and returns it typed, or throws `ObError(400)` listing what is wrong (at most 20
 * entries, one per field). The schema is compiled here, when the route is built, so a misspelt
 * name fails at start-up rather than on a request; each spec file is read once.
 *
 * @example
 * const validateReadConsent = obBodyValidator<ObReadConsent1>('account-info', 'OBReadConsent1');
 * const consent = validateReadConsent(ctx.request.body); // ObReadConsent1, or throws ObError
 */
export function obBodyValidator<T>(spec: ObSpec, schema: string): (body: unknown) => T {
  const validate = compileSchema(spec, schema);
  return function validateObBody(body) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw badRequest('UK.OBIE.Resource.InvalidFormat', 'The request body must be a JSON object');
    }
    if (!validate(body)) throw new ObError(400, toObErrors(validate.errors as DefinedError[], body));
    return body as T;
  };
}

/** Ajv keeps what `getSchema` compiles, so each schema is compiled once however often asked for. */
function compileSchema(spec: ObSpec, schema: string): ValidateFunction {
  // OpenAPI 3.0 schemas carry keywords JSON Schema does not know (`example`, `x-namespaced-enum`).
  // ajv-formats is CommonJS: under `nodenext` its default import types as the module object.
  ajv ??= ajvFormats.default(new Ajv({ allErrors: true, strict: false }));
  if (!loadedSpecs.has(spec)) {
    const document = JSON.parse(readFileSync(new URL(`openapi/${spec}-openapi.json`, import.meta.url), 'utf8')) as { components: object };
    // Only the components: every `$ref` in a schema points at `#/components/schemas/…`.
    ajv.addSchema({ components: document.components }, spec);
    loadedSpecs.add(spec);
  }
  const validate = ajv.getSchema(`${spec}#/components/schemas/${schema}`);
  if (!validate) throw new Error(`The ${spec} spec has no schema ${schema}`);
  return validate;
}

/*
 * With `allErrors` Ajv reports every failed keyword of a value: a number among the Permissions
 * fails both `type` and `enum`. A TPP fixes fields, not keywords, so we keep the first failure of
 * each field (Ajv checks `type` first, so that is the most basic one). Ajv's other source of
 * noise, one error per failed branch of a `oneOf`/`anyOf`, cannot arise: none of the three
 * v3.1.11 spec files uses a combinator; a later spec that does needs them collapsed here too.
 */
function toObErrors(errors: readonly DefinedError[], body: object): ObErrorDetail[] {
  const byPath = new Map<string, FieldError>();
  for (const error of errors) {
    const fieldError = toObError(error, body);
    if (!byPath.has(fieldError.Path)) byPath.set(fieldError.Path, fieldError);
    if (byPath.size === MAX_ERRORS) break;
  }
  return [...byPath.values()];
}

function toObError(error: DefinedError, body: object): FieldError {
  const at = dottedPath(error.instancePath, body);
  const dateRule = error.keyword === 'format' ? DATE_FORMATS.get(error.params.format) : undefined;
  if (dateRule) return detail('UK.OBIE.Field.InvalidDate', at, dateRule);
  switch (error.keyword) {
    case 'required':
      return detail('UK.OBIE.Field.Missing', joinPath(at, error.params.missingProperty), 'is missing');
    case 'additionalProperties':
      return detail('UK.OBIE.Field.Unexpected', joinPath(at, error.params.additionalProperty), 'is not allowed here');
    case 'pattern':
      return detail('UK.OBIE.Field.Invalid', at, `must match pattern ${error.params.pattern}`);
    case 'enum':
      return detail('UK.OBIE.Field.Invalid', at, `must be one of ${error.params.allowedValues.join(', ')}`);
    default:
      // Ajv's own words (must be string, must NOT have fewer than 1 characters, must match
      // format "uri") name only the rule, never the value sent, so they are safe to return.
      return detail('UK.OBIE.Field.Invalid', at, error.message ?? 'is invalid');
  }
}

function detail(ErrorCode: ObErrorDetail['ErrorCode'], path: string, rule: string): FieldError {
  return { ErrorCode, Message: clip(`${path} ${rule}`), Path: clip(path) };
}

/** `/Data/Permissions/2` to `Data.Permissions[2]`, told apart from a key "2" by the body itself. */
function dottedPath(pointer: string, body: object): string {
  let path = '';
  let node: unknown = body;
  for (const segment of pointer.split('/').slice(1)) {
    const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    path = Array.isArray(node) ? `${path}[${key}]` : joinPath(path, key);
    node = (node as Record<string, unknown>)[key];
  }
  return path;
}

function joinPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Property names come from the client, so a path can be any length. */
function clip(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT - 1)}…`;
}

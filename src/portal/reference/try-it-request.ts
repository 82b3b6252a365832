import type { AuthKind, HttpMethod } from '../../gateway/catalogue/catalogue.types.ts';
import type { FieldError, FormReading } from '../../shared/read-form.ts';
import type { OperationReference, ParameterReference } from './operation-reference.ts';

/*
 * The try-it form, read into the one request the portal will send for the developer. Nothing in it
 * chooses where the request goes: the address is the gateway's base URL, the API's base path and
 * the operation's own path template (found by the page's name, never read from the form), with
 * each path parameter percent-encoded into its segment (RFC 3986 §3.3) and dot segments refused,
 * so no value can climb out of the operation, let alone off the gateway (no SSRF).
 */

/** What the try-it form asks for beyond the operation's parameters. */
export interface TryItTarget {
  gatewayBaseUrl: string;
  basePath: string;
  authKind: AuthKind;
  /** The header an `api-key` API reads its key from. */
  apiKeyHeader: string;
}

export interface TryItRequest {
  method: HttpMethod;
  url: URL;
  headers: Record<string, string>;
  body: string | undefined;
}

/** The form's field holding the developer's API key or access token; never shown again, logged or put in an address. */
export const CREDENTIAL_FIELD = 'credential';
export const BODY_FIELD = 'body';

const MAX_VALUE_LENGTH = 2_000;
// What a header value may hold (RFC 9110 §5.5): visible characters, spaces and tabs, no line breaks.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\uffff]*$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

function parameterError(parameter: ParameterReference, value: string): string | undefined {
  const label = `${parameter.in} parameter ${parameter.name}`;
  if (!value) return parameter.required ? `Enter the ${label}` : undefined;
  if (value.length > MAX_VALUE_LENGTH) return `Enter at most ${MAX_VALUE_LENGTH} characters for the ${label}`;
  if (!FIELD_VALUE.test(value)) return `Enter the ${label} without line breaks or control characters`;
  if (parameter.in === 'path' && (value === '.' || value === '..')) return `Enter a value other than "${value}" for the ${label}`;
  if (parameter.enum && !parameter.enum.includes(value)) return `Choose one of the values listed for the ${label}`;
  if (/^integer/.test(parameter.type) && !/^-?\d+$/.test(value)) return `Enter a whole number for the ${label}`;
  if (/^number/.test(parameter.type) && !NUMBER.test(value)) return `Enter a number for the ${label}`;
  return undefined;
}

function credentialError(authKind: AuthKind, value: string): string | undefined {
  const what = authKind === 'api-key' ? 'one of your application\'s API keys' : 'an access token';
  if (!value) return `Paste ${what}`;
  return value.length > MAX_VALUE_LENGTH || !/^[\x21-\x7e]+$/.test(value) ? `Paste ${what}, without spaces or line breaks` : undefined;
}

function bodyError(operation: OperationReference, body: string): string | undefined {
  const requestBody = operation.requestBody!;
  if (!body.trim()) return requestBody.required ? 'Enter the request body' : undefined;
  if (!/json/i.test(requestBody.contentType)) return undefined;
  try {
    JSON.parse(body);
    return undefined;
  } catch (error) {
    return `Enter the request body as JSON: ${(error as Error).message}`;
  }
}

function credentialHeaders(target: TryItTarget, credential: string): Record<string, string> {
  if (target.authKind === 'api-key') return { [target.apiKeyHeader]: credential };
  if (target.authKind === 'oauth2') return { authorization: `Bearer ${credential}` };
  return {};
}

/** The operation's address on the gateway with the path parameters in place; throws if it is not under the API's base path there. */
function addressOf(target: TryItTarget, operation: OperationReference, values: ReadonlyMap<ParameterReference, string>): URL {
  let path = operation.path;
  for (const [parameter, value] of values) if (parameter.in === 'path') path = path.replaceAll(`{${parameter.name}}`, encodeURIComponent(value));
  const url = new URL(`${target.gatewayBaseUrl}${target.basePath}${path}`);
  for (const [parameter, value] of values) if (parameter.in === 'query' && value) url.searchParams.append(parameter.name, value);
  // Defence in depth: what the checks above make impossible is also refused here.
  if (!url.href.startsWith(`${target.gatewayBaseUrl}${target.basePath}/`)) throw new Error(`try-it address ${url.pathname} left the API's base path`);
  return url;
}

/**
 * Reads a posted try-it form: the request to send, or the mistakes (beside their fields, in the
 * form's order) when anything required is missing or malformed, in which case nothing is sent.
 */
export function readTryItForm(target: TryItTarget, operation: OperationReference, form: Readonly<Record<string, string>>): FormReading<TryItRequest> {
  const errors: FieldError[] = [];
  // In the form's order: the credential, the parameters, the body.
  const credential = form[CREDENTIAL_FIELD] ?? '';
  const credentialMistake = target.authKind === 'none' ? undefined : credentialError(target.authKind, credential);
  if (credentialMistake) errors.push({ field: CREDENTIAL_FIELD, message: credentialMistake });
  const values = new Map<ParameterReference, string>();
  for (const parameter of operation.parameters) {
    if (!parameter.field) continue;
    const value = form[parameter.field] ?? '';
    const error = parameterError(parameter, value);
    if (error) errors.push({ field: parameter.field, message: error });
    values.set(parameter, value);
  }
  const body = operation.requestBody ? form[BODY_FIELD] ?? '' : '';
  const bodyMistake = operation.requestBody && bodyError(operation, body);
  if (bodyMistake) errors.push({ field: BODY_FIELD, message: bodyMistake });
  if (errors.length) return { ok: false, errors };
  const headers: Record<string, string> = { accept: 'application/json, */*;q=0.5' };
  for (const [parameter, value] of values) if (parameter.in === 'header' && value) headers[parameter.name.toLowerCase()] = value;
  // After the parameters: a documented header of the same name never replaces the credential.
  Object.assign(headers, credentialHeaders(target, credential));
  const sendsBody = operation.requestBody !== undefined && body.trim() !== '';
  if (sendsBody) headers['content-type'] = operation.requestBody!.contentType;
  return { ok: true, value: { method: operation.method, url: addressOf(target, operation, values), headers, body: sendsBody ? body : undefined } };
}

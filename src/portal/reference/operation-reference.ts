import type { GatewayApi, GatewayRoute, HttpMethod } from '../../gateway/catalogue/catalogue.types.ts';
import { markdownHtml } from './render-markdown.ts';
import { isJsonObject, resolveRef, stringOf, type JsonObject } from './resolve-ref.ts';
import { describeParameterSchema, outlineMedia, type SchemaOutline } from './schema-outline.ts';

/*
 * An API's reference, operation by operation: each of its gateway routes (what can be called),
 * documented from its OpenAPI document where the document describes the same method and path. A
 * route the document does not describe still gets a page, with its path parameters, so that it
 * can be tried.
 */

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface ParameterReference {
  name: string;
  in: ParameterLocation;
  required: boolean;
  type: string;
  notes: string[];
  enum: string[] | undefined;
  descriptionHtml: string;
  example: string | undefined;
  /** The try-it form's field for it (`path.AccountId`), or undefined when the form cannot send it. */
  field: string | undefined;
}

export interface BodyReference {
  contentType: string;
  required: boolean;
  descriptionHtml: string;
  schema: SchemaOutline;
}

export interface ResponseReference {
  status: string;
  descriptionHtml: string;
  headers: Array<{ name: string; type: string; descriptionHtml: string }>;
  body: { contentType: string; schema: SchemaOutline } | undefined;
}

export interface OperationReference {
  /** Its page's name under the API: the `operationId` when it makes a clean URL segment, else method and path. */
  key: string;
  method: HttpMethod;
  path: string;
  tag: string;
  summary: string | undefined;
  descriptionHtml: string;
  deprecated: boolean;
  parameters: ParameterReference[];
  requestBody: BodyReference | undefined;
  responses: ResponseReference[];
}

const OPERATION_ID = /^[A-Za-z0-9._~-]{1,128}$/;

// The gateway sets or strips these itself (RFC 9110 §7.6.1 hop-by-hop fields, the caller's
// credential and identity, the body's framing), so the form does not offer them.
const UNSENDABLE_HEADERS = new Set(['authorization', 'connection', 'content-length', 'content-type', 'cookie', 'host', 'transfer-encoding', 'x-api-key', 'x-portcullis-identity']);

/** The page name of an operation (`GetAccounts`, or `get-accounts-AccountId` without a usable `operationId`). */
export function operationKey(method: HttpMethod, path: string, operationId: unknown): string {
  return typeof operationId === 'string' && OPERATION_ID.test(operationId) ? operationId : `${method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, '')}`;
}

/** The first of an operation's tags, which the reference groups it under (`Operations` without one). */
export function operationTag(operation: JsonObject | undefined): string {
  const tags = Array.isArray(operation?.['tags']) ? operation['tags'] : [];
  return typeof tags[0] === 'string' && tags[0].trim() ? tags[0] : 'Operations';
}

/** The OpenAPI operation object for a method and path, if the document has one. */
export function openApiOperation(document: JsonObject | null, method: HttpMethod, path: string): JsonObject | undefined {
  const item = document && isJsonObject(document['paths']) ? resolveRef(document, document['paths'][path]) : undefined;
  return item && isJsonObject(item[method.toLowerCase()]) ? item[method.toLowerCase()] as JsonObject : undefined;
}

// JSON first: it is what the example and the try-it body are for.
function preferredMedia(content: unknown): [string, JsonObject] | undefined {
  const entries = isJsonObject(content) ? Object.entries(content).filter((entry): entry is [string, JsonObject] => isJsonObject(entry[1])) : [];
  return entries.find(([type]) => /json/i.test(type)) ?? entries[0];
}

function parametersOf(document: JsonObject, item: JsonObject | undefined, operation: JsonObject, path: string): ParameterReference[] {
  // Operation-level parameters override path-level ones of the same name and location (OpenAPI 3 §4.8.9.1).
  const declared = new Map<string, JsonObject>();
  for (const raw of [...(Array.isArray(item?.['parameters']) ? item['parameters'] : []), ...(Array.isArray(operation['parameters']) ? operation['parameters'] : [])]) {
    const parameter = resolveRef(document, raw);
    if (parameter && typeof parameter['name'] === 'string' && typeof parameter['in'] === 'string') declared.set(`${parameter['in']}:${parameter['name']}`, parameter);
  }
  for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
    if (!declared.has(`path:${name}`)) declared.set(`path:${name}`, { name, in: 'path', required: true, schema: { type: 'string' } });
  }
  return [...declared.values()].map((parameter) => {
    const name = parameter['name'] as string;
    const location = parameter['in'] as ParameterLocation;
    const sendable = location === 'path' || location === 'query' || (location === 'header' && !UNSENDABLE_HEADERS.has(name.toLowerCase()));
    const example = parameter['example'] ?? (isJsonObject(parameter['schema']) ? parameter['schema']['example'] : undefined);
    return {
      name, in: location, required: location === 'path' || parameter['required'] === true, ...describeParameterSchema(document, parameter['schema']),
      descriptionHtml: markdownHtml(parameter['description']), example: example === undefined ? undefined : String(example), field: sendable ? `${location}.${name}` : undefined,
    };
  });
}

function requestBodyOf(document: JsonObject, operation: JsonObject): BodyReference | undefined {
  const body = resolveRef(document, operation['requestBody']);
  const media = body && preferredMedia(body['content']);
  if (!body || !media) return undefined;
  return { contentType: media[0], required: body['required'] === true, descriptionHtml: markdownHtml(body['description']), schema: outlineMedia(document, media[1], true) };
}

function responsesOf(document: JsonObject, operation: JsonObject): ResponseReference[] {
  const responses = isJsonObject(operation['responses']) ? operation['responses'] : {};
  return Object.entries(responses).flatMap(([status, raw]) => {
    const response = resolveRef(document, raw);
    if (!response) return [];
    const media = preferredMedia(response['content']);
    const headers = Object.entries(isJsonObject(response['headers']) ? response['headers'] : {}).map(([name, header]) => {
      const resolved = resolveRef(document, header) ?? {};
      return { name, type: describeParameterSchema(document, resolved['schema']).type, descriptionHtml: markdownHtml(resolved['description']) };
    });
    return [{ status, descriptionHtml: markdownHtml(response['description']), headers, body: media && { contentType: media[0], schema: outlineMedia(document, media[1], false) } }];
  });
}

/** The reference page of one of the API's routes, documented from the API's OpenAPI document. */
export function operationReference(api: GatewayApi, route: GatewayRoute): OperationReference {
  const document = api.openapi ?? {};
  const operation = openApiOperation(api.openapi, route.method, route.pathTemplate) ?? {};
  const item = isJsonObject(document['paths']) ? resolveRef(document, document['paths'][route.pathTemplate]) : undefined;
  return {
    key: operationKey(route.method, route.pathTemplate, operation['operationId']), method: route.method, path: route.pathTemplate, tag: operationTag(operation),
    summary: stringOf(operation, 'summary'), descriptionHtml: markdownHtml(operation['description']), deprecated: operation['deprecated'] === true,
    parameters: parametersOf(document, item, operation, route.pathTemplate), requestBody: requestBodyOf(document, operation), responses: responsesOf(document, operation),
  };
}

/** The route of the API whose page is `key`, if any. */
export function findOperationRoute(api: GatewayApi, key: string): GatewayRoute | undefined {
  return api.routes.find((route) => operationKey(route.method, route.pathTemplate, openApiOperation(api.openapi, route.method, route.pathTemplate)?.['operationId']) === key);
}

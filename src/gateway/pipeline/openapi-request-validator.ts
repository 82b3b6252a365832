import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';

import type { GatewayApi, GatewayRoute } from '../catalogue/catalogue.types.ts';

/*
 * A route's request checked against the operation its API's OpenAPI document gives for it
 * (`paths[template][method]`): the JSON body against its `requestBody` schema, required query
 * parameters present. OpenAPI 3.1 schemas are JSON Schema 2020-12; 3.0 schemas a dialect of
 * draft 4, which Ajv's default draft reads (it knows `nullable`; the document's own keywords are
 * let through by `strict: false`). Validators are compiled once per API version of the catalogue (a reload makes new API
 * objects, and so new validators) and per route.
 */

export interface RequestProblem {
  path: string;
  message: string;
}

export interface RequestValidator {
  /** The problems of this request; empty when it conforms (or when the document describes nothing to check). */
  check(request: { query: Record<string, unknown>; body: unknown | undefined; hasBody: boolean }): RequestProblem[];
}

interface Operation {
  parameters?: Array<{ in?: string; name?: string; required?: boolean }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
}

const MAX_PROBLEMS = 20;
const byApi = new WeakMap<GatewayApi, Map<string, RequestValidator>>();

function pointer(...segments: string[]): string {
  return segments.map((segment) => segment.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
}

function describe(error: ErrorObject): RequestProblem {
  const where = `body${error.instancePath.replaceAll('/', '.')}`;
  if (error.keyword === 'required') return { path: `${where}.${(error.params as { missingProperty: string }).missingProperty}`, message: 'is required' };
  if (error.keyword === 'additionalProperties') return { path: `${where}.${(error.params as { additionalProperty: string }).additionalProperty}`, message: 'is not allowed' };
  return { path: where, message: error.message ?? 'is invalid' };
}

function compile(api: GatewayApi, route: GatewayRoute): RequestValidator {
  const document = api.openapi ?? {};
  const operation = ((document['paths'] as Record<string, Record<string, Operation>> | undefined)?.[route.pathTemplate]?.[route.method.toLowerCase()]) ?? {};
  const requiredQuery = (operation.parameters ?? []).filter((parameter) => parameter.in === 'query' && parameter.required && parameter.name).map((parameter) => parameter.name!);
  const jsonBody = operation.requestBody?.content?.['application/json'];
  let validateBody: ValidateFunction | undefined;
  if (jsonBody?.schema !== undefined) {
    const is31 = String(document['openapi'] ?? '').startsWith('3.1');
    const ajv = is31 ? new Ajv2020({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true });
    ajvFormats.default(ajv);
    // The whole document, so that the body schema's `$ref`s into components resolve.
    ajv.addSchema({ ...document, $id: 'api' });
    validateBody = ajv.compile({ $ref: `api#/${pointer('paths', route.pathTemplate, route.method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema')}` });
  }
  return {
    check({ query, body, hasBody }) {
      const problems: RequestProblem[] = requiredQuery.filter((name) => query[name] === undefined).map((name) => ({ path: `query.${name}`, message: 'is required' }));
      if (operation.requestBody?.required && !hasBody) problems.push({ path: 'body', message: 'is required' });
      if (validateBody && hasBody && !validateBody(body)) problems.push(...(validateBody.errors ?? []).map(describe));
      return problems.slice(0, MAX_PROBLEMS);
    },
  };
}

/**
 * The validator of a route, compiled on first use. Throws when the API's document cannot be
 * compiled (an operator's mistake, reported by the caller), every time, without compiling again.
 */
export function requestValidatorFor(api: GatewayApi, route: GatewayRoute): RequestValidator {
  let routes = byApi.get(api);
  if (!routes) byApi.set(api, (routes = new Map()));
  let validator = routes.get(route.id);
  if (!validator) {
    try {
      validator = compile(api, route);
    } catch (error) {
      validator = { check: () => { throw error; } };
    }
    routes.set(route.id, validator);
  }
  return validator;
}

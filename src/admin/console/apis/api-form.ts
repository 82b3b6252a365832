import type { FieldIssue } from '../../../gateway/catalogue/catalogue-errors.ts';
import type { GatewayApi } from '../../../gateway/catalogue/catalogue.types.ts';
import { namingOfOpenApi, routesOfOpenApi } from '../../../gateway/catalogue/openapi-routes.ts';
import type { FieldError } from '../../../shared/read-form.ts';
import { readOpenApiText } from './openapi-text.ts';

/*
 * The console's API form, without script: upstreams and routes are lines of text (`URL weight`,
 * `METHOD /path`), the OpenAPI document is pasted or uploaded. It becomes the body the admin API's
 * POST and PUT take, and the catalogue's service checks it as it checks theirs; its refusals are
 * put back beside the fields they concern. What the form does not show is kept: an edited API
 * keeps its settings, its OpenAPI document unless another is given, and each route's policy while
 * its method and path stay.
 */

/** The form's fields, as typed (what the page shows again after a mistake). */
export const API_FORM_FIELDS = ['name', 'version', 'basePath', 'authKind', 'upstreams', 'routes', 'openapi'] as const;

export type ApiFormReading = { ok: true; body: Record<string, unknown> } | { ok: false; errors: FieldError[] };

const DEFAULT_WEIGHT = 100;

function readUpstreams(text: string, errors: FieldError[]): Array<{ url: string; weight: number }> {
  return lines(text).flatMap(({ line, number }) => {
    const [url, weight, extra] = line.split(/\s+/);
    if (extra !== undefined || (weight !== undefined && !/^\d{1,5}$/.test(weight))) {
      errors.push({ field: 'upstreams', message: `Upstream line ${number}: write a URL and, after a space, a whole-number weight, like https://clinics.internal 90` });
      return [];
    }
    return [{ url: url!, weight: weight === undefined ? DEFAULT_WEIGHT : Number(weight) }];
  });
}

function readRoutes(text: string, errors: FieldError[]): Array<{ method: string; pathTemplate: string }> {
  return lines(text).flatMap(({ line, number }) => {
    const [method, pathTemplate, extra] = line.split(/\s+/);
    if (pathTemplate === undefined || extra !== undefined) {
      errors.push({ field: 'routes', message: `Route line ${number}: write a method and a path, like GET /clinics/{clinicId}` });
      return [];
    }
    return [{ method: method!.toUpperCase(), pathTemplate }];
  });
}

const lines = (text: string) => text.split(/\r?\n/).map((line, index) => ({ line: line.trim(), number: index + 1 })).filter(({ line }) => line !== '');

/** The document from the pasted text or the uploaded file (one of them), or undefined when neither was given. */
function readDocument(form: Record<string, string>, errors: FieldError[]): Record<string, unknown> | undefined {
  const pasted = form['openapi']?.trim() ?? '';
  const uploaded = form['openapiFile']?.trim() ?? '';
  if (pasted && uploaded) {
    errors.push({ field: 'openapi', message: 'Paste the OpenAPI document or choose its file, not both' });
    return undefined;
  }
  if (!pasted && !uploaded) return undefined;
  const read = readOpenApiText(pasted || uploaded);
  if (read.ok) return read.document;
  errors.push({ field: 'openapi', message: read.message });
  return undefined;
}

/**
 * The admin API's body for the posted form (`current`: the API being edited): routes from the
 * Routes lines, or, when there are none, from the document's operations; name, version and base
 * path from the document where left empty.
 */
export function readApiForm(form: Record<string, string>, current?: GatewayApi): ApiFormReading {
  const errors: FieldError[] = [];
  const document = readDocument(form, errors);
  const upstreams = readUpstreams(form['upstreams'] ?? '', errors);
  let routes = readRoutes(form['routes'] ?? '', errors);
  if (routes.length === 0 && document) routes = routesOfOpenApi(document);
  const suggested = document ? namingOfOpenApi(document) : { name: '', version: '', basePath: '' };
  const field = (name: 'name' | 'version' | 'basePath', missing: string) => {
    const value = form[name]?.trim() || suggested[name];
    if (!value) errors.push({ field: name, message: missing });
    return value;
  };
  const name = field('name', 'Enter the API\'s name');
  const version = field('version', 'Enter its version, like v1');
  const basePath = field('basePath', 'Enter its base path, like /clinics/v1');
  if (errors.length > 0) return { ok: false, errors: inFormOrder(errors) };
  const policies = new Map(current?.routes.map((route) => [`${route.method} ${route.pathTemplate}`, route.policy]));
  return {
    ok: true,
    body: {
      name, version, basePath, authKind: form['authKind'] ?? '', upstreams,
      openapi: document ?? current?.openapi ?? null,
      settings: current?.settings ?? {},
      routes: routes.map((route) => ({ ...route, policy: policies.get(`${route.method} ${route.pathTemplate}`) ?? {} })),
    },
  };
}

const LABELS: Readonly<Record<string, string>> = { name: 'The name', version: 'The version', basePath: 'The base path', authKind: 'The authentication', openapi: 'The OpenAPI document' };

/**
 * The service's refusals (`CatalogueInvalid` issues, by the body's paths) as the form's field
 * errors: `routes[2].pathTemplate` names the route (and is the document's fault when the routes
 * came from it), `settings.*` are the authentication's.
 */
export function apiFieldErrors(issues: readonly FieldIssue[], body: Record<string, unknown>, routesFromDocument: boolean): FieldError[] {
  const routes = body['routes'] as Array<{ method: string; pathTemplate: string }>;
  const errors = issues.map(({ path, message }): FieldError => {
    const [, member = path, index] = /^(\w+)(?:\[(\d+)\])?/.exec(path) ?? [];
    if (member === 'routes' && index !== undefined) {
      const route = routes[Number(index)]!;
      return { field: routesFromDocument ? 'openapi' : 'routes', message: `Route ${route.method} ${route.pathTemplate}: ${message}` };
    }
    if (member === 'upstreams') return { field: 'upstreams', message: index === undefined ? `Upstreams: ${message}` : `Upstream ${Number(index) + 1}: ${message}` };
    if (member === 'settings') return { field: 'authKind', message: `The API's ${path} setting is ${message}` };
    return { field: member in LABELS ? member : 'name', message: `${LABELS[member] ?? path} ${message}` };
  });
  return inFormOrder(errors);
}

/** One error per field, in the form's order; several of one field are joined. */
function inFormOrder(errors: readonly FieldError[]): FieldError[] {
  return API_FORM_FIELDS.flatMap((field) => {
    const messages = errors.filter((error) => error.field === field).map((error) => error.message);
    if (messages.length === 0) return [];
    const shown = messages.slice(0, 3).join('; ');
    return [{ field, message: messages.length > 3 ? `${shown}; and ${messages.length - 3} more` : shown }];
  });
}

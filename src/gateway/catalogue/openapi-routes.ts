import { HTTP_METHODS, type HttpMethod } from './catalogue.types.ts';

/*
 * What importing an OpenAPI document gives an API: one route per operation (OpenAPI 3.x, Paths
 * Object: each path relative to the server URL, each operation a method of its Path Item), with
 * no policy of its own; and, for the fields left empty, a name, version and base path read from
 * its `info` and first server. `trace` gives no route: the gateway forwards no TRACE. The catalogue's
 * schema still checks every template, so a path it cannot route is refused in its words.
 */

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The document's operations as routes, in the document's order. */
export function routesOfOpenApi(document: Record<string, unknown>): Array<{ method: HttpMethod; pathTemplate: string }> {
  const paths = document['paths'];
  if (!isObject(paths)) return [];
  return Object.entries(paths).flatMap(([pathTemplate, item]) => (isObject(item) ? HTTP_METHODS.filter((method) => isObject(item[method.toLowerCase()])).map((method) => ({ method, pathTemplate })) : []));
}

// A name or version as the catalogue takes them: letters, digits, ".", "_" and "-".
const slugOf = (text: unknown, max: number) => (typeof text === 'string' ? text.trim().toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '').slice(0, max) : '');

/**
 * The name (`info.title`, lower case, other characters as `-`), version (`info.version`) and base
 * path (the path of `servers[0].url`, when it has no `{variables}`) a document suggests; `''` where it
 * suggests none.
 */
export function namingOfOpenApi(document: Record<string, unknown>): { name: string; version: string; basePath: string } {
  const info = isObject(document['info']) ? document['info'] : {};
  const servers = document['servers'];
  const serverUrl = Array.isArray(servers) && isObject(servers[0]) ? servers[0]['url'] : undefined;
  let basePath = '';
  if (typeof serverUrl === 'string' && !serverUrl.includes('{')) {
    try {
      basePath = new URL(serverUrl, 'https://server.invalid').pathname.replace(/\/+$/, '');
    } catch {
      basePath = '';
    }
  }
  return { name: slugOf(info['title'], 100), version: slugOf(info['version'], 50), basePath };
}

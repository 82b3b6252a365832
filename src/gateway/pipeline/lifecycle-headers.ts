import type { GatewayApi } from '../catalogue/catalogue.types.ts';

/**
 * What every response of a deprecated API carries: `Deprecation` (RFC 9745, a structured-field
 * date: `@` and Unix seconds), `Sunset` (RFC 8594, an HTTP-date) and, when it has a successor,
 * `Link` to it with `rel="successor-version"` (RFC 5829), so that callers learn of it from any call.
 */
export function lifecycleHeaders(api: GatewayApi, successor: GatewayApi | undefined, publicBaseUrl: string): Record<string, string> {
  if (api.lifecycle !== 'deprecated') return {};
  const headers: Record<string, string> = {};
  if (api.deprecatedAt) headers['Deprecation'] = `@${Math.floor(api.deprecatedAt.getTime() / 1000)}`;
  if (api.sunsetAt) headers['Sunset'] = api.sunsetAt.toUTCString();
  if (successor && successor.lifecycle !== 'draft' && successor.lifecycle !== 'retired') headers['Link'] = `<${publicBaseUrl}${successor.basePath}>; rel="successor-version"`;
  return headers;
}

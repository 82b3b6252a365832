import type { Knex } from 'knex';

import { loadCatalogue } from '../gateway/catalogue/catalogue.service.ts';
import type { AuthKind, GatewayApi, HttpMethod, Lifecycle } from '../gateway/catalogue/catalogue.types.ts';
import { openApiOperation, operationKey, operationTag } from './reference/operation-reference.ts';

/*
 * The catalog as a developer sees it. Every API ever offered (drafts never were) is read into a
 * light record (its OpenAPI document reduced to a title, a summary and its operations' summaries);
 * the catalog shows those published or deprecated (retired ones are gone), grouped into products:
 * every version of one API name is one product, newest version first. The changelog lists them
 * all.
 */

/** An operation of a version, with the summary and tag its OpenAPI document gives it, and its reference page's name. */
export interface CatalogOperation {
  method: HttpMethod;
  path: string;
  summary: string | undefined;
  tag: string;
  key: string;
}

/** An API version as the portal knows it. */
export interface PortalApi {
  apiId: string;
  /** The API name all its versions share: `ob-account-info`. */
  name: string;
  /** Its OpenAPI `info.title`, else its name. */
  title: string;
  /** The first paragraph of its OpenAPI `info.summary` or `info.description`, as plain text. */
  summary: string;
  version: string;
  basePath: string;
  authKind: AuthKind;
  lifecycle: Exclude<Lifecycle, 'draft'>;
  deprecatedAt: Date | null;
  sunsetAt: Date | null;
  successorApiId: string | null;
  hasOpenApi: boolean;
  operations: CatalogOperation[];
}

/** One version of a product in the catalog. */
export type CatalogVersion = PortalApi & { lifecycle: 'published' | 'deprecated' };

export interface CatalogProduct {
  name: string;
  /** The newest version's title. */
  title: string;
  /** The newest version's summary. */
  summary: string;
  versions: CatalogVersion[];
}

const SUMMARY_LIMIT = 280;

type OpenApiInfo = { title?: unknown; summary?: unknown; description?: unknown };

function infoOf(api: GatewayApi): OpenApiInfo {
  const info = api.openapi?.['info'];
  return typeof info === 'object' && info !== null ? info as OpenApiInfo : {};
}

// Markdown links and emphasis read as their words; the first paragraph is the summary.
function plainSummary(text: string): string {
  const paragraph = text.trim().split(/\n\s*\n/)[0] ?? '';
  const plain = paragraph.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_`#>]/g, '').replace(/\s+/g, ' ').trim();
  return plain.length > SUMMARY_LIMIT ? `${plain.slice(0, SUMMARY_LIMIT - 1).trimEnd()}…` : plain;
}

function catalogOperation(api: GatewayApi, method: HttpMethod, path: string): CatalogOperation {
  const operation = openApiOperation(api.openapi, method, path);
  const summary = operation?.['summary'];
  return { method, path, summary: typeof summary === 'string' ? summary : undefined, tag: operationTag(operation), key: operationKey(method, path, operation?.['operationId']) };
}

function portalApiOf(api: GatewayApi): PortalApi {
  const info = infoOf(api);
  const title = typeof info.title === 'string' && info.title.trim() ? info.title.trim() : api.name;
  const summary = typeof info.summary === 'string' ? info.summary : typeof info.description === 'string' ? info.description : '';
  return {
    apiId: api.id, name: api.name, title, summary: plainSummary(summary), version: api.version, basePath: api.basePath, authKind: api.authKind,
    lifecycle: api.lifecycle as PortalApi['lifecycle'], deprecatedAt: api.deprecatedAt, sunsetAt: api.sunsetAt, successorApiId: api.successorApiId,
    hasOpenApi: api.openapi !== null,
    operations: api.routes.map((route) => catalogOperation(api, route.method, route.pathTemplate))
      .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)),
  };
}

/** Every API version ever offered, from the store. */
export async function loadPortalApis(db: Knex): Promise<PortalApi[]> {
  return (await loadCatalogue(db)).apis.filter((api) => api.lifecycle !== 'draft').map(portalApiOf);
}

const byTitleThenNewest = (a: PortalApi, b: PortalApi) => a.title.localeCompare(b.title, 'en') || b.version.localeCompare(a.version, 'en', { numeric: true });

const isOffered = (api: PortalApi): api is CatalogVersion => api.lifecycle === 'published' || api.lifecycle === 'deprecated';

/** The products a developer may see, by title. */
export function portalCatalog(apis: readonly PortalApi[]): CatalogProduct[] {
  const byName = Map.groupBy(apis.filter(isOffered), (api) => api.name);
  return [...byName.entries()].map(([name, versions]) => {
    const newestFirst = [...versions].sort((a, b) => b.version.localeCompare(a.version, 'en', { numeric: true }));
    return { name, title: newestFirst[0]!.title, summary: newestFirst[0]!.summary, versions: newestFirst };
  }).sort((a, b) => a.title.localeCompare(b.title, 'en'));
}

/** The products whose title, name, summary, base paths or versions hold every word of `query` (any case). */
export function searchCatalog(products: readonly CatalogProduct[], query: string): CatalogProduct[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return products.filter((product) => {
    const text = [product.title, product.name, product.summary, ...product.versions.flatMap((version) => [version.basePath, version.version])].join(' ').toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** A visible version and its product, by the API's id; undefined for a draft, a retired API or none. */
export function findCatalogVersion(products: readonly CatalogProduct[], apiId: string): { product: CatalogProduct; version: CatalogVersion } | undefined {
  for (const product of products) {
    const version = product.versions.find((candidate) => candidate.apiId === apiId);
    if (version) return { product, version };
  }
  return undefined;
}

/** A version in the changelog, with its successor's title and version. */
export type VersionHistoryEntry = PortalApi & { successor: string | undefined };

/** Every version offered, by title then newest version first: what the changelog lists. */
export function versionHistory(apis: readonly PortalApi[]): VersionHistoryEntry[] {
  const byId = new Map(apis.map((api) => [api.apiId, api]));
  return [...apis].sort(byTitleThenNewest).map((api) => {
    const successor = api.successorApiId ? byId.get(api.successorApiId) : undefined;
    return { ...api, successor: successor && `${successor.title} ${successor.version}` };
  });
}

import type { Knex } from 'knex';

import { loadCatalogue } from '../gateway/catalogue/catalogue.service.ts';
import type { AuthKind, GatewayApi, HttpMethod } from '../gateway/catalogue/catalogue.types.ts';

/*
 * The catalog as a developer sees it: the APIs that are published or deprecated (drafts are not
 * ready, retired ones are gone), grouped into products: every version of one API name is one
 * product, newest version first. Titles and summaries come from each API's OpenAPI document.
 */

/** An operation of a version, with the summary its OpenAPI document gives it. */
export interface CatalogOperation {
  method: HttpMethod;
  path: string;
  summary: string | undefined;
}

/** One version of a product. */
export interface CatalogVersion {
  apiId: string;
  version: string;
  basePath: string;
  authKind: AuthKind;
  lifecycle: 'published' | 'deprecated';
  sunsetAt: Date | null;
  successorApiId: string | null;
  hasOpenApi: boolean;
  operations: CatalogOperation[];
}

export interface CatalogProduct {
  /** The API name all its versions share: `ob-account-info`. */
  name: string;
  /** The newest version's OpenAPI `info.title`, else the name. */
  title: string;
  /** The first paragraph of the newest version's OpenAPI `info.description` (or `summary`), as plain text. */
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

function summaryOf(api: GatewayApi): string {
  const info = infoOf(api);
  const text = typeof info.summary === 'string' ? info.summary : typeof info.description === 'string' ? info.description : '';
  return plainSummary(text);
}

function operationSummary(api: GatewayApi, method: HttpMethod, path: string): string | undefined {
  const paths = api.openapi?.['paths'] as Record<string, Record<string, { summary?: unknown }>> | undefined;
  const summary = paths?.[path]?.[method.toLowerCase()]?.summary;
  return typeof summary === 'string' ? summary : undefined;
}

function versionOf(api: GatewayApi): CatalogVersion {
  return {
    apiId: api.id, version: api.version, basePath: api.basePath, authKind: api.authKind, lifecycle: api.lifecycle as CatalogVersion['lifecycle'],
    sunsetAt: api.sunsetAt, successorApiId: api.successorApiId, hasOpenApi: api.openapi !== null,
    operations: api.routes.map((route) => ({ method: route.method, path: route.pathTemplate, summary: operationSummary(api, route.method, route.pathTemplate) }))
      .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method)),
  };
}

const newestFirst = (a: GatewayApi, b: GatewayApi) => b.version.localeCompare(a.version, 'en', { numeric: true });

/** Every product a developer may see, by title. */
export async function portalCatalog(db: Knex): Promise<CatalogProduct[]> {
  const visible = (await loadCatalogue(db)).apis.filter((api) => api.lifecycle === 'published' || api.lifecycle === 'deprecated');
  const byName = Map.groupBy(visible, (api) => api.name);
  return [...byName.entries()].map(([name, apis]) => {
    const versions = [...apis].sort(newestFirst);
    const title = infoOf(versions[0]!).title;
    return { name, title: typeof title === 'string' && title.trim() ? title.trim() : name, summary: summaryOf(versions[0]!), versions: versions.map(versionOf) };
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

/** A version in the changelog: every version that was ever offered (drafts never were). */
export interface VersionHistoryEntry {
  apiId: string;
  title: string;
  version: string;
  lifecycle: 'published' | 'deprecated' | 'retired';
  deprecatedAt: Date | null;
  sunsetAt: Date | null;
  successor: string | undefined;
}

/** Every version offered, by product title then newest version first: what the changelog lists. */
export async function versionHistory(db: Knex): Promise<VersionHistoryEntry[]> {
  const offered = (await loadCatalogue(db)).apis.filter((api) => api.lifecycle !== 'draft');
  const byId = new Map(offered.map((api) => [api.id, api]));
  const titleOf = (api: GatewayApi) => {
    const title = infoOf(api).title;
    return typeof title === 'string' && title.trim() ? title.trim() : api.name;
  };
  return offered.map((api) => {
    const successor = api.successorApiId ? byId.get(api.successorApiId) : undefined;
    return {
      apiId: api.id, title: titleOf(api), version: api.version, lifecycle: api.lifecycle as VersionHistoryEntry['lifecycle'],
      deprecatedAt: api.deprecatedAt, sunsetAt: api.sunsetAt, successor: successor && `${titleOf(successor)} ${successor.version}`,
    };
  }).sort((a, b) => a.title.localeCompare(b.title, 'en') || b.version.localeCompare(a.version, 'en', { numeric: true }));
}

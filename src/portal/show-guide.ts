import type { Middleware } from 'koa';

import { versionHistory, type PortalApi } from './portal-catalog.service.ts';
import { PortalPageError } from './portal-page-error.ts';
import type { PortalDependencies } from './portal.deps.ts';
import { renderPortalPage } from './render-portal-page.ts';

/** The guides, by slug, with their titles; each is `views/portal/guides/<slug>.ejs`. */
export const GUIDES = {
  'api-keys': 'API key quick start',
  'open-banking': 'Open Banking quick start',
  'rate-limits': 'Rate limits and quotas',
  deprecation: 'Versions, deprecation and the changelog',
} as const;

type GuideSlug = keyof typeof GUIDES;

const isGuide = (slug: string): slug is GuideSlug => Object.hasOwn(GUIDES, slug);

/** An API sold by key and one of its GETs (one without path parameters where it has one), for the API key guide's first call. */
function apiKeyExample(apis: readonly PortalApi[]) {
  const candidates = apis.filter((api) => api.authKind === 'api-key' && api.lifecycle === 'published').flatMap((api) => api.operations.filter((operation) => operation.method === 'GET').map((operation) => ({ api, path: operation.path })));
  const chosen = candidates.find((candidate) => !candidate.path.includes('{')) ?? candidates[0];
  return chosen && { apiId: chosen.api.apiId, title: chosen.api.title, basePath: chosen.api.basePath, path: chosen.path };
}

/** `GET /guides`: the guides and the error reference. */
export function showGuides(): Middleware {
  return async function showGuides(ctx) {
    await renderPortalPage(ctx, 'portal/guides/index', { section: 'guides', guides: Object.entries(GUIDES).map(([slug, title]) => ({ slug, title })) });
  };
}

/** `GET /guides/{slug}`: one guide, with the URLs of this installation (and the changelog, live from the catalogue). */
export function showGuide(deps: PortalDependencies): Middleware {
  return async function showGuide(ctx) {
    const slug = ctx.params['slug']!;
    if (!isGuide(slug)) throw new PortalPageError(404, 'There is no such guide.');
    const apis = await deps.catalog.apis();
    const history = slug === 'deprecation' ? versionHistory(apis) : [];
    await renderPortalPage(ctx, `portal/guides/${slug}`, {
      section: 'guides', title: GUIDES[slug], issuer: deps.issuer, mtls: deps.baseUrls.mtls, gateway: deps.baseUrls.gateway, onboardingUrl: deps.onboardingUrl, history, example: apiKeyExample(apis),
    });
  };
}

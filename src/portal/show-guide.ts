import type { Middleware } from 'koa';

import { versionHistory } from './portal-catalog.service.ts';
import { PortalPageError } from './portal-page-error.ts';
import type { PortalDependencies } from './portal.deps.ts';
import { renderPortalPage } from './render-portal-page.ts';

/** The guides, by slug, with their titles; each is `views/portal/guides/<slug>.ejs`. */
export const GUIDES = {
  'open-banking': 'Open Banking quick start',
  'rate-limits': 'Rate limits and quotas',
  deprecation: 'Versions, deprecation and the changelog',
} as const;

type GuideSlug = keyof typeof GUIDES;

const isGuide = (slug: string): slug is GuideSlug => Object.hasOwn(GUIDES, slug);

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
    const history = slug === 'deprecation' ? versionHistory(await deps.catalog.apis()) : [];
    await renderPortalPage(ctx, `portal/guides/${slug}`, {
      section: 'guides', title: GUIDES[slug], issuer: deps.issuer, mtls: deps.baseUrls.mtls, gateway: deps.baseUrls.gateway, onboardingUrl: deps.onboardingUrl, history,
    });
  };
}

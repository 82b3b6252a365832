import type { Middleware } from 'koa';

import { ConsumerNotFound } from '../../../gateway/consumers/consumers.service.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { ORGANISATION_SEARCH_QUERY, readConsoleQuery } from './organisations.schema.ts';
import { searchOrganisations, viewOrganisation } from './organisations.service.ts';
import { ORGANISATIONS_VIEW_HELPERS } from './organisations-view.ts';
import { renderConsolePage } from '../render-console-page.ts';

/*
 * Organisations: a search (by the organisation's name, an application's name or a member's email
 * address) a page at a time, and an organisation's page with its members and applications. Both
 * only read; an application's page (`applications.pages.ts`) is where operators act.
 */

/** `GET /console/organisations[?q=text][&after=organisationId]` */
export function showOrganisations(deps: ConsoleDependencies): Middleware {
  return async function showOrganisations(ctx) {
    const { q, after } = readConsoleQuery(ctx, ORGANISATION_SEARCH_QUERY);
    const text = q || undefined;
    const found = await searchOrganisations(deps.db, text, after);
    const nextPage = found.next && `/console/organisations?${new URLSearchParams({ ...(text ? { q: text } : {}), after: found.next })}`;
    await renderConsolePage(ctx, deps.csrfSecret, 'organisations', { section: 'organisations', text: text ?? '', organisations: found.items, nextPage, paged: after !== undefined });
  };
}

/** `GET /console/organisations/{organisationId}` */
export function showOrganisation(deps: ConsoleDependencies): Middleware {
  return async function showOrganisation(ctx) {
    try {
      const view = await viewOrganisation(deps.db, ctx.params['organisationId']!);
      await renderConsolePage(ctx, deps.csrfSecret, 'organisation', { section: 'organisations', ...ORGANISATIONS_VIEW_HELPERS, ...view });
    } catch (error) {
      if (error instanceof ConsumerNotFound) ctx.throw(404, 'There is no such organisation.');
      throw error;
    }
  };
}

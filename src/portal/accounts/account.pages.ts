import type { Middleware } from 'koa';

import { renderPortalPage } from '../render-portal-page.ts';
import type { AccountPagesDependencies } from './account-pages.deps.ts';
import { portalFormToken } from './portal-form-csrf.ts';

/** `GET /account`: who is signed in, and signing out. */
export function showAccount(deps: AccountPagesDependencies): Middleware {
  return async function showAccount(ctx) {
    await renderPortalPage(ctx, 'portal/account/index', { section: 'account', csrf: portalFormToken(ctx, deps.csrfSecret) });
  };
}

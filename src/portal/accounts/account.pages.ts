import type { Middleware } from 'koa';

import { ROLE_RIGHTS } from '../organisations/member-role.ts';
import { organisationsOf } from '../organisations/organisations.service.ts';
import { renderPortalPage } from '../render-portal-page.ts';
import type { AccountPagesDependencies } from './account-pages.deps.ts';
import { portalFormToken } from './portal-form-csrf.ts';
import { pageNotice } from '../../shared/page-notice.ts';

const NOTICES: Readonly<Record<string, string>> = {
  left: 'You have left the organisation.',
};

/** `GET /account`: who is signed in, their organisations (or the prompt to create one), and signing out. */
export function showAccount(deps: AccountPagesDependencies): Middleware {
  return async function showAccount(ctx) {
    const memberships = await organisationsOf(deps, ctx.state.developer!.id);
    const notice = pageNotice(ctx, NOTICES);
    await renderPortalPage(ctx, 'portal/account/index', {
      section: 'account', csrf: portalFormToken(ctx, deps.csrfSecret), memberships, roleRights: ROLE_RIGHTS, notice,
    });
  };
}

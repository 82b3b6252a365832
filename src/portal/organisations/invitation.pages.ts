import type { Context, Middleware } from 'koa';

import type { AccountPagesDependencies } from '../accounts/account-pages.deps.ts';
import { portalFormToken } from '../accounts/portal-form-csrf.ts';
import { SECRET_TOKEN } from '../../shared/secret-token.ts';
import { PortalPageError } from '../portal-page-error.ts';
import { renderPortalPage } from '../render-portal-page.ts';
import { signInPathFor } from '../session/portal-session-cookie.ts';
import { ROLE_RIGHTS } from './member-role.ts';
import { acceptInvitation, findInvitation } from './organisations.service.ts';

/*
 * The page a mailed invitation links to: who invited whom to what, and (signed in with the
 * invited address) the button that accepts it. Signed out, it offers sign-in (coming back here)
 * and sign-up (after which the mailed link is followed again).
 */

const tokenOf = (value: unknown) => (typeof value === 'string' && SECRET_TOKEN.test(value) ? value : undefined);

const GONE = 'This invitation has been accepted, withdrawn or has expired. Ask the organisation\'s owner for a new one.';

/** `GET /account/invitation?token=` */
export function showInvitation(deps: AccountPagesDependencies): Middleware {
  return async function showInvitation(ctx: Context) {
    // The token is in the address: keep it out of the Referer of anything this page links to.
    ctx.set('Referrer-Policy', 'no-referrer');
    const token = tokenOf(ctx.query['token']);
    const invitation = token && await findInvitation(deps, token);
    if (!token || !invitation) throw new PortalPageError(400, GONE);
    const here = `/account/invitation?token=${token}`;
    await renderPortalPage(ctx, 'portal/account/invitation', {
      section: 'account', csrf: portalFormToken(ctx, deps.csrfSecret), token,
      invitation: { organisationName: invitation.organisation_name, inviterName: invitation.inviter_name, email: invitation.email, role: ROLE_RIGHTS[invitation.role] },
      signInPath: signInPathFor(here),
    });
  };
}

/** `POST /account/invitation`: joins the organisation, then its page. */
export function submitAcceptInvitation(deps: AccountPagesDependencies): Middleware {
  return async function submitAcceptInvitation(ctx) {
    const token = tokenOf(ctx.state.form!['token']);
    if (!token) throw new PortalPageError(400, GONE);
    const organisationId = await acceptInvitation(deps, ctx.state.developer!, token);
    ctx.status = 303;
    ctx.redirect(`/organisations/${encodeURIComponent(organisationId)}?joined`);
  };
}

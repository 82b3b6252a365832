import type { Context, Middleware } from 'koa';

import type { AccountPagesDependencies } from '../accounts/account-pages.deps.ts';
import { portalFormToken } from '../accounts/portal-form-csrf.ts';
import type { FieldError } from '../../shared/read-form.ts';
import { readForm } from '../../shared/read-form.ts';
import { PortalPageError } from '../portal-page-error.ts';
import { applicationsOfOrganisation } from '../apps/portal-apps.service.ts';
import { renderPortalPage } from '../render-portal-page.ts';
import { MEMBER_ROLES, ROLE_RIGHTS } from './member-role.ts';
import { INVITATION_FORM, MEMBER_CHANGE_FORM, ORGANISATION_FORM } from './organisation-forms.ts';
import { changeMember, createOrganisationFor, inviteMember, viewOrganisation, withdrawInvitation } from './organisations.service.ts';
import { pageNotice } from '../../shared/page-notice.ts';
import { seeOther } from '../../shared/see-other.ts';

/* The organisation pages: create one, see its members, and (owners) invite, re-role and remove them. */

const NOTICES: Readonly<Record<string, string>> = {
  created: 'Your organisation has been created. You are its owner.',
  invited: 'The invitation has been sent. It works for a week.',
  withdrawn: 'The invitation has been withdrawn.',
  changed: 'The member\'s role has been changed.',
  removed: 'The member has been removed.',
  joined: 'You have joined the organisation.',
};

const ROLE_OPTIONS = MEMBER_ROLES.map((role) => ({ value: role, label: `${ROLE_RIGHTS[role].label}: ${ROLE_RIGHTS[role].summary.toLowerCase()}` }));

const organisationPath = (organisationId: string, notice?: string) => `/organisations/${encodeURIComponent(organisationId)}${notice ? `?${notice}` : ''}`;

/** `GET /organisations/new`: the form. */
export function showNewOrganisation(deps: AccountPagesDependencies): Middleware {
  return async function showNewOrganisation(ctx) {
    await renderPortalPage(ctx, 'portal/organisations/new', { section: 'account', csrf: portalFormToken(ctx, deps.csrfSecret), values: {}, errors: [] });
  };
}

/** `POST /organisations`: a new organisation owned by whoever created it, then its page. */
export function submitNewOrganisation(deps: AccountPagesDependencies): Middleware {
  return async function submitNewOrganisation(ctx) {
    const form = ctx.state.form!;
    const read = readForm(ORGANISATION_FORM, form);
    if (!read.ok) {
      ctx.status = 400;
      return renderPortalPage(ctx, 'portal/organisations/new', { section: 'account', csrf: portalFormToken(ctx, deps.csrfSecret), values: { name: form['name'] ?? '' }, errors: read.errors, hasError: true });
    }
    const organisation = await createOrganisationFor(deps, ctx.state.developer!, read.value.name);
    seeOther(ctx, organisationPath(organisation.id, 'created'));
  };
}

async function renderOrganisation(ctx: Context, deps: AccountPagesDependencies, invite: { values: Record<string, string>; errors: FieldError[] } = { values: { role: 'developer' }, errors: [] }) {
  const view = await viewOrganisation(deps, ctx.params['organisationId']!, ctx.state.developer!.id);
  const applications = await applicationsOfOrganisation(deps, view.membership.organisationId);
  const notice = pageNotice(ctx, NOTICES);
  await renderPortalPage(ctx, 'portal/organisations/show', {
    section: 'account', csrf: portalFormToken(ctx, deps.csrfSecret), ...view, applications, rights: ROLE_RIGHTS[view.membership.role], roleRights: ROLE_RIGHTS, roleOptions: ROLE_OPTIONS,
    notice, invite, hasError: invite.errors.length > 0,
  });
}

/** `GET /organisations/{id}`: members and roles; for owners, the open invitations and the invitation form. */
export function showOrganisation(deps: AccountPagesDependencies): Middleware {
  return async function showOrganisation(ctx) {
    await renderOrganisation(ctx, deps);
  };
}

/** `POST /organisations/{id}/invitations`: mails an invitation (owners only). */
export function submitInvitation(deps: AccountPagesDependencies): Middleware {
  return async function submitInvitation(ctx) {
    const form = ctx.state.form!;
    const organisationId = ctx.params['organisationId']!;
    const read = readForm(INVITATION_FORM, form);
    if (!read.ok) {
      ctx.status = 400;
      return renderOrganisation(ctx, deps, { values: { email: form['email'] ?? '', role: form['role'] ?? '' }, errors: read.errors });
    }
    await inviteMember(deps, ctx.state.developer!, organisationId, read.value);
    seeOther(ctx, organisationPath(organisationId, 'invited'));
  };
}

/** `POST /organisations/{id}/invitations/{invitationId}/withdraw` (owners only). */
export function submitWithdrawInvitation(deps: AccountPagesDependencies): Middleware {
  return async function submitWithdrawInvitation(ctx) {
    const organisationId = ctx.params['organisationId']!;
    await withdrawInvitation(deps, ctx.state.developer!, organisationId, ctx.params['invitationId']!);
    seeOther(ctx, organisationPath(organisationId, 'withdrawn'));
  };
}

/** `POST /organisations/{id}/members/{developerId}`: another role, or removal (owners), or leaving (anyone, for themselves). */
export function submitMemberChange(deps: AccountPagesDependencies): Middleware {
  return async function submitMemberChange(ctx) {
    const organisationId = ctx.params['organisationId']!;
    const memberId = ctx.params['developerId']!;
    // The page's own buttons send these: anything else is not a form a person filled in.
    const parsed = MEMBER_CHANGE_FORM.safeParse(ctx.state.form);
    if (!parsed.success) throw new PortalPageError(400, 'That change is not one the organisation page offers.');
    const change = parsed.data.action === 'remove' ? { remove: true as const } : { role: parsed.data.role };
    await changeMember(deps, ctx.state.developer!, organisationId, memberId, change);
    if (memberId === ctx.state.developer!.id && 'remove' in change) return seeOther(ctx, '/account?left');
    seeOther(ctx, organisationPath(organisationId, 'remove' in change ? 'removed' : 'changed'));
  };
}

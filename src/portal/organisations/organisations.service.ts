import { randomUUID } from 'node:crypto';

import type { ServiceContext } from '../../events/service-context.ts';
import { insertOrganisation, type OrganisationRow } from '../../gateway/consumers/consumer.store.ts';
import { emailKeyOf } from '../accounts/developer.store.ts';
import { hashSecretToken, newSecretToken } from '../../shared/secret-token.ts';
import type { Mailer } from '../mail/mailer.ts';
import { PortalPageError } from '../portal-page-error.ts';
import type { SignedInDeveloper } from '../session/portal-sessions.ts';
import { endInvitation, findOpenInvitation, insertInvitation, openInvitationsOf, withdrawInvitationsTo, type InvitationRow } from './invitation.store.ts';
import { ROLE_RIGHTS, type MemberRole } from './member-role.ts';
import { deleteMember, findMembership, insertMember, lockMembers, membersOf, membershipsOf, setMemberRole, type Member, type Membership } from './membership.store.ts';

/*
 * Organisations as developers run them in the portal: whoever creates one owns it; owners invite
 * people by email (the invitation works for that address only, for a week), change roles and
 * remove members; an organisation always keeps an owner. Someone who is not a member is told the
 * organisation does not exist, so its id tells an outsider nothing.
 */

export interface OrganisationsDependencies extends ServiceContext {
  mailer: Mailer;
  portalUrl: string;
}

const INVITATION_LIFETIME_MS = 7 * 86_400_000;

const NOT_FOUND = 'There is no such organisation, or you are not one of its members.';
const ONLY_OWNERS = 'Only an owner of the organisation can manage its members.';

/** The developer's membership of an organisation, or a 404 page for anyone else. */
export async function membershipOf(deps: Pick<ServiceContext, 'db'>, organisationId: string, developerId: string): Promise<Membership> {
  const membership = await findMembership(deps.db, organisationId, developerId);
  if (!membership) throw new PortalPageError(404, NOT_FOUND);
  return membership;
}

/** The organisations the developer belongs to, by name. */
export const organisationsOf = (deps: Pick<ServiceContext, 'db'>, developerId: string): Promise<Membership[]> => membershipsOf(deps.db, developerId);

/** As `membershipOf`, for an action that only an owner may take (403 for a developer). */
async function ownership(deps: Pick<ServiceContext, 'db'>, organisationId: string, developerId: string): Promise<Membership> {
  const membership = await membershipOf(deps, organisationId, developerId);
  if (!ROLE_RIGHTS[membership.role].manageMembers) throw new PortalPageError(403, ONLY_OWNERS);
  return membership;
}

/** A new organisation, owned by the developer who created it. */
export async function createOrganisationFor(deps: ServiceContext, developer: SignedInDeveloper, name: string): Promise<OrganisationRow> {
  const organisation = await deps.db.transaction(async (trx) => {
    const row = await insertOrganisation(trx, { id: `org-${randomUUID()}`, name });
    await insertMember(trx, { organisation_id: row.id, developer_id: developer.id, role: 'owner', created_at: deps.clock.now() });
    return row;
  });
  deps.events.emit('organisation.created', { organisationId: organisation.id, name: organisation.name });
  deps.events.emit('organisation.member_changed', { organisationId: organisation.id, developerId: developer.id, change: 'added', role: 'owner', actor: 'partner', byDeveloperId: developer.id });
  return organisation;
}

export interface OrganisationView {
  membership: Membership;
  members: Member[];
  /** Open invitations, for owners only. */
  invitations: InvitationRow[];
}

export async function viewOrganisation(deps: ServiceContext, organisationId: string, developerId: string): Promise<OrganisationView> {
  const membership = await membershipOf(deps, organisationId, developerId);
  const [members, invitations] = await Promise.all([
    membersOf(deps.db, organisationId),
    ROLE_RIGHTS[membership.role].manageMembers ? openInvitationsOf(deps.db, organisationId, deps.clock.now()) : [],
  ]);
  return { membership, members, invitations };
}

/** Mails an invitation to `email` (replacing an open one to the same address); 409 when the address is a member already. */
export async function inviteMember(deps: OrganisationsDependencies, inviter: SignedInDeveloper, organisationId: string, invitation: { email: string; role: MemberRole }): Promise<void> {
  const { organisationName } = await ownership(deps, organisationId, inviter.id);
  const emailKey = emailKeyOf(invitation.email);
  if ((await membersOf(deps.db, organisationId)).some((member) => emailKeyOf(member.email) === emailKey)) {
    throw new PortalPageError(409, `${invitation.email} is a member already.`);
  }
  const { token, hash } = newSecretToken();
  const now = deps.clock.now();
  await deps.db.transaction(async (trx) => {
    await withdrawInvitationsTo(trx, organisationId, emailKey, now);
    await insertInvitation(trx, {
      id: `inv-${randomUUID()}`, token_hash: hash, organisation_id: organisationId, email: invitation.email, email_key: emailKey, role: invitation.role, invited_by: inviter.id,
      created_at: now, expires_at: new Date(now.getTime() + INVITATION_LIFETIME_MS),
    });
  });
  await deps.mailer.send({
    to: invitation.email,
    subject: `${inviter.name} invited you to ${organisationName} on Portcullis Developers`,
    text: `Hello,\n\n${inviter.name} invited you to join ${organisationName} as ${ROLE_RIGHTS[invitation.role].inSentence} on Portcullis Developers.\n\nAccept here (with a developer account for this address; you can create one on the way):\n${deps.portalUrl}/account/invitation?token=${token}\n\nThe invitation works for a week. If you did not expect it, ignore this message.\n`,
  });
}

export async function withdrawInvitation(deps: ServiceContext, owner: SignedInDeveloper, organisationId: string, invitationId: string): Promise<void> {
  await ownership(deps, organisationId, owner.id);
  if (!(await endInvitation(deps.db, { id: invitationId, organisation_id: organisationId }, 'withdrawn', deps.clock.now()))) {
    throw new PortalPageError(404, 'That invitation has been accepted, withdrawn or has expired already.');
  }
}

/** An invitation as its page shows it, or undefined when it cannot be accepted (unknown, ended, expired). */
export async function findInvitation(deps: Pick<ServiceContext, 'db' | 'clock'>, token: string) {
  return findOpenInvitation(deps.db, hashSecretToken(token), deps.clock.now());
}

/** Makes the developer a member, when the invitation was to their address; the organisation joined. */
export async function acceptInvitation(deps: ServiceContext, developer: SignedInDeveloper, token: string): Promise<string> {
  const now = deps.clock.now();
  const invitation = await findOpenInvitation(deps.db, hashSecretToken(token), now);
  if (!invitation) throw new PortalPageError(400, 'This invitation has been accepted, withdrawn or has expired. Ask the organisation\'s owner for a new one.');
  if (invitation.email_key !== emailKeyOf(developer.email)) {
    throw new PortalPageError(403, `This invitation is for ${invitation.email}, and you are signed in as ${developer.email}. Sign in with the invited address to accept it.`);
  }
  const joined = await deps.db.transaction(async (trx) => {
    if (!(await endInvitation(trx, { token_hash: invitation.token_hash }, 'accepted', now))) return undefined;
    return insertMember(trx, { organisation_id: invitation.organisation_id, developer_id: developer.id, role: invitation.role, created_at: now });
  });
  if (joined === undefined) throw new PortalPageError(400, 'This invitation has been accepted already.');
  if (joined) deps.events.emit('organisation.member_changed', { organisationId: invitation.organisation_id, developerId: developer.id, change: 'added', role: invitation.role, actor: 'partner', byDeveloperId: developer.id });
  return invitation.organisation_id;
}

/** Gives a member another role, or removes them (an owner may do either; anyone may leave); an organisation never loses its last owner. */
export async function changeMember(deps: ServiceContext, actor: SignedInDeveloper, organisationId: string, memberId: string, change: { role: MemberRole } | { remove: true }): Promise<void> {
  const leaving = memberId === actor.id && 'remove' in change;
  // Checked on the locked rows: the actor's own role cannot change under the check.
  await deps.db.transaction(async (trx) => {
    const members = await lockMembers(trx, organisationId);
    const actorRow = members.find((member) => member.developer_id === actor.id);
    if (!actorRow) throw new PortalPageError(404, NOT_FOUND);
    if (!leaving && !ROLE_RIGHTS[actorRow.role].manageMembers) throw new PortalPageError(403, ONLY_OWNERS);
    const target = members.find((member) => member.developer_id === memberId);
    if (!target) throw new PortalPageError(404, 'That person is not a member of the organisation.');
    const ownersAfter = members.filter((member) => (member.developer_id === memberId ? 'role' in change && change.role === 'owner' : member.role === 'owner')).length;
    if (ownersAfter === 0) throw new PortalPageError(409, 'An organisation needs an owner: make someone else an owner first.');
    if ('remove' in change) await deleteMember(trx, organisationId, memberId);
    else await setMemberRole(trx, organisationId, memberId, change.role);
  });
  deps.events.emit('organisation.member_changed', {
    organisationId, developerId: memberId, change: 'remove' in change ? 'removed' : 'role_changed', ...('role' in change ? { role: change.role } : {}), actor: 'partner', byDeveloperId: actor.id,
  });
}

/* What each member of an organisation may do in the portal: one table, read by every check. */

export const MEMBER_ROLES = ['owner', 'developer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export interface RoleRights {
  /** How the portal names the role, and what it says the role allows. */
  label: string;
  /** The role in a sentence: "You are an owner here". */
  inSentence: string;
  summary: string;
  /** Invite, change roles, remove members. */
  manageMembers: boolean;
  /** Create applications, subscribe them to plans, issue, rotate and revoke their keys. */
  manageApps: boolean;
}

export const ROLE_RIGHTS: Readonly<Record<MemberRole, RoleRights>> = {
  owner: { label: 'Owner', inSentence: 'an owner', summary: 'Everything a developer can, and manages the members', manageMembers: true, manageApps: true },
  developer: { label: 'Developer', inSentence: 'a developer', summary: 'Creates applications, subscribes them to plans, manages their keys', manageMembers: false, manageApps: true },
};

export const isMemberRole = (value: unknown): value is MemberRole => typeof value === 'string' && (MEMBER_ROLES as readonly string[]).includes(value);

import type { Knex } from 'knex';

import type { Clock } from '../../shared/clock.ts';
import type { DeveloperRow } from '../accounts/developer.store.ts';
import { hashSecretToken, newSecretToken, SECRET_TOKEN } from '../../shared/secret-token.ts';
import { deleteExpiredPortalSessions, deletePortalSession, deletePortalSessionsOf, extendPortalSession, findLivePortalSession, insertPortalSession } from './portal-session.store.ts';

/*
 * A developer's session: two hours without a request ends it, and twelve hours end it whatever
 * happens (a portal that can issue API keys should not stay open on a shared machine for days).
 * Use moves the idle expiry on, written at most every five minutes so that browsing the portal is
 * not a write per page.
 */

export const IDLE_SECONDS = 2 * 3600;
export const ABSOLUTE_SECONDS = 12 * 3600;
const EXTEND_AFTER_SECONDS = 5 * 60;

export interface PortalSessionsDependencies {
  db: Knex;
  clock: Clock;
}

/** The signed-in developer a request carries, as pages and services see them. */
export interface SignedInDeveloper {
  id: string;
  email: string;
  name: string;
}

/** A session's cookie value and when the cookie should end. */
export interface StartedSession {
  token: string;
  expiresAt: Date;
}

const developerOf = (row: DeveloperRow): SignedInDeveloper => ({ id: row.id, email: row.email, name: row.name });

export async function startPortalSession(deps: PortalSessionsDependencies, developerId: string): Promise<StartedSession> {
  const now = deps.clock.now();
  await deleteExpiredPortalSessions(deps.db, now);
  const { token, hash } = newSecretToken();
  const expiresAt = new Date(now.getTime() + IDLE_SECONDS * 1000);
  await insertPortalSession(deps.db, { token_hash: hash, developer_id: developerId, created_at: now, expires_at: expiresAt });
  return { token, expiresAt };
}

/**
 * The developer a session token belongs to, and the session's new end when it moved on; undefined
 * for an unknown, expired or malformed token (all mean "signed out").
 */
export async function resumePortalSession(deps: PortalSessionsDependencies, token: string | undefined): Promise<{ developer: SignedInDeveloper; extendedTo?: Date } | undefined> {
  if (!token || !SECRET_TOKEN.test(token)) return undefined;
  const now = deps.clock.now();
  const found = await findLivePortalSession(deps.db, hashSecretToken(token), now);
  if (!found) return undefined;
  const developer = developerOf(found.developer);
  const idleEnd = now.getTime() + IDLE_SECONDS * 1000;
  const hardEnd = found.session.created_at.getTime() + ABSOLUTE_SECONDS * 1000;
  const next = Math.min(idleEnd, hardEnd);
  if (next - found.session.expires_at.getTime() < EXTEND_AFTER_SECONDS * 1000) return { developer };
  const extendedTo = new Date(next);
  await extendPortalSession(deps.db, found.session.token_hash, extendedTo);
  return { developer, extendedTo };
}

export async function endPortalSession(deps: Pick<PortalSessionsDependencies, 'db'>, token: string | undefined): Promise<void> {
  if (token && SECRET_TOKEN.test(token)) await deletePortalSession(deps.db, hashSecretToken(token));
}

/** Ends every session a developer has, on every device. */
export async function endAllPortalSessions(deps: Pick<PortalSessionsDependencies, 'db'>, developerId: string): Promise<void> {
  await deletePortalSessionsOf(deps.db, developerId);
}

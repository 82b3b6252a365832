import type { Knex } from 'knex';

import type { Clock } from '../../shared/clock.ts';
import { hashSecretToken, newSecretToken, SECRET_TOKEN } from '../../shared/secret-token.ts';
import { deleteExpiredOperatorSessions, deleteOperatorSession, deleteOperatorSessionsOf, extendOperatorSession, findLiveOperatorSession, insertOperatorSession, type SessionOperator } from './operator-session.store.ts';

/*
 * An operator's console session: shorter than a developer's, since the console changes what every
 * partner sees. Thirty minutes without a request end it, and eight hours (a working day) end it
 * whatever happens. A session that has passed the password only lasts five minutes, time enough to
 * type a code or set up an authenticator app, and opens no console page. Use moves the idle expiry
 * on, written at most once a minute.
 */

export const IDLE_SECONDS = 30 * 60;
export const ABSOLUTE_SECONDS = 8 * 3600;
export const PASSWORD_ONLY_SECONDS = 5 * 60;
const EXTEND_AFTER_SECONDS = 60;

export interface OperatorSessionsDependencies {
  db: Knex;
  clock: Clock;
}

/** A session's cookie value and when the cookie should end. */
export interface StartedSession {
  token: string;
  expiresAt: Date;
}

/** A live session as a request sees it: whose, whether both factors were passed, and its new end when use moved it on. */
export interface ResumedSession {
  operator: SessionOperator;
  secondFactor: boolean;
  extendedTo?: Date;
}

/** A new session; `secondFactor` false for one that has passed the password only. */
export async function startOperatorSession(deps: OperatorSessionsDependencies, operatorId: string, secondFactor: boolean): Promise<StartedSession> {
  const now = deps.clock.now();
  await deleteExpiredOperatorSessions(deps.db, now);
  const { token, hash } = newSecretToken();
  const expiresAt = new Date(now.getTime() + (secondFactor ? IDLE_SECONDS : PASSWORD_ONLY_SECONDS) * 1000);
  await insertOperatorSession(deps.db, { token_hash: hash, operator_id: operatorId, second_factor: secondFactor, created_at: now, expires_at: expiresAt });
  return { token, expiresAt };
}

/** The session a token names; undefined for an unknown, expired or malformed token, or a disabled operator (all mean "signed out"). */
export async function resumeOperatorSession(deps: OperatorSessionsDependencies, token: string | undefined): Promise<ResumedSession | undefined> {
  if (!token || !SECRET_TOKEN.test(token)) return undefined;
  const now = deps.clock.now();
  const found = await findLiveOperatorSession(deps.db, hashSecretToken(token), now);
  if (!found) return undefined;
  const resumed = { operator: found.operator, secondFactor: found.session.second_factor };
  if (!found.session.second_factor) return resumed;
  const next = Math.min(now.getTime() + IDLE_SECONDS * 1000, found.session.created_at.getTime() + ABSOLUTE_SECONDS * 1000);
  if (next - found.session.expires_at.getTime() < EXTEND_AFTER_SECONDS * 1000) return resumed;
  const extendedTo = new Date(next);
  await extendOperatorSession(deps.db, found.session.token_hash, extendedTo);
  return { ...resumed, extendedTo };
}

export async function endOperatorSession(deps: Pick<OperatorSessionsDependencies, 'db'>, token: string | undefined): Promise<void> {
  if (token && SECRET_TOKEN.test(token)) await deleteOperatorSession(deps.db, hashSecretToken(token));
}

/** Ends every session an operator has, on every device. */
export async function endAllOperatorSessions(deps: Pick<OperatorSessionsDependencies, 'db'>, operatorId: string): Promise<void> {
  await deleteOperatorSessionsOf(deps.db, operatorId);
}

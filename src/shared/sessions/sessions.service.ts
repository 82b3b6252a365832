import type { Knex } from 'knex';

import type { Clock } from '../clock.ts';
import { hashSecretToken, newSecretToken, SECRET_TOKEN } from '../secret-token.ts';
import type { SessionKind } from './session-kind.ts';
import { deleteEndedSessionsOf, deleteSession, deleteSessionsOf, extendSession, findLiveSession, insertSession } from './session.store.ts';

/*
 * Starting, resuming and ending the sessions of any browser part, under the lifetimes its
 * `SessionKind` sets: the idle end moves on with use (bounded by the absolute end), and a session
 * that has passed the first step of a two-step sign-in only keeps its short fixed end.
 */

export interface SessionsDependencies {
  db: Knex;
  clock: Clock;
}

/** A session's cookie value and when the cookie should end. */
export interface StartedSession {
  token: string;
  expiresAt: Date;
}

/** A live session as a request sees it: whose, whether it passed every step, and its new end when use moved it on. */
export interface ResumedSession<Holder> {
  holder: Holder;
  allSteps: boolean;
  extendedTo?: Date;
}

/**
 * A new session for `holderId`; `firstStepOnly` for one that has passed the first step of a
 * two-step sign-in only (the kind must have `firstStepSeconds`).
 *
 * @example
 * const started = await startSession(deps, OPERATOR_SESSIONS, operator.id, { firstStepOnly: true });
 */
export async function startSession(deps: SessionsDependencies, kind: SessionKind<unknown>, holderId: string, options: { firstStepOnly?: boolean } = {}): Promise<StartedSession> {
  const now = deps.clock.now();
  await deleteEndedSessionsOf(deps.db, kind.table, holderId, now);
  const { token, hash } = newSecretToken();
  const allSteps = !options.firstStepOnly;
  const expiresAt = new Date(now.getTime() + (allSteps ? kind.idleSeconds : kind.firstStepSeconds!) * 1000);
  await insertSession(deps.db, kind.table, { token_hash: hash, holder_id: holderId, all_steps: allSteps, created_at: now, expires_at: expiresAt });
  return { token, expiresAt };
}

/** The session a token names; undefined for an unknown, expired or malformed token, or a disabled holder (all mean "signed out"). */
export async function resumeSession<Holder>(deps: SessionsDependencies, kind: SessionKind<Holder>, token: string | undefined): Promise<ResumedSession<Holder> | undefined> {
  if (!token || !SECRET_TOKEN.test(token)) return undefined;
  const now = deps.clock.now();
  const found = await findLiveSession(deps.db, kind.table, hashSecretToken(token), now);
  if (!found) return undefined;
  const resumed = { holder: found.holder, allSteps: found.session.all_steps };
  if (!resumed.allSteps) return resumed;
  const next = Math.min(now.getTime() + kind.idleSeconds * 1000, found.session.created_at.getTime() + kind.absoluteSeconds * 1000);
  if (next - found.session.expires_at.getTime() < kind.extendAfterSeconds * 1000) return resumed;
  const extendedTo = new Date(next);
  await extendSession(deps.db, kind.table, found.session.token_hash, extendedTo);
  return { ...resumed, extendedTo };
}

export async function endSession(deps: Pick<SessionsDependencies, 'db'>, kind: SessionKind<unknown>, token: string | undefined): Promise<void> {
  if (token && SECRET_TOKEN.test(token)) await deleteSession(deps.db, kind.table, hashSecretToken(token));
}

/** Ends every session a holder has, on every device. */
export async function endAllSessions(deps: Pick<SessionsDependencies, 'db'>, kind: SessionKind<unknown>, holderId: string): Promise<void> {
  await deleteSessionsOf(deps.db, kind.table, holderId);
}

import { randomUUID } from 'node:crypto';

import type { Knex } from 'knex';

import { hashPassword } from '../../auth/customers/password-authenticator.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { AccountMailThrottle } from './account-mail-throttle.ts';
import { hashSecretToken, newSecretToken } from '../../shared/secret-token.ts';
import { emailKeyOf, findDeveloperByEmail, insertDeveloperIfNew, insertEmailToken, markEmailVerified, spendEmailToken } from './developer.store.ts';

/*
 * Signing up for the developer portal: an account per email address, verified by a link mailed
 * to it. The answer to a sign-up never says whether the address had an account (that would tell
 * anyone who has one); the mail does, to its owner alone, and at most a few times an hour (past
 * that, silently none). Passwords are hashed with Argon2id in both cases, so that the time taken
 * does not tell either.
 */

export interface AccountsDependencies {
  db: Knex;
  clock: Clock;
  mailer: Mailer;
  throttle: AccountMailThrottle;
  /** The portal's origin, for the links in mail. */
  portalUrl: string;
}

export interface SignUp {
  email: string;
  name: string;
  password: string;
}

const VERIFY_EMAIL = 'verify-email';
const TOKEN_LIFETIME_MS = 24 * 3_600_000;

/** Mails a developer a link that confirms their address (at most a few an hour: past that, none). */
export async function mailVerificationLink(deps: AccountsDependencies, developer: { id: string; email: string; name: string }): Promise<void> {
  if (!(await deps.throttle.mayMail(emailKeyOf(developer.email)))) return;
  const { token, hash } = newSecretToken();
  await insertEmailToken(deps.db, { token_hash: hash, developer_id: developer.id, purpose: VERIFY_EMAIL, expires_at: new Date(deps.clock.now().getTime() + TOKEN_LIFETIME_MS) });
  await deps.mailer.send({
    to: developer.email,
    subject: 'Confirm your email address for Portcullis Developers',
    text: `Hello ${developer.name},\n\nConfirm your email address to finish signing up:\n${deps.portalUrl}/account/verify?token=${token}\n\nThe link works once, for 24 hours. If you did not sign up, ignore this message.\n`,
  });
}

/** Signs `input.email` up, or mails its existing owner; either way the caller says "check your email". */
export async function signUp(deps: AccountsDependencies, input: SignUp): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  const developer = { id: `dev-${randomUUID()}`, email: input.email, email_key: emailKeyOf(input.email), name: input.name, password_hash: passwordHash, email_verified_at: null, created_at: deps.clock.now() };
  if (await insertDeveloperIfNew(deps.db, developer)) return mailVerificationLink(deps, developer);
  const existing = (await findDeveloperByEmail(deps.db, input.email))!;
  if (!existing.email_verified_at) return mailVerificationLink(deps, existing);
  if (!(await deps.throttle.mayMail(existing.email_key))) return;
  await deps.mailer.send({
    to: existing.email,
    subject: 'You already have a Portcullis Developers account',
    text: `Hello ${existing.name},\n\nSomeone, perhaps you, tried to sign up with this address, which already has an account. Nothing has changed: your account and its password are as they were.\n`,
  });
}

/** Verifies the address a mailed token was sent to; false when the token is unknown, used or expired. */
export async function verifyEmail(deps: Pick<AccountsDependencies, 'db' | 'clock'>, token: string): Promise<boolean> {
  const now = deps.clock.now();
  const developerId = await spendEmailToken(deps.db, hashSecretToken(token), VERIFY_EMAIL, now);
  if (!developerId) return false;
  await markEmailVerified(deps.db, developerId, now);
  return true;
}

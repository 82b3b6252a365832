import { hashPassword } from '../../auth/customers/password-authenticator.ts';
import { endAllSessions } from '../../shared/sessions/sessions.service.ts';
import { PORTAL_SESSIONS } from '../session/portal-sessions.ts';
import { emailKeyOf, findDeveloperByEmail, findLiveEmailToken, insertEmailToken, markEmailVerified, setDeveloperPassword, spendEmailToken, spendEmailTokensOf } from './developer.store.ts';
import { hashSecretToken, newSecretToken } from '../../shared/secret-token.ts';
import type { AccountsDependencies } from './sign-up.service.ts';

/*
 * A forgotten password is reset through a link mailed to the account's address: single use, an
 * hour long. Asking for one always gets the same answer, account or not. Using it sets the new
 * password, ends every session the developer has (whoever else got in is out), and confirms the
 * address (the link proved the mailbox).
 */

const RESET_PASSWORD = 'reset-password';
const LINK_LIFETIME_MS = 3_600_000;

export async function requestPasswordReset(deps: AccountsDependencies, email: string): Promise<void> {
  const developer = await findDeveloperByEmail(deps.db, email);
  if (!developer || !(await deps.throttle.mayMail(emailKeyOf(developer.email)))) return;
  const { token, hash } = newSecretToken();
  await insertEmailToken(deps.db, { token_hash: hash, developer_id: developer.id, purpose: RESET_PASSWORD, expires_at: new Date(deps.clock.now().getTime() + LINK_LIFETIME_MS) });
  await deps.mailer.send({
    to: developer.email,
    subject: 'Reset your Portcullis Developers password',
    text: `Hello ${developer.name},\n\nChoose a new password here:\n${deps.portalUrl}/account/reset-password?token=${token}\n\nThe link works once, for an hour, and signs you out everywhere else. If you did not ask for it, ignore this message: your password stays as it is.\n`,
  });
}

/** Whether a reset link can still be used (the page asks before showing the form). */
export async function resetLinkIsLive(deps: Pick<AccountsDependencies, 'db' | 'clock'>, token: string): Promise<boolean> {
  return (await findLiveEmailToken(deps.db, hashSecretToken(token), RESET_PASSWORD, deps.clock.now())) !== undefined;
}

/** Sets a new password with a mailed link; false when the link is unknown, used or expired. */
export async function resetPassword(deps: Pick<AccountsDependencies, 'db' | 'clock'>, token: string, newPassword: string): Promise<boolean> {
  const passwordHash = await hashPassword(newPassword);
  const now = deps.clock.now();
  return deps.db.transaction(async (trx) => {
    const developerId = await spendEmailToken(trx, hashSecretToken(token), RESET_PASSWORD, now);
    if (!developerId) return false;
    await spendEmailTokensOf(trx, developerId, RESET_PASSWORD, now);
    await setDeveloperPassword(trx, developerId, passwordHash);
    await markEmailVerified(trx, developerId, now);
    await endAllSessions({ db: trx }, PORTAL_SESSIONS, developerId);
    return true;
  });
}

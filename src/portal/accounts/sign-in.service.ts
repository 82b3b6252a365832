import { passwordMatches } from '../../auth/customers/password-authenticator.ts';
import { checkBehindThrottle } from '../../auth/sign-in/check-behind-throttle.ts';
import type { LoginThrottle } from '../../auth/sign-in/login-throttle.ts';
import { startSession, type StartedSession } from '../../shared/sessions/sessions.service.ts';
import { PORTAL_SESSIONS } from '../session/portal-sessions.ts';
import { findDeveloperByEmail, type DeveloperRow } from './developer.store.ts';
import { mailVerificationLink, type AccountsDependencies } from './sign-up.service.ts';

/*
 * A developer signs in with their email address and password, behind the same login throttle as
 * the bank's customers (its own keys: a developer and a customer with one address do not share a
 * budget). Wrong address and wrong password get the same words. An address not yet confirmed is
 * told so only to whoever typed its right password, and sent a fresh link.
 */

export interface SignInDependencies extends AccountsDependencies {
  loginThrottle: LoginThrottle;
}

export type SignInResult =
  | { signedIn: StartedSession; developer: DeveloperRow }
  | { refused: 'wrong' | 'unverified'; message: string }
  | { refused: 'throttled'; message: string; retryAfterSeconds: number };

const WRONG = 'The email address or password is not right. Check them and try again.';
const UNVERIFIED = 'Confirm your email address first: we have sent you a new link. Follow it, then sign in.';

export async function signInDeveloper(deps: SignInDependencies, form: { email: string; password: string; ip: string }): Promise<SignInResult> {
  const check = await checkBehindThrottle(deps.loginThrottle, { username: `portal-developer:${form.email}`, ip: form.ip }, async () => {
    const developer = await findDeveloperByEmail(deps.db, form.email);
    return (await passwordMatches(developer?.password_hash, form.password)) ? developer : undefined;
  }, { completesSignIn: true });
  if ('refused' in check) return check.refused === 'wrong' ? { refused: 'wrong', message: WRONG } : check;
  const developer = check.passed;
  if (!developer.email_verified_at) {
    await mailVerificationLink(deps, developer);
    return { refused: 'unverified', message: UNVERIFIED };
  }
  return { signedIn: await startSession(deps, PORTAL_SESSIONS, developer.id), developer };
}

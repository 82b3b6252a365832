import type { Authenticator, Customer } from './authenticator.ts';
import type { LoginThrottle } from './login-throttle.ts';

/** What a sign-in form learns: the customer, or why not, in words fit to show. */
export type CredentialCheck =
  | { customer: Customer }
  | { refused: 'wrong'; message: string }
  | { refused: 'throttled'; message: string; retryAfterSeconds: number };

const WRONG_CREDENTIALS = 'The username or password is not right. Check them and try again.';

// The same words whether or not the username exists, so that a block tells nothing either.
function tooManyAttempts(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `Too many sign-in attempts. For your security, try again in about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

/**
 * Every sign-in form's check (the authorization login, the Connected apps dashboard): behind the
 * login throttle, so that a throttled attempt neither answers a guess nor costs a password hash,
 * then the authenticator, whichever the bank plugged in. One message for every wrong answer.
 */
export async function checkCredentials(authenticator: Authenticator, throttle: LoginThrottle, form: { username: string; password: string; ip: string }): Promise<CredentialCheck> {
  const { username, password, ip } = form;
  if (!username || !password) return { refused: 'wrong', message: WRONG_CREDENTIALS };
  const verdict = await throttle.attempt(username, ip);
  if (!verdict.allowed) return { refused: 'throttled', message: tooManyAttempts(verdict.retryAfterSeconds), retryAfterSeconds: verdict.retryAfterSeconds };
  const customer = await authenticator.authenticate(username, password);
  if (!customer) return { refused: 'wrong', message: WRONG_CREDENTIALS };
  await throttle.succeeded(username, ip);
  return { customer };
}

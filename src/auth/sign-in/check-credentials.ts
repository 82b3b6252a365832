import type { Authenticator, SignIn } from './authenticator.ts';
import { checkBehindThrottle } from './check-behind-throttle.ts';
import type { LoginThrottle } from './login-throttle.ts';

/** What a sign-in form learns: what the password proved, or why not, in words fit to show. */
export type CredentialCheck =
  | SignIn
  | { refused: 'wrong'; message: string }
  | { refused: 'throttled'; message: string; retryAfterSeconds: number };

const WRONG_CREDENTIALS = 'The username or password is not right. Check them and try again.';

/**
 * Every sign-in form's password check (the authorization login, the Connected apps dashboard):
 * behind the login throttle, then the authenticator, whichever the bank plugged in. One message
 * for every wrong answer. A right password never clears the username's failures: in an
 * authorization the one-time code comes next, and only that completed, strong sign-in starts the
 * username afresh; the dashboard's sign-in proves the password alone, and clearing there would let
 * whoever holds the password guess codes without end, signing in to the dashboard between guesses.
 */
export async function checkCredentials(authenticator: Pick<Authenticator, 'authenticate'>, throttle: LoginThrottle, form: { username: string; password: string; ip: string }): Promise<CredentialCheck> {
  const { username, password, ip } = form;
  if (!username || !password) return { refused: 'wrong', message: WRONG_CREDENTIALS };
  const result = await checkBehindThrottle(throttle, { username, ip }, () => authenticator.authenticate(username, password), { completesSignIn: false });
  if ('passed' in result) return result.passed;
  return result.refused === 'wrong' ? { refused: 'wrong', message: WRONG_CREDENTIALS } : result;
}

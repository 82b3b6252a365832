import { passwordMatches } from '../../auth/customers/password-authenticator.ts';
import { checkBehindThrottle } from '../../auth/sign-in/check-behind-throttle.ts';
import type { LoginThrottle } from '../../auth/sign-in/login-throttle.ts';
import type { ServiceContext } from '../../events/service-context.ts';
import { endSession, startSession, type StartedSession } from '../../shared/sessions/sessions.service.ts';
import { OPERATOR_SESSIONS } from './operator-sessions.ts';
import { findOperatorByEmail, operatorEmailKey } from './operator.store.ts';

/*
 * The first step of an operator's sign-in: email address and password, behind the customers' login
 * throttle under a key of the console's own (an operator and a customer or developer with one
 * address do not share a budget). Wrong address, wrong password and a disabled operator get the
 * same words. A right password starts a password-only session, which leads to the code step (or,
 * the first time, to setting up an authenticator app) and opens nothing else.
 */

export interface OperatorSignInDependencies extends ServiceContext {
  loginThrottle: LoginThrottle;
  /** Seals and opens the operators' TOTP secrets (derived from the key-encryption key). */
  totpSealKey: Buffer;
}

export type PasswordStepResult =
  | { passed: StartedSession; enrolled: boolean }
  | { refused: 'wrong'; message: string }
  | { refused: 'throttled'; message: string; retryAfterSeconds: number };

const WRONG = 'The email address or password is not right. Check them and try again.';

/** The throttle's key for an operator's sign-in steps (password and code count together). */
export const operatorThrottleKey = (email: string) => `console-operator:${operatorEmailKey(email)}`;

export async function checkOperatorPassword(deps: OperatorSignInDependencies, form: { email: string; password: string; ip: string }): Promise<PasswordStepResult> {
  const check = await checkBehindThrottle(deps.loginThrottle, { username: operatorThrottleKey(form.email), ip: form.ip }, async () => {
    const operator = await findOperatorByEmail(deps.db, form.email);
    // An operator without a password (brought in by single sign-on) is checked against the decoy, as an unknown address is.
    const matches = await passwordMatches(operator?.password_hash ?? undefined, form.password);
    return matches && !operator!.disabled_at ? operator! : undefined;
  }, { completesSignIn: false });
  if ('refused' in check) {
    deps.events.emit('operator.sign_in_failed', { email: operatorEmailKey(form.email), step: 'password', reason: check.refused, actor: 'system' });
    return check.refused === 'wrong' ? { refused: 'wrong', message: WRONG } : check;
  }
  const operator = check.passed;
  return { passed: await startSession(deps, OPERATOR_SESSIONS, operator.id, { firstStepOnly: true }), enrolled: operator.totp_enrolled_at !== null };
}

/** Ends the session a token names and, when it was an operator's, announces that they signed out. */
export async function signOutOperator(deps: ServiceContext, operatorId: string | undefined, token: string | undefined): Promise<void> {
  await endSession(deps, OPERATOR_SESSIONS, token);
  if (operatorId) deps.events.emit('operator.signed_out', { operatorId, actor: `operator:${operatorId}` });
}

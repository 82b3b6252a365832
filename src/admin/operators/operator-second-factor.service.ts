import { checkBehindThrottle } from '../../auth/sign-in/check-behind-throttle.ts';
import { startSession, type StartedSession } from '../../shared/sessions/sessions.service.ts';
import { OPERATOR_SESSIONS, type SessionOperator } from './operator-sessions.ts';
import { operatorThrottleKey, type OperatorSignInDependencies } from './operator-sign-in.service.ts';
import { openTotpSecret, sealTotpSecret } from './operator-totp-seal.ts';
import { checkTotpCode, newTotpSecret, totpUri } from './operator-totp.ts';
import { findOperatorById, keepTotpSecret, useTotpStep } from './operator.store.ts';

/*
 * The second step: a code from the operator's authenticator app (TOTP), behind the same throttle
 * as the password (a wrong code counts like a wrong password). The first time, the operator sets
 * the app up: the console shows a secret kept sealed for them until a code from it confirms it.
 * A right code ends the password-only session's purpose: the pages start a full session.
 */

export type CodeStepResult =
  | { passed: StartedSession }
  | { refused: 'wrong'; message: string }
  | { refused: 'throttled'; message: string; retryAfterSeconds: number };

const WRONG = 'That code is not right. Enter the 6-digit code your authenticator app shows now.';
const REPLAYED = 'That code has been used already. Wait for your authenticator app to show a new one, then enter it.';

/** What an operator needs to set up their app: the secret in text and as an `otpauth://` URI (for the QR code). */
export interface Enrolment {
  secret: string;
  uri: string;
}

/**
 * The secret an operator not yet enrolled sets their app up with: the one kept for them, or a new
 * one, kept sealed (the same on every reload until a code confirms it).
 */
export async function enrolmentFor(deps: OperatorSignInDependencies, operator: SessionOperator): Promise<Enrolment> {
  let row = await findOperatorById(deps.db, operator.id);
  if (!row!.totp_secret_sealed) {
    await keepTotpSecret(deps.db, operator.id, sealTotpSecret(newTotpSecret(), operator.id, deps.totpSealKey));
    row = await findOperatorById(deps.db, operator.id);
  }
  const secret = openTotpSecret(row!.totp_secret_sealed!, operator.id, deps.totpSealKey);
  return { secret, uri: totpUri(secret, row!.email) };
}

/**
 * Checks a code from the operator's app; when `enrolling`, a right one also records that the app
 * is set up. A right code starts a full session.
 */
export async function checkOperatorCode(deps: OperatorSignInDependencies, operator: SessionOperator, form: { code: string; ip: string }, enrolling: boolean): Promise<CodeStepResult> {
  let replayed = false;
  const check = await checkBehindThrottle(deps.loginThrottle, { username: operatorThrottleKey(operator.email), ip: form.ip }, async () => {
    const row = await findOperatorById(deps.db, operator.id);
    // A code confirms an enrolment only while none is done, and signs in only once one is.
    if (!row?.totp_secret_sealed || row.disabled_at || enrolling !== (row.totp_enrolled_at === null)) return undefined;
    const verdict = checkTotpCode(openTotpSecret(row.totp_secret_sealed, row.id, deps.totpSealKey), form.code, deps.clock.now(), row.totp_last_step);
    replayed = 'refused' in verdict && verdict.refused === 'replayed';
    if ('refused' in verdict) return undefined;
    // Conditional on the last step used: two requests racing with one code cannot both pass.
    if (await useTotpStep(deps.db, row.id, verdict.step, enrolling ? deps.clock.now() : undefined)) return row;
    replayed = true;
    return undefined;
  }, { completesSignIn: true });
  const actor = `operator:${operator.id}` as const;
  if ('refused' in check) {
    const reason = check.refused === 'throttled' ? 'throttled' : replayed ? 'replayed' : 'wrong';
    deps.events.emit('operator.sign_in_failed', { email: operator.email.toLowerCase(), step: 'code', reason, operatorId: operator.id, actor });
    return check.refused === 'throttled' ? check : { refused: 'wrong', message: replayed ? REPLAYED : WRONG };
  }
  if (enrolling) deps.events.emit('operator.enrolled', { operatorId: operator.id, actor });
  deps.events.emit('operator.signed_in', { operatorId: operator.id, actor, method: 'password' });
  return { passed: await startSession(deps, OPERATOR_SESSIONS, operator.id) };
}

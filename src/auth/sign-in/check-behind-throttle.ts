import type { LoginThrottle } from './login-throttle.ts';

/** How one throttled check ended: what it found, or why not. */
export type ThrottledResult<T> =
  | { passed: T }
  | { refused: 'wrong' }
  | { refused: 'throttled'; message: string; retryAfterSeconds: number };

// The same words whether or not the username exists, so that a block tells nothing either.
function tooManyAttempts(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `Too many sign-in attempts. For your security, try again in about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

/**
 * Runs one check of something a customer typed (a password, a one-time code) behind the login
 * throttle, so that a throttled attempt neither answers a guess nor costs a check. `check`
 * resolves to undefined for a wrong answer, which counts as a failure. `completesSignIn` says
 * whether a right answer ends the sign-in (the username starts afresh) or leads to a next step.
 * A check that throws gives its place back and counts as nothing.
 */
export async function checkBehindThrottle<T>(throttle: LoginThrottle, who: { username: string; ip: string }, check: () => Promise<T | undefined>, options: { completesSignIn: boolean }): Promise<ThrottledResult<T>> {
  const verdict = await throttle.attempt(who.username, who.ip);
  if (!verdict.allowed) return { refused: 'throttled', message: tooManyAttempts(verdict.retryAfterSeconds), retryAfterSeconds: verdict.retryAfterSeconds };
  let found: T | undefined;
  try {
    found = await check();
  } catch (error) {
    await verdict.check.passed();
    throw error;
  }
  if (found === undefined) {
    await verdict.check.failed();
    return { refused: 'wrong' };
  }
  await (options.completesSignIn ? verdict.check.signedIn() : verdict.check.passed());
  return { passed: found };
}

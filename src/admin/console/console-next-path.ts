/** Where an operator lands after signing in when no page asked for it. */
export const CONSOLE_HOME = '/console';

/**
 * A console page to return to after signing in, or the console's home: only a path under
 * `/console` on this origin, so the sign-in cannot be used to send anyone elsewhere.
 */
export function safeConsolePath(next: unknown): string {
  if (typeof next !== 'string' || next.length > 500 || !/^\/console(?:[/?][\x21-\x7e]*)?$/.test(next) || next.includes('//') || next.includes('\\')) return CONSOLE_HOME;
  return next;
}

/** `path` with the page to return to after sign-in, when it is not the home. */
export const withNext = (path: string, next: string) => (next === CONSOLE_HOME ? path : `${path}?next=${encodeURIComponent(next)}`);

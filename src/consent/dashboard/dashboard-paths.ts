/*
 * Where the dashboard sends the browser. Every redirect goes to one of these fixed paths, never to
 * a URL taken from the request, so that the dashboard cannot be made an open redirector.
 */
export const DASHBOARD_HOME = '/connected-apps';
export const SIGN_IN_PATH = '/connected-apps/sign-in';

/** The list, with the notice that the customer stopped sharing under `consentId`. */
export function revokedNoticePath(consentId: string): string {
  return `${DASHBOARD_HOME}?revoked=${encodeURIComponent(consentId)}`;
}

import { ROUTES } from '../auth/provider/routes.ts';
import { OPEN_BANKING_PREFIX } from '../openbanking/open-banking-api.ts';

/**
 * Which error format answers a request refused before any endpoint saw it (a parser error, a
 * missing Host, input no endpoint can read): the one its endpoint would have used. STYLE.md's two
 * families, and the browser's error page.
 */
export type ErrorFamily = 'oauth' | 'open-banking' | 'browser' | ProblemFamily;

/** RFC 9457 problem details (the public API and admin listeners), with the base of their `type` URIs. */
export interface ProblemFamily {
  problemTypeBase: string;
}

/** Picks the family for a request path (`''` when the path could not be read). */
export type ErrorFamilyOf = (path: string) => ErrorFamily;

// The oidc-provider endpoints that answer JSON; every other path of the browser listener is a page.
const OAUTH_JSON_PATHS: readonly string[] = [ROUTES.token, ROUTES.pushed_authorization_request, ROUTES.introspection, ROUTES.revocation, ROUTES.userinfo, ROUTES.jwks];

/** Browser listener: JSON for the OAuth endpoints, registration and discovery; the error page elsewhere. */
export const browserErrorFamily: ErrorFamilyOf = (path) => {
  const json = OAUTH_JSON_PATHS.includes(path) || path === ROUTES.registration || path.startsWith(`${ROUTES.registration}/`) || path.startsWith('/.well-known/');
  return json ? 'oauth' : 'browser';
};

/** Partner listener: OBErrorResponse1 for the Open Banking APIs, RFC 6749 JSON for everything else. */
export const partnerErrorFamily: ErrorFamilyOf = (path) => (path.startsWith(OPEN_BANKING_PREFIX) ? 'open-banking' : 'oauth');

/** Public API and admin listeners: problem details on every path (their `type`s documented under `<issuer>/docs/problems/`). */
export function problemErrorFamily(issuer: string): ErrorFamilyOf {
  const family: ProblemFamily = { problemTypeBase: problemTypeBase(issuer) };
  return () => family;
}

/** Where the problem types are documented: the developer portal's error reference. */
export function problemTypeBase(issuer: string): string {
  return `${issuer}/docs/problems/`;
}

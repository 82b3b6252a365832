// form-action allows https: because approving consent ends in a redirect to the partner's
// (https-only) redirect URI, and browsers apply form-action to the redirects a form causes.
const CSP = "default-src 'none'; style-src 'self'; img-src 'self' https:; form-action 'self' https:; frame-ancestors 'none'; base-uri 'none'";

/** For the one page that runs a script (our own file, never inline): the portal's newly issued API key, with its copy button. */
export const CSP_WITH_OWN_SCRIPT = `${CSP}; script-src 'self'`;

/** Headers every browser-facing response carries: no framing, no inline script, HTTPS only. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

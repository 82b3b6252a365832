import { decodeJwt } from 'jose';
import * as oc from 'openid-client';

import { pushAuthorization } from './authorize.ts';
import { waitForCallback } from './callback-server.ts';
import { callObApi } from './ob-api.ts';
import { createConsent } from './create-consent.ts';
import { DEMO_CONSENTS, type DemoConsentName } from './demo-consents.ts';
import { DemoFailed } from './demo-failure.ts';
import { say, show } from './demo-output.ts';
import type { PartnerSession } from './partner-session.ts';
import { readConsent } from './read-consent.ts';

/** How long the demo waits for the customer, in milliseconds: long enough to read the bank's pages. */
const CALLBACK_TIMEOUT_MS = 5 * 60 * 1000;

/**
 * `consent accounts|payment|funds`: the whole UK Open Banking authorization, start to end. Creates
 * the consent, pushes an authorization request naming it, sends the customer to the bank, waits on
 * the redirect URI, redeems the code, and shows what the partner can now see. A refusal at the
 * bank (the customer denies) fails the command after showing the consent's status.
 */
export async function runConsent(session: PartnerSession, name: DemoConsentName): Promise<void> {
  const { kind } = DEMO_CONSENTS[name];
  const created = await createConsent(session, DEMO_CONSENTS[name]);
  const consentId = created.Data.ConsentId;
  show(`Consent created: POST ${kind.path}`, created);

  // The request pushed last is the one the customer comes back from: its PKCE verifier and state redeem the code.
  let pushed: Awaited<ReturnType<typeof pushAuthorization>> | undefined;
  const callback = await waitForCallback({
    redirectUri: session.partner.redirectUri,
    certsDir: session.config.certsDir,
    timeoutMs: CALLBACK_TIMEOUT_MS,
    async start() {
      pushed = await pushAuthorization(session, consentId, kind.scope);
      say(`\nAuthorization request pushed (POST /par); the browser goes on to ${pushed.url.origin}${pushed.url.pathname}?client_id=…&request_uri=…`);
      return pushed.url;
    },
    onListening(startUrl) {
      say('\nOpen this URL in a browser and sign in at the bank as alice / alice-sandbox-pass (then type the security code the bank shows):\n');
      say(`  ${startUrl.href}\n`);
      say(`Waiting for the customer (up to ${CALLBACK_TIMEOUT_MS / 60_000} minutes)...`);
    },
  });
  if (!pushed) throw new DemoFailed(`the customer reached ${session.partner.redirectUri} without starting at the demo's /start`);

  const tokens = await oc
    .authorizationCodeGrant(session.oauth, callback, { pkceCodeVerifier: pushed.pkceCodeVerifier, expectedState: pushed.state, idTokenExpected: true })
    .catch(async (error: unknown) => {
      // RFC 6749 §4.1.2.1: the bank sends refusals (the customer denied) back to the redirect URI.
      if (!(error instanceof oc.AuthorizationResponseError)) throw error;
      show(`The customer came back without authorising. The consent now: GET ${kind.path}/${consentId}`, await readConsent(session, kind, consentId));
      throw new DemoFailed(`the bank answered the authorization with ${error.error}`, Object.fromEntries(error.cause));
    });

  // What the bank bound the token to: `cnf` carries the SHA-256 thumbprint of the certificate
  // presented at the token endpoint (RFC 8705 §3.1). A JWT access token (RFC 9068) says so itself;
  // an opaque one is asked about by introspection (RFC 7662).
  const introspection = tokens.access_token.includes('.') ? decodeJwt(tokens.access_token) as { cnf?: Record<string, string> } : await oc.tokenIntrospection(session.oauth, tokens.access_token);
  say('\nThe customer came back with a code, redeemed at the token endpoint (POST /token over mutual TLS).');
  say(`  ID token openbanking_intent_id: ${String(tokens.claims()?.['openbanking_intent_id'])}`);
  say(`  access token: scope "${tokens.scope ?? ''}", expires in ${tokens.expires_in ?? '?'} s, bound to the certificate x5t#S256 ${introspection.cnf?.['x5t#S256'] ?? '(none)'}`);
  say(`  refresh token: ${tokens.refresh_token ? 'yes' : 'no'}`);
  show(`The consent now: GET ${kind.path}/${consentId}`, await readConsent(session, kind, consentId));
  if (name === 'accounts') {
    // What the consent was for: the customer's accounts, from the bank core through the gateway.
    const path = '/open-banking/v3.1/aisp/accounts';
    show(`The customer's accounts, with their access token, through the gateway: GET ${path}`, await callObApi(session.fetch, session.config.mtlsBaseUrl, { method: 'GET', path, accessToken: tokens.access_token }));
  }
  if (name === 'payment') {
    const path = `${kind.path}/${consentId}/funds-confirmation`;
    show(`Funds confirmation, with the customer's access token: GET ${path}`, await callObApi(session.fetch, session.config.mtlsBaseUrl, { method: 'GET', path, accessToken: tokens.access_token }));
  }
}

import * as oc from 'openid-client';

import { pushAuthorization } from './authorize.ts';
import type { ConsentResponse } from './consent-response.ts';
import { createConsent } from './create-consent.ts';
import { CustomerBrowser } from './customer-browser.ts';
import { DEMO_CONSENTS, type DemoConsentName } from './demo-consents.ts';
import { DemoFailed } from './demo-failure.ts';
import type { PartnerSession } from './partner-session.ts';

/** A test customer's sign-in at the sandbox bank. */
export interface TestCustomer {
  username: string;
  password: string;
}

/** A consent the customer approved, and the tokens the partner redeemed for it. */
export interface AuthorisedConsent {
  consent: ConsentResponse;
  tokens: oc.TokenEndpointResponse & oc.TokenEndpointResponseHelpers;
}

/**
 * The whole authorization of one consent with the customer played by a program: create the
 * consent, push the authorization request, let a headless browser sign in as the test customer and
 * approve (sharing every account offered, paying from the first), then redeem the code it brings
 * back exactly as the partner's callback would. Nothing here is a shortcut past the bank: the
 * customer's part goes through the same pages a person sees.
 */
export async function authoriseHeadlessly(session: PartnerSession, name: DemoConsentName, customer: TestCustomer): Promise<AuthorisedConsent> {
  const { kind } = DEMO_CONSENTS[name];
  const consent = await createConsent(session, DEMO_CONSENTS[name]);
  const pushed = await pushAuthorization(session, consent.Data.ConsentId, kind.scope);
  const browser = new CustomerBrowser(session.fetch as typeof fetch, [new URL(session.config.issuer).origin]);
  let callback: URL;
  try {
    callback = await browser.authorize(pushed.url, customer);
  } catch (error) {
    throw new DemoFailed(`the test customer ${customer.username} could not approve the consent at the bank: ${(error as Error).message}`);
  }
  const tokens = await oc.authorizationCodeGrant(session.oauth, callback, { pkceCodeVerifier: pushed.pkceCodeVerifier, expectedState: pushed.state, idTokenExpected: true });
  return { consent, tokens };
}

import { join } from 'node:path';

import type { Config } from '../../src/config/config.ts';
import { authoriseHeadlessly, type TestCustomer } from './authorise-headlessly.ts';
import { bundleProfile } from './demo-profile.ts';
import { DemoFailed } from './demo-failure.ts';
import { displayPath, say, show } from './demo-output.ts';
import { callObApi } from './ob-api.ts';
import { onboardAtDirectory } from './onboard.ts';
import { createPartnerFetch } from './partner-http.ts';
import { openPartnerSession, type PartnerSession } from './partner-session.ts';
import { runRegister } from './register.command.ts';
import { signRequestBody } from './sign-request.ts';

const AISP = '/open-banking/v3.1/aisp';
const PISP = '/open-banking/v3.1/pisp';

/** The sandbox's salaried test customer, whose accounts the walkthrough reads and pays from. */
export const WALKTHROUGH_CUSTOMER: TestCustomer = { username: 'alice', password: 'alice-sandbox-pass' };
/** Where the app's software statement says the customer comes back: never listened on, the headless customer hands the code over. */
export const WALKTHROUGH_REDIRECT_URI = 'https://localhost:8447/callback';

/**
 * `walkthrough`: a partner's first day, start to end, with nobody at the keyboard. It onboards at
 * the sandbox directory (sign-up, software statement, bundle), registers with the bundle's
 * software statement over the bundle's transport certificate, has a test customer approve an
 * account access consent headlessly, reads the customer's accounts, balances and transactions
 * through the gateway, then has the customer approve a payment and submits it, reading its status
 * back. Each step prints the call and the bank's answer as it came.
 */
export async function runWalkthrough(config: Config, customer: TestCustomer, redirectUri: string): Promise<void> {
  step(1, 'Onboard at the sandbox directory: sign up, a software statement, the bundle');
  const onboarded = await onboardAtDirectory(config, join(config.dataDir, 'demo-walkthrough'), redirectUri);
  say(`  organisation ${onboarded.organisationId}, software ${onboarded.softwareId}`);
  say(`  bundle unzipped; its configuration: ${displayPath(onboarded.configFile)}`);

  step(2, 'Register the app: dynamic client registration with the software statement, over the bundle\'s transport certificate');
  const profile = await bundleProfile(config, onboarded.configFile);
  const partnerFetch = await createPartnerFetch(config.certsDir, profile.transport);
  await runRegister(profile, partnerFetch, 0); // no port: the bundle names the redirect URI
  const session = await openPartnerSession(profile, partnerFetch);

  step(3, `Account access consent, approved by the test customer ${customer.username} at the bank`);
  const access = await authoriseHeadlessly(session, 'accounts', customer);
  say(`  consent ${access.consent.Data.ConsentId}; access token scope "${access.tokens.scope ?? ''}"`);

  step(4, 'Read the accounts, balances and transactions through the gateway');
  const token = access.tokens.access_token;
  const accountId = firstAccountId(await get(session, `${AISP}/accounts`, token));
  await get(session, `${AISP}/accounts/${accountId}/balances`, token);
  await get(session, `${AISP}/accounts/${accountId}/transactions`, token, { summarise: true });

  step(5, `Domestic payment consent, approved by ${customer.username}`);
  const payment = await authoriseHeadlessly(session, 'payment', customer);
  say(`  consent ${payment.consent.Data.ConsentId}; access token scope "${payment.tokens.scope ?? ''}"`);

  step(6, 'Submit the payment (signed; once), then read its status');
  const body = JSON.stringify({ Data: { ConsentId: payment.consent.Data.ConsentId, Initiation: payment.consent.Data.Initiation }, Risk: payment.consent.Risk });
  const submitted = await callObApi(session.fetch, session.config.mtlsBaseUrl, {
    method: 'POST', path: `${PISP}/domestic-payments`, accessToken: payment.tokens.access_token, body, signature: await signRequestBody(session, body),
  });
  show(`POST ${PISP}/domestic-payments`, submitted);
  const paymentId = (submitted as { Data?: { DomesticPaymentId?: unknown } }).Data?.DomesticPaymentId;
  if (typeof paymentId !== 'string') throw new DemoFailed('the bank answered the payment without a DomesticPaymentId', submitted);
  await get(session, `${PISP}/domestic-payments/${encodeURIComponent(paymentId)}`, payment.tokens.access_token);
  say('\nDone: onboarded, registered, consented, read through the gateway, and paid.');
}

function step(number: number, title: string): void {
  say(`\n== Step ${number}: ${title} ==`);
}

/** A GET through the gateway with the customer's token; shows the answer (only the start of a long list). */
async function get(session: PartnerSession, path: string, accessToken: string, options: { summarise?: boolean } = {}): Promise<unknown> {
  const body = await callObApi(session.fetch, session.config.mtlsBaseUrl, { method: 'GET', path, accessToken });
  show(`GET ${path}`, options.summarise ? summariseList(body) : body);
  return body;
}

/** A page of a long list: its first two items, with the paging links and metadata the bank sent. */
function summariseList(body: unknown): unknown {
  const { Data, Links, Meta } = body as { Data?: Record<string, unknown>; Links?: unknown; Meta?: unknown };
  const [name, items] = Object.entries(Data ?? {}).find(([, value]) => Array.isArray(value)) ?? [];
  if (!name || !Array.isArray(items)) return body;
  const more = items.length > 2 ? [`… ${items.length - 2} more on this page`] : [];
  return { Data: { [name]: [...items.slice(0, 2), ...more] }, Links, Meta };
}

function firstAccountId(body: unknown): string {
  const accountId = (body as { Data?: { Account?: Array<{ AccountId?: unknown }> } }).Data?.Account?.[0]?.AccountId;
  if (typeof accountId !== 'string') throw new DemoFailed('the bank listed no account the customer shared', body);
  return encodeURIComponent(accountId);
}

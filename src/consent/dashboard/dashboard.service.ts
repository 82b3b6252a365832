import { CONSENT_KINDS } from '../consent-kinds.ts';
import { endConsent, type RevokeGrant } from '../consent.service.ts';
import type { ConsentStatus } from '../consent-status.ts';
import { findConsent, listCustomerConsents, type Consent } from '../consent.store.ts';
import { describeApp, type AppIdentity } from '../../auth/clients/describe-app.ts';
import { describeConnectedApp, type ConnectedApp } from './describe-connected-app.ts';
import type { DashboardDependencies } from './dashboard.deps.ts';

/*
 * What the customer sees and does in Connected apps. Only account-access and funds-confirmation
 * consents are listed: they go on until stopped, whereas a payment consent is used up by its
 * payment (it is consumed, never revoked). A consent of another customer is treated exactly as one
 * that does not exist, so that its id reveals nothing.
 */

type Services = Pick<DashboardDependencies, 'consents' | 'provider' | 'accounts'>;

const REVOCATION_REASON = 'revoked by the customer in Connected apps';

function isCustomersApp(consent: Consent | undefined, customerId: string, status: ConsentStatus, now: Date): consent is Consent {
  if (!consent || consent.customer_id !== customerId || consent.status !== status) return false;
  if (CONSENT_KINDS[consent.kind].family === 'pis') return false;
  // An authorised consent past its expiry no longer shares anything: it is not "connected".
  return status !== 'Authorised' || !consent.expires_at || new Date(consent.expires_at) > now;
}

async function describeAll(services: Services, customerId: string, consents: Consent[]): Promise<ConnectedApp[]> {
  const accounts = await services.accounts.listAccounts(customerId);
  const apps = new Map<string, Promise<AppIdentity>>();
  const appOf = (clientId: string) => {
    if (!apps.has(clientId)) apps.set(clientId, describeApp(services.provider, clientId));
    return apps.get(clientId)!;
  };
  return Promise.all(consents.map(async (consent) => describeConnectedApp(consent, await appOf(consent.client_id), accounts)));
}

/** The customer's connected apps: their authorised, unexpired AIS and CBPII consents, newest first. */
export async function listConnectedApps(services: Services, customerId: string): Promise<ConnectedApp[]> {
  const now = services.consents.clock.now();
  const consents = await listCustomerConsents(services.consents.db, customerId, ['Authorised']);
  return describeAll(services, customerId, consents.filter((consent) => isCustomersApp(consent, customerId, 'Authorised', now)));
}

/**
 * The customer's AIS or CBPII consent `consentId` in `status` (`Authorised`: one they can stop;
 * `Revoked`: one they have stopped), or undefined for any other consent, theirs or not.
 */
export async function findConnectedApp(services: Services, customerId: string, consentId: string, status: 'Authorised' | 'Revoked'): Promise<ConnectedApp | undefined> {
  const consent = await findConsent(services.consents.db, consentId);
  if (!isCustomersApp(consent, customerId, status, services.consents.clock.now())) return undefined;
  const [app] = await describeAll(services, customerId, [consent]);
  return app;
}

/**
 * The customer stops sharing with an app: their consent becomes `Revoked` and every token of its
 * grant is revoked at once (`endConsent`). Resolves false, changing nothing, when `consentId` is
 * not a connected app of this customer. Asking again for one already revoked (a double click)
 * resolves true: what the customer asked for is done.
 */
export async function stopSharing(services: Services, revokeGrant: RevokeGrant, customerId: string, consentId: string): Promise<boolean> {
  const now = services.consents.clock.now();
  const consent = await findConsent(services.consents.db, consentId);
  if (isCustomersApp(consent, customerId, 'Revoked', now)) return true;
  if (!isCustomersApp(consent, customerId, 'Authorised', now)) return false;
  try {
    await endConsent(services.consents, consentId, 'customer', revokeGrant, REVOCATION_REASON);
  } catch (error) {
    // The partner withdrew it between our read and our lock: it is revoked, as asked.
    if (!isCustomersApp(await findConsent(services.consents.db, consentId), customerId, 'Revoked', now)) throw error;
  }
  return true;
}

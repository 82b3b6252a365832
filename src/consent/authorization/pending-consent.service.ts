import type { Knex } from 'knex';

import { isObRarType, isObScope } from '../../openbanking/ob-vocabulary.ts';
import type { ConsentContext } from '../consent-context.ts';

import type { AccountInformationDetail, PaymentInitiationDetail } from '../../openbanking/rar-details.schema.ts';
import { CONSENT_KINDS, kindedRequestOf, type KindedRequest } from '../consent-kinds.ts';
import { checkConsentRules } from '../consent-rules.ts';
import { findConsent } from '../consent.store.ts';
import { ObError } from '../../openbanking/ob-error.ts';
import type { AuthorizationConsentRequest } from './authorization-consent-request.ts';
import { consentFromDetails } from './consent-from-details.ts';

/** The consent an authorization asks the customer for, before they decide: its kind and request, and where it came from. */
export type PendingConsent = KindedRequest & (
  /** UK style: a consent the partner created, awaiting authorisation. */
  | { source: 'intent'; consentId: string; clientId: string }
  /** RAR style: a consent to create from the request's authorization details. */
  | { source: 'details'; clientId: string }
);

/** Why an authorization cannot go ahead, in RFC 6749 / RFC 9396 terms, before the customer sees a page. */
export class ConsentRefused extends Error {
  readonly error: 'invalid_request' | 'invalid_authorization_details';

  constructor(error: ConsentRefused['error'], description: string) {
    super(description);
    this.name = 'ConsentRefused';
    this.error = error;
  }
}


async function fromIntent(db: Knex, request: AuthorizationConsentRequest, now: Date): Promise<PendingConsent> {
  const { value, essential } = request.intent!;
  if (!essential) throw new ConsentRefused('invalid_request', 'openbanking_intent_id must be requested as an essential claim');
  if (typeof value !== 'string' || value.length === 0) throw new ConsentRefused('invalid_request', 'openbanking_intent_id must carry the consent id as its value');
  const consent = await findConsent(db, value);
  // One answer for "no such consent" and "another partner's consent": ids cannot be probed.
  if (!consent || consent.client_id !== request.clientId) throw new ConsentRefused('invalid_request', `openbanking_intent_id ${value} names no consent of this client`);
  if (consent.status !== 'AwaitingAuthorisation') throw new ConsentRefused('invalid_request', `consent ${value} is ${consent.status}, not AwaitingAuthorisation`);
  if (consent.expires_at && consent.expires_at <= now) throw new ConsentRefused('invalid_request', `consent ${value} has expired`);
  const kind = CONSENT_KINDS[consent.kind];
  if (!request.scopes.has(kind.scope)) throw new ConsentRefused('invalid_request', `authorising a ${consent.kind} consent needs the ${kind.scope} scope`);
  return { ...kindedRequestOf(consent), source: 'intent', consentId: consent.id, clientId: request.clientId };
}

function fromDetails(detail: Record<string, unknown>, request: AuthorizationConsentRequest, now: Date): PendingConsent {
  // oidc-provider has checked the detail against its RAR schema before any interaction starts.
  const consent = consentFromDetails(detail as unknown as AccountInformationDetail | PaymentInitiationDetail);
  try {
    checkConsentRules(consent, now);
  } catch (error) {
    if (!(error instanceof ObError)) throw error;
    throw new ConsentRefused('invalid_authorization_details', error.errors.map((problem) => problem.Message).join('; '));
  }
  return { ...consent, source: 'details', clientId: request.clientId };
}

/**
 * Decides which consent an authorization is for, refusing what may never reach the customer:
 * an intent id that is not this client's consent awaiting authorisation (or expired, or for a
 * scope not requested), details that break the consent rules, both styles at once, more than one
 * Open Banking detail, or Open Banking scopes with no consent at all. Resolves undefined for a
 * request that needs no consent (sign-in only).
 */
export async function pendingConsentFor(context: ConsentContext, request: AuthorizationConsentRequest): Promise<PendingConsent | undefined> {
  const { db } = context;
  const now = context.clock.now();
  const obDetails = request.authorizationDetails.filter((detail) => isObRarType(detail['type']));
  if (request.intent && obDetails.length) throw new ConsentRefused('invalid_request', 'name the consent either with openbanking_intent_id or with authorization_details, not both');
  if (request.intent) return fromIntent(db, request, now);
  if (obDetails.length > 1) throw new ConsentRefused('invalid_authorization_details', 'one authorization covers one consent: send one account_information or payment_initiation detail');
  if (obDetails.length === 1) return fromDetails(obDetails[0]!, request, now);
  if ([...request.scopes].some(isObScope)) {
    throw new ConsentRefused('invalid_request', 'an Open Banking authorization must name its consent (openbanking_intent_id) or describe it (authorization_details)');
  }
  return undefined;
}

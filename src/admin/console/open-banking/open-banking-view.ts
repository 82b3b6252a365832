import type { ConsentActor } from '../../../consent/consent.store.ts';
import { formatDay, formatInstant } from '../../../portal/format-instant.ts';

/* What the Open Banking section's views write dates, statuses, kinds and actors with. */

const KIND_WORDS: Readonly<Record<string, string>> = {
  'account-access': 'Account access',
  'domestic-payment': 'Domestic payment',
  'domestic-scheduled-payment': 'Scheduled payment',
  'domestic-standing-order': 'Standing order',
  'funds-confirmation': 'Funds confirmation',
};

const STATUS_WORDS: Readonly<Record<string, string>> = {
  AwaitingAuthorisation: 'Awaiting authorisation',
  Authorised: 'Authorised',
  Rejected: 'Rejected',
  Revoked: 'Revoked',
  Consumed: 'Consumed',
};

const ACTOR_WORDS: Readonly<Record<ConsentActor, string>> = {
  partner: 'The partner',
  customer: 'The customer',
  ops: 'Bank operations',
  system: 'Portcullis (expiry)',
};

const AUTH_METHOD_WORDS: Readonly<Record<string, string>> = {
  private_key_jwt: 'Signed JWT (private_key_jwt)',
  tls_client_auth: 'Transport certificate (tls_client_auth)',
  self_signed_tls_client_auth: 'Self-signed certificate (self_signed_tls_client_auth)',
};

export const OPEN_BANKING_VIEW_HELPERS = {
  formatDay,
  formatInstant,
  kindWords: KIND_WORDS,
  statusWords: STATUS_WORDS,
  actorWords: ACTOR_WORDS,
  authMethodWords: (method: string | undefined) => (method ? AUTH_METHOD_WORDS[method] ?? method : 'None'),
  /** The method in a word or two, for the list. */
  authMethodShort: (method: string | undefined) => (method ? AUTH_METHOD_WORDS[method]?.replace(/ \(.*\)$/, '') ?? method : 'None'),
  /** A claim's value as text: strings as they are, anything else as compact JSON. */
  claimText: (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value)),
} as const;

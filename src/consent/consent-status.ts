import type { ConsentFamily } from './consent-kinds.ts';
import { badRequest } from '../openbanking/ob-error.ts';

export type ConsentStatus = 'AwaitingAuthorisation' | 'Authorised' | 'Rejected' | 'Revoked' | 'Consumed';

/*
 * The status machines of OB Read/Write v3.1.11. AIS and CBPII: `AwaitingAuthorisation` ->
 * `Authorised` | `Rejected`, `Authorised` -> `Revoked`. PIS: `AwaitingAuthorisation` ->
 * `Authorised` | `Rejected`, `Authorised` -> `Consumed`. Nothing leaves `Rejected`, `Revoked` or
 * `Consumed`. A partner withdrawing a consent nobody authorised yet makes it `Rejected`: it can
 * never be authorised, and `Revoked` is reserved for consents that were.
 */
const TRANSITIONS: Readonly<Record<ConsentFamily, Readonly<Partial<Record<ConsentStatus, readonly ConsentStatus[]>>>>> = {
  ais: { AwaitingAuthorisation: ['Authorised', 'Rejected'], Authorised: ['Revoked'] },
  cbpii: { AwaitingAuthorisation: ['Authorised', 'Rejected'], Authorised: ['Revoked'] },
  pis: { AwaitingAuthorisation: ['Authorised', 'Rejected'], Authorised: ['Consumed'] },
};

/** True when a consent of `family` may move from `from` to `to`. */
export function canTransition(family: ConsentFamily, from: ConsentStatus, to: ConsentStatus): boolean {
  return TRANSITIONS[family][from]?.includes(to) ?? false;
}

/** Throws `UK.OBIE.Resource.InvalidConsentStatus` unless the move is allowed. */
export function assertTransition(family: ConsentFamily, from: ConsentStatus, to: ConsentStatus): void {
  if (!canTransition(family, from, to)) {
    throw badRequest('UK.OBIE.Resource.InvalidConsentStatus', `The consent is ${from}; it cannot become ${to}`);
  }
}

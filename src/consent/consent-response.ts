import { CONSENT_KINDS } from './consent-kinds.ts';
import type { Consent } from './consent.store.ts';

/** The OB response body of a consent: what the partner asked for, plus its identity and status. */
export interface ConsentResponseBody {
  Data: Record<string, unknown>;
  Risk?: Record<string, unknown>;
  Links: { Self: string };
  Meta: Record<string, never>;
}

/**
 * Renders a consent as the Read/Write API answers it (OBReadConsentResponse1,
 * OBWriteDomesticConsentResponse5, …): the request's `Data` echoed with `ConsentId`,
 * `CreationDateTime`, `Status` and `StatusUpdateDateTime` in front, `Risk` echoed where the kind
 * has one, and `Debtor` once the customer has chosen the account a payment leaves from.
 */
export function renderConsent(consent: Consent, baseUrl: string): ConsentResponseBody {
  const spec = CONSENT_KINDS[consent.kind];
  const Data: Record<string, unknown> = {
    ConsentId: consent.id,
    CreationDateTime: consent.created_at.toISOString(),
    Status: consent.status,
    StatusUpdateDateTime: consent.status_updated_at.toISOString(),
    ...consent.request.Data,
  };
  if (spec.family === 'pis' && consent.debtor_account) Data['Debtor'] = consent.debtor_account;
  // The order of the standard's examples: Data, Risk, Links, Meta.
  return {
    Data,
    ...('Risk' in consent.request ? { Risk: consent.request.Risk } : {}),
    Links: { Self: `${baseUrl}${spec.path}/${consent.id}` },
    Meta: {},
  };
}

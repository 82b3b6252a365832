/*
 * The words of UK Open Banking (Read/Write API v3.1.11, Security Profile, DCR v3.2) that more than
 * one part of Portcullis speaks, in one place: the roles a directory grants, the scopes and RAR
 * types each role opens, the account permissions, and the authentication context values.
 */

/** The regulated roles a directory grants a piece of software. */
export const OB_ROLES = ['AISP', 'PISP', 'CBPII'] as const;
export type ObRole = (typeof OB_ROLES)[number];

/** The scopes of the Open Banking resource APIs. */
export const OB_SCOPES = ['accounts', 'payments', 'fundsconfirmations'] as const;
export type ObScope = (typeof OB_SCOPES)[number];

/** The RAR (RFC 9396) types that describe an Open Banking consent in an authorization request. */
export const OB_RAR_TYPES = ['account_information', 'payment_initiation'] as const;
export type ObRarType = (typeof OB_RAR_TYPES)[number];

/** What each role may ask for: the scope it opens, and the RAR types it may send. */
export const OB_ROLE_GRANTS: Readonly<Record<ObRole, { scope: ObScope; rarTypes: readonly ObRarType[] }>> = {
  AISP: { scope: 'accounts', rarTypes: ['account_information'] },
  PISP: { scope: 'payments', rarTypes: ['payment_initiation'] },
  CBPII: { scope: 'fundsconfirmations', rarTypes: [] },
};

/** True when `scope` is one of the Open Banking scopes. */
export function isObScope(scope: string): scope is ObScope {
  return (OB_SCOPES as readonly string[]).includes(scope);
}

/** True when `type` is one of the Open Banking RAR types. */
export function isObRarType(type: unknown): type is ObRarType {
  return (OB_RAR_TYPES as readonly unknown[]).includes(type);
}

/** UK Open Banking account access permissions (OBReadConsent1.Data.Permissions). */
export const OB_PERMISSIONS = [
  'ReadAccountsBasic', 'ReadAccountsDetail', 'ReadBalances', 'ReadBeneficiariesBasic', 'ReadBeneficiariesDetail',
  'ReadDirectDebits', 'ReadOffers', 'ReadPAN', 'ReadParty', 'ReadPartyPSU', 'ReadProducts',
  'ReadScheduledPaymentsBasic', 'ReadScheduledPaymentsDetail', 'ReadStandingOrdersBasic', 'ReadStandingOrdersDetail',
  'ReadStatementsBasic', 'ReadStatementsDetail', 'ReadTransactionsBasic', 'ReadTransactionsCredits',
  'ReadTransactionsDebits', 'ReadTransactionsDetail',
] as const;
export type ObPermission = (typeof OB_PERMISSIONS)[number];

/**
 * The Authentication Context Class References of UK Open Banking (OB Security Profile, after the
 * PSD2 RTS on strong customer authentication), which a partner asks for with `acr_values` or the
 * `claims` parameter and finds in the ID token's `acr`.
 */
export const OPEN_BANKING_ACR = {
  /** Strong customer authentication: two independent factors (PSD2 Art. 97). */
  sca: 'urn:openbanking:psd2:sca',
  /** Customer authentication that is not strong: one factor. */
  ca: 'urn:openbanking:psd2:ca',
} as const;

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

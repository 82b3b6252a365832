/*
 * The JOSE header of a UK Open Banking message signature (`x-jws-signature`), shared by the check
 * of TPP request signatures and the signer of our response bodies so that both hold to the same
 * profile: OB Read/Write Data API Profile v3.1.11, "Message Signing".
 */

/** The one algorithm the profile allows; anything else, `none` included, is refused. */
export const OB_SIGNING_ALG = 'PS256';

/** The `typ` a signer may send; the profile makes it optional. */
export const OB_TYP = 'JOSE';

/** The `cty` a signer may send for a JSON body; the profile makes it optional. */
export const OB_CTY = 'application/json';

/** When the body was signed: a JSON number of seconds since the epoch. */
export const OB_IAT = 'http://openbanking.org.uk/iat';

/** Who signed: `<org_id>/<software_id>` for a TPP, the organisation id for the ASPSP. */
export const OB_ISS = 'http://openbanking.org.uk/iss';

/** The DNS name of the trust anchor whose directory vouches for `iss`, e.g. `openbanking.org.uk`. */
export const OB_TAN = 'http://openbanking.org.uk/tan';

/** The claims `crit` must list, no more and no fewer. */
export const OB_CRITICAL_CLAIMS: readonly string[] = [OB_IAT, OB_ISS, OB_TAN];

/**
 * jose's `crit` option: the three claims are understood and must sit in the protected header.
 * jose refuses any `crit` name it is not told about, when signing as well as verifying.
 */
export const OB_CRIT_OPTION: Readonly<Record<string, boolean>> = { [OB_IAT]: true, [OB_ISS]: true, [OB_TAN]: true };

/**
 * The JWS algorithms FAPI 2.0 §5.4.1 allows (PS256, ES256, EdDSA), for everything signed here or
 * by a partner: our keys, ID tokens, client assertions, request objects, DPoP proofs. The first is
 * the default for clients that do not choose; UK Open Banking expects PS256.
 */
export const SIGNING_ALGORITHMS = ['PS256', 'ES256', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

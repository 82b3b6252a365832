/**
 * oidc-provider's server challenges (`lib/helpers/challenge.js`): the DPoP nonces it issues and
 * accepts are `new ServerChallenge(features.dPoP.nonceSecret, 'DPoP')`. The library exports no
 * types for it; this is the part `check-dpop-nonce-first.ts` uses.
 */
declare module 'oidc-provider/lib/helpers/challenge.js' {
  export default class ServerChallenge {
    constructor(secret: Buffer, info: string);
    /** The nonce to hand out now. */
    nextChallenge(): string;
    /** Whether `challenge` is one of the nonces of the current window. */
    checkChallenge(challenge: string): boolean;
  }
}

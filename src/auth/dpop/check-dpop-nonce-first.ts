import { decodeJwt } from 'jose';
import type { Middleware } from 'koa';
import { errors } from 'oidc-provider';
import ServerChallenge from 'oidc-provider/lib/helpers/challenge.js';

import type { Logger } from '../../observability/logger.ts';
import { sendOAuthError } from '../../shared/oauth-error-response.ts';
import { ROUTES } from '../provider/routes.ts';

// The endpoints that authenticate the client before oidc-provider looks at the DPoP proof.
const CLIENT_AUTHENTICATING_ENDPOINTS = new Set<string>([ROUTES.token, ROUTES.pushed_authorization_request]);

/** The `nonce` of a DPoP proof that is at least a decodable JWT; undefined when it has none. */
function proofNonce(proof: string): { nonce: unknown } | undefined {
  try {
    return { nonce: decodeJwt(proof)['nonce'] };
  } catch {
    // Not a JWT at all: oidc-provider answers invalid_dpop_proof for it, which is the right error.
    return undefined;
  }
}

/**
 * RFC 9449 §8: the server requires nonces, and a client's first proof (or one after the nonce
 * rotated) has none or a stale one, so the answer `use_dpop_nonce` is part of the normal flow and
 * the client retries the same request with the nonce. oidc-provider authenticates the client
 * first, which spends a `private_key_jwt` assertion's `jti` (RFC 7523 §3 replay protection); the
 * retry with the same assertion would then be refused as a replay. So the nonce is checked here,
 * before anything is spent, with oidc-provider's own challenge (same secret, same window), and the
 * request refused exactly as oidc-provider refuses it. Proofs with a valid nonce pass untouched,
 * and the provider still verifies everything else about them.
 */
export function checkDpopNonceFirst(nonceSecret: Buffer, logger: Logger): Middleware {
  const nonces = new ServerChallenge(nonceSecret, 'DPoP');
  return async function checkDpopNonceFirst(ctx, next) {
    const proof = ctx.get('dpop');
    if (!proof || ctx.method !== 'POST' || !CLIENT_AUTHENTICATING_ENDPOINTS.has(ctx.path)) return next();
    const decoded = proofNonce(proof);
    if (!decoded) return next();
    const { nonce } = decoded;
    if (nonce !== undefined && typeof nonce !== 'string') return next();
    if (nonce && nonces.checkChallenge(nonce)) return next();
    ctx.set('DPoP-Nonce', nonces.nextChallenge());
    sendOAuthError(ctx, new errors.UseDpopNonce(nonce ? 'invalid nonce in DPoP proof' : 'nonce is required in the DPoP proof'), logger);
  };
}

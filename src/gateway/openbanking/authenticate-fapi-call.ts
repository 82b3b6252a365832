import type { Context, Middleware } from 'koa';

import { verifyAccessToken, type TokenAccess } from '../../openbanking/access/verify-access-token.ts';
import { ObError } from '../../openbanking/ob-error.ts';
import { OB_PAYMENT_READS } from './ob-payment-resources.ts';

// A partner reads a payment back with its client-credentials token (the Read/Write API's GETs of payment resources).
function readsPayment(method: string, pathTemplate: string): boolean {
  return method === 'GET' && OB_PAYMENT_READS.has(pathTemplate);
}

export interface FapiAuthenticationDeps {
  access: TokenAccess;
  /** The resource indicator Open Banking tokens are issued for. */
  audience: string;
  clientCertificate: (ctx: Context) => string | undefined;
}

/**
 * Step 2 for `fapi` APIs: a sender-constrained access token from the customer's authorisation (a
 * client-credentials one to read a payment back),
 * issued by us for the Open Banking APIs, presented by its holder (the certificate it is bound to,
 * or a DPoP proof by its key: `htm`, `htu`, `ath`, `iat`, a `jti` seen once). A JWT is checked
 * against our keys with no store round trip; its grant's standing comes from memory.
 */
export function authenticateFapiCall(deps: FapiAuthenticationDeps): Middleware {
  return async function authenticateFapiCall(ctx, next) {
    const call = ctx.state.gateway!;
    if (call.api!.authKind !== 'fapi') {
      throw new ObError(404, [{ ErrorCode: 'UK.OBIE.Resource.NotFound', Message: `${ctx.method} ${ctx.path} is not an Open Banking endpoint of this bank` }]);
    }
    const token = await verifyAccessToken(deps.access, {
      authorization: ctx.get('authorization') || undefined,
      dpop: ctx.get('dpop') || undefined,
      certificatePem: deps.clientCertificate(ctx),
      method: ctx.method,
      url: `${ctx.protocol}://${ctx.host}${ctx.path}`,
    }, { kinds: readsPayment(ctx.method, call.route!.pathTemplate) ? ['ClientCredentials', 'AccessToken'] : ['AccessToken'], audience: deps.audience });
    call.caller = {
      clientId: token.clientId, scopes: token.scopes,
      ...(token.accountId ? { subject: token.accountId } : {}),
      ...(token.consentId ? { consentId: token.consentId } : {}),
    };
    call.grantId = token.grantId;
    await next();
  };
}

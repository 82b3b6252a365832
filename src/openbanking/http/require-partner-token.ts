import type { Middleware } from 'koa';

import { verifyAccessToken, type PartnerTokenKind } from '../access/verify-access-token.ts';
import { ObError } from '../ob-error.ts';
import type { ObResourceDependencies } from './ob-resource.deps.ts';

export interface PartnerTokenPolicy {
  kinds: readonly PartnerTokenKind[];
  scope: string;
  /** The software statement role the client must hold. */
  role: string;
}

function forbidden(message: string): ObError {
  return new ObError(403, [{ ErrorCode: 'UK.OBIE.Header.Invalid', Message: message, Path: 'Authorization' }], {
    headers: { 'WWW-Authenticate': `Bearer error="insufficient_scope", error_description="${message}"` },
  });
}

/**
 * Admits a request only with a sender-constrained access token of an accepted kind, carrying the
 * scope, from a client whose software statement grants the role (RFC 6750 §3.1: 401 for a bad
 * token, 403 for too little authority). Puts the partner in `ctx.state.partner`.
 */
export function requirePartnerToken(deps: ObResourceDependencies, policy: PartnerTokenPolicy): Middleware {
  return async function checkPartnerToken(ctx, next) {
    const token = await verifyAccessToken({ tokens: deps.tokens, provider: deps.provider }, {
      authorization: ctx.get('authorization') || undefined,
      dpop: ctx.get('dpop') || undefined,
      certificatePem: deps.clientCertificate(ctx),
      method: ctx.method,
      // Koa 3: `ctx.origin` is the Origin header; the URL the partner addressed is protocol + host.
      url: `${ctx.protocol}://${ctx.host}${ctx.path}`,
    }, { kinds: policy.kinds, audience: deps.audience });
    if (!token.scopes.has(policy.scope)) throw forbidden(`The access token does not carry the ${policy.scope} scope`);
    const client = await deps.provider.Client.find(token.clientId);
    const metadata: Record<string, unknown> = client?.metadata() ?? {};
    const roles = Array.isArray(metadata['software_roles']) ? metadata['software_roles'] as string[] : [];
    if (!client || !roles.includes(policy.role)) throw forbidden(`The client's software statement does not grant the ${policy.role} role`);
    ctx.state.partner = {
      token,
      clientId: token.clientId,
      orgId: typeof metadata['org_id'] === 'string' ? metadata['org_id'] : undefined,
      softwareId: typeof metadata['software_id'] === 'string' ? metadata['software_id'] : undefined,
      jwks: client.jwks as { keys: object[] } | undefined,
      jwksUri: client.jwksUri,
    };
    await next();
  };
}

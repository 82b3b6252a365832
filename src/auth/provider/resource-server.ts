import { errors, type Client, type KoaContextWithOIDC, type ResourceServer } from 'oidc-provider';

import { isObScope, OB_SCOPES } from '../../openbanking/ob-vocabulary.ts';


/** The resource indicator (RFC 8707) of the Open Banking APIs: tokens for them carry it as `aud`. */
export function openBankingResourceIndicator(mtlsBaseUrl: string): string {
  return `${mtlsBaseUrl}/open-banking`;
}

function requestedScopes(ctx: KoaContextWithOIDC): string[] {
  const scope = ctx.oidc.params?.['scope'];
  return typeof scope === 'string' ? scope.split(' ') : [];
}

/**
 * `features.resourceIndicators` (RFC 8707) with one resource server: the Open Banking APIs. A
 * request for Open Banking scopes (or RAR details) is for them even when it names no resource;
 * a request for `openid` alone gets a token for userinfo.
 */
export function openBankingResourceIndicators(resourceIndicator: string, accessTokenTTL: number, accessTokenFormat: 'jwt' | 'opaque') {
  // PS256: what UK Open Banking signs with, and what every partner library verifies.
  const info: ResourceServer = { scope: OB_SCOPES.join(' '), audience: resourceIndicator, accessTokenFormat, accessTokenTTL, ...(accessTokenFormat === 'jwt' ? { jwt: { sign: { alg: 'PS256' } } } : {}) };
  return {
    enabled: true,
    async defaultResource(ctx: KoaContextWithOIDC, _client: Client, oneOf?: readonly string[]) {
      if (oneOf) return oneOf;
      const wantsOpenBanking = requestedScopes(ctx).some(isObScope) || ctx.oidc.params?.['authorization_details'] !== undefined;
      return wantsOpenBanking ? resourceIndicator : undefined;
    },
    async getResourceServerInfo(_ctx: KoaContextWithOIDC, resource: string): Promise<ResourceServer> {
      if (resource !== resourceIndicator) throw new errors.InvalidTarget(`unknown resource ${resource}`);
      return info;
    },
    // Refresh and code exchanges keep the resource the customer authorized.
    useGrantedResource: async () => true,
  };
}

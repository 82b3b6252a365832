import { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

import type { Config, Secrets } from '../../config/config.ts';
import { OB_SCOPES, OPEN_BANKING_ACR } from '../../openbanking/ob-vocabulary.ts';
import { reportStoreOutage } from '../../shared/temporarily-unavailable.ts';
import { trustedProxies } from '../../shared/trusted-proxies.ts';
import type { Authenticator } from '../sign-in/authenticator.ts';
import { clientCertificateHooks } from '../mtls/client-certificate.ts';
import { SIGNING_ALGORITHMS } from '../../openbanking/fapi-algorithms.ts';
import { richAuthorizationRequests } from './authorization-details.ts';
import { CLIENT_AUTH_METHODS, EXTRA_CLIENT_METADATA, validateClientMetadata } from './client-policy.ts';
import { fapiProfileFor } from './fapi-profile.ts';
import { renderProviderError, renderLogout, renderLoggedOut } from './provider-pages.ts';
import { openBankingResourceIndicator, openBankingResourceIndicators } from './resource-server.ts';
import { ROUTES } from './routes.ts';

export interface ProviderDependencies {
  config: Config;
  secrets: Secrets;
  adapter: NonNullable<Configuration['adapter']>;
  jwks: NonNullable<Configuration['jwks']>;
  /** Finds the customer behind a token, for its claims. */
  authenticator: Pick<Authenticator, 'findCustomer'>;
  /** PEM trust anchors for `tls_client_auth`. */
  trustAnchors: string[];
  /** The consent bound to a grant, for the `openbanking_intent_id` claim; absent where there are no consents (the CLI). */
  intentIdOfGrant?: (grantId: string) => Promise<string | undefined>;
}

// FAPI 2.0 §5.4.1: PS256, ES256 and EdDSA only; never `none`, never RS256 or HMAC.
const algorithms = [...SIGNING_ALGORITHMS];

/** Every endpoint that authenticates clients or binds tokens to certificates, on the mTLS listener (RFC 8705 §5). */
function mtlsEndpointAliases(mtlsBaseUrl: string) {
  return {
    token_endpoint: `${mtlsBaseUrl}${ROUTES.token}`,
    pushed_authorization_request_endpoint: `${mtlsBaseUrl}${ROUTES.pushed_authorization_request}`,
    introspection_endpoint: `${mtlsBaseUrl}${ROUTES.introspection}`,
    revocation_endpoint: `${mtlsBaseUrl}${ROUTES.revocation}`,
    registration_endpoint: `${mtlsBaseUrl}${ROUTES.registration}`,
    userinfo_endpoint: `${mtlsBaseUrl}${ROUTES.userinfo}`,
  };
}

/**
 * The oidc-provider configuration: FAPI 2.0 Security Profile for every client, FAPI 1.0 Advanced
 * for clients that register for it. Where the library's defaults are laxer than FAPI (RS256 and
 * HS256 algorithms, bearer tokens, optional PAR, secrets), this narrows them.
 */
export function providerConfiguration(deps: ProviderDependencies): Configuration {
  const { config, secrets, authenticator } = deps;
  const { ttl } = config;
  return {
    adapter: deps.adapter,
    jwks: deps.jwks,
    routes: ROUTES,
    clientAuthMethods: [...CLIENT_AUTH_METHODS],
    responseTypes: ['code'],
    scopes: ['openid', 'offline_access', ...OB_SCOPES],
    // openbanking_intent_id: requested through the claims parameter (UK OB), never by scope; acr
    // and amr likewise (or acr by `acr_values`), from what the sign-in proved.
    claims: { openid: ['sub'], profile: ['name'], openbanking_intent_id: null, acr: null, amr: null },
    // What the sign-ins can prove: strong (password and one-time code, every authorization) and
    // not strong (password alone, the Connected apps dashboard's).
    acrValues: [OPEN_BANKING_ACR.sca, OPEN_BANKING_ACR.ca],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'private_key_jwt',
      id_token_signed_response_alg: 'PS256',
      // Used only when a client asks with `Accept: application/token-introspection+jwt` (RFC 9701 §4);
      // the library's RS256 default is not a FAPI algorithm. Userinfo has no default on purpose: it
      // is plain JSON unless the client registered `userinfo_signed_response_alg` (OIDC Registration
      // §2). JARM is the client policy's call (`checkAuthorizationResponse`).
      introspection_signed_response_alg: 'PS256',
    },
    extraClientMetadata: { properties: [...EXTRA_CLIENT_METADATA], validator: validateClientMetadata },
    enabledJWA: {
      clientAuthSigningAlgValues: algorithms,
      idTokenSigningAlgValues: algorithms,
      requestObjectSigningAlgValues: algorithms,
      userinfoSigningAlgValues: algorithms,
      introspectionSigningAlgValues: algorithms,
      authorizationSigningAlgValues: algorithms,
      dPoPSigningAlgValues: algorithms,
    },
    // RFC 6749 §3.1.2.3 exactness: a client always names its redirect URI, even with one registered.
    allowOmittingSingleRegisteredRedirectUri: false,
    pkce: { required: () => true },
    // @types/oidc-provider models features as a union keyed on RAR and introspection together and
    // cannot narrow an object literal that enables both; the runtime checks this configuration.
    features: {
      devInteractions: { enabled: false },
      fapi: { enabled: true, profile: fapiProfileFor },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: true },
      requestObjects: { enabled: true, requireSignedRequestObject: false },
      jwtResponseModes: { enabled: true },
      richAuthorizationRequests,
      claimsParameter: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // A partner learns about its own tokens only.
        allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
      },
      jwtIntrospection: { enabled: true },
      // RFC 7009 §2.1: a partner revokes its own tokens only; another's is refused, and stays live.
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => {
          if (token.clientId !== client.clientId) throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
          return true;
        },
      },
      userinfo: { enabled: true },
      jwtUserinfo: { enabled: true },
      registration: { enabled: true, initialAccessToken: false },
      registrationManagement: { enabled: true, rotateRegistrationAccessToken: true },
      rpInitiatedLogout: { enabled: true, logoutSource: renderLogout, postLogoutSuccessSource: renderLoggedOut },
      resourceIndicators: openBankingResourceIndicators(openBankingResourceIndicator(config.mtlsBaseUrl), ttl.accessToken, config.accessTokenFormat),
      mTLS: {
        enabled: true,
        certificateBoundAccessTokens: true,
        tlsClientAuth: true,
        selfSignedTlsClientAuth: true,
        ...clientCertificateHooks({ trustedProxies: trustedProxies(config.proxy.trusted), header: config.proxy.clientCertHeader, trustAnchors: deps.trustAnchors }),
      },
      // RFC 9449 §8: server-provided nonces bound the lifetime of every proof.
      dPoP: { enabled: true, nonceSecret: secrets.dpopNonceSecret, requireNonce: () => true },
    } as NonNullable<Configuration['features']>,
    discovery: {
      mtls_endpoint_aliases: mtlsEndpointAliases(config.mtlsBaseUrl),
    },
    ttl: {
      AccessToken: ttl.accessToken,
      AuthorizationCode: ttl.authorizationCode,
      ClientCredentials: ttl.clientCredentials,
      IdToken: ttl.idToken,
      RefreshToken: ttl.refreshToken,
      Grant: ttl.grant,
      Interaction: ttl.interaction,
      Session: ttl.session,
    },
    // Tokens outlive the browser session: they are tied to the customer's consent, not a login.
    // What the gateway needs to enforce a customer's token without the store: its grant (revoked
    // grants are refused by event) and the consent behind it.
    extraTokenClaims: async (_ctx, token) => {
      const grantId = 'grantId' in token && typeof token.grantId === 'string' ? token.grantId : undefined;
      if (!grantId) return undefined;
      const intentId = deps.intentIdOfGrant ? await reportStoreOutage(() => deps.intentIdOfGrant!(grantId)) : undefined;
      return { grant_id: grantId, ...(intentId ? { openbanking_intent_id: intentId } : {}) };
    },
    expiresWithSession: async () => false,
    issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.kind === 'AuthorizationCode',
    // FAPI 2.0 §5.3.2.1: no refresh token rotation; refresh tokens are bound to the authenticated client.
    rotateRefreshToken: () => false,
    // Every authorization gets its own consent: never reuse an earlier grant of the same session.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // Our store work inside oidc-provider's actions, like its adapter's: an outage answers 503.
    async findAccount(_ctx, sub, token) {
      const customer = await reportStoreOutage(() => authenticator.findCustomer(sub));
      if (!customer) return undefined;
      const grantId = token && 'grantId' in token ? token.grantId : undefined;
      return {
        accountId: customer.id,
        async claims(_use, _scope, requested) {
          const intentId = requested['openbanking_intent_id'] !== undefined && grantId && deps.intentIdOfGrant ? await reportStoreOutage(() => deps.intentIdOfGrant!(grantId)) : undefined;
          return { sub: customer.id, name: customer.displayName, ...(intentId ? { openbanking_intent_id: intentId } : {}) };
        },
      };
    },
    cookies: {
      keys: secrets.cookieKeys,
      long: { httpOnly: true, sameSite: 'lax', secure: true },
      short: { httpOnly: true, sameSite: 'lax', secure: true },
    },
    renderError: renderProviderError,
  };
}

import { publicJwks } from '../../auth/keys/public-jwks.ts';
import { accessTokenReader } from '../../openbanking/access/access-token-reader.ts';
import { openBankingResourceIndicator } from '../../auth/provider/resource-server.ts';
import { consentRoutes } from '../../consent/consent.routes.ts';
import { bankResponseSigner } from '../../openbanking/jws-signature/bank-response-signer.ts';
import { openBankingApi } from '../../openbanking/open-banking-api.ts';
import type { Role } from './role.ts';

/**
 * The `gateway` role: the `/open-banking/` route table on the mutual-TLS listener, where every
 * Open Banking API a partner calls registers its routes: the consent API now, the resource APIs
 * (accounts, payments, funds confirmation) with the gateway's pipeline next.
 */
export const gatewayRole: Role = async (context, { provider, jwks }) => {
  const { config, logger, bank } = context;
  const { openBanking } = config;
  const responseSigner = openBanking.messageSigning ? await bankResponseSigner(jwks.keys, openBanking.organisationId, openBanking.trustAnchor) : undefined;
  const publicKeys = publicJwks(jwks.keys);
  const tokens = accessTokenReader({ provider, issuer: config.issuer, jwks: () => publicKeys, grantIsLive: context.grants.isLive, clock: context.clock });
  const consents = consentRoutes({
    consents: context.consents,
    provider,
    tokens,
    baseUrl: config.mtlsBaseUrl,
    audience: openBankingResourceIndicator(config.mtlsBaseUrl),
    clientCertificate: context.clientCertificate,
    accounts: bank.accounts,
    revokeGrant: context.revokeGrant,
    logger,
    messageSigning: { enabled: openBanking.messageSigning, trustAnchor: openBanking.trustAnchor, ...(responseSigner ? { responseSigner } : {}) },
  });
  return { partner: [openBankingApi(logger, [consents])] };
};

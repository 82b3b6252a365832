import { publicJwks } from '../../auth/keys/public-jwks.ts';
import { accessTokenReader } from '../../openbanking/access/access-token-reader.ts';
import { openBankingResourceIndicator } from '../../auth/provider/resource-server.ts';
import { consentRoutes } from '../../consent/consent.routes.ts';
import { bankResponseSigner } from '../../openbanking/jws-signature/bank-response-signer.ts';
import { openBankingApi } from '../../openbanking/open-banking-api.ts';
import { gatewayDeps } from '../../gateway/gateway-runtime.ts';
import { obGatewayPipeline } from '../../gateway/openbanking/ob-gateway-pipeline.ts';
import { publicGatewayPipeline } from '../../gateway/pipeline/gateway-pipeline.ts';
import { metricsEndpoint } from '../../observability/metrics-endpoint.ts';
import { processMetrics } from '../../observability/process-metrics.ts';
import { problemTypeBase } from '../error-family.ts';
import type { Role } from './role.ts';

/**
 * The `gateway` role: on the mutual-TLS listener, the `/open-banking/` route table (the consent
 * API, then the catalogue's `fapi` resource APIs through the gateway's Open Banking pipeline); on
 * the public API listener, every other API of the catalogue; on the admin listener, `/metrics`.
 */
export const gatewayRole: Role = async (context, { provider, jwks }) => {
  const { config, logger, bank } = context;
  const { openBanking } = config;
  const responseSigner = openBanking.messageSigning ? await bankResponseSigner(jwks.keys, openBanking.organisationId, openBanking.trustAnchor) : undefined;
  const messageSigning = { enabled: openBanking.messageSigning, trustAnchor: openBanking.trustAnchor, ...(responseSigner ? { responseSigner } : {}) };
  const publicKeys = publicJwks(jwks.keys);
  const tokens = accessTokenReader({ provider, issuer: config.issuer, jwks: () => publicKeys, grantIsLive: (grantId) => context.grants.isLive(grantId), clientIsActive: (clientId) => context.clients.isActive(clientId), clock: context.clock });
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
    messageSigning,
  });
  const runtime = context.gateway!;
  runtime.useSigningKeys(jwks.keys);
  const deps = gatewayDeps(runtime, { config, clock: context.clock, logger });
  const resources = obGatewayPipeline({
    gateway: deps, access: { tokens, provider }, audience: openBankingResourceIndicator(config.mtlsBaseUrl), clientCertificate: context.clientCertificate, consents: runtime.consents,
    context: { db: context.db, events: context.events, clock: context.clock },
    provider, messageSigning,
  });
  return {
    partner: [openBankingApi(logger, [consents], { unrouted: resources })],
    public: [publicGatewayPipeline(deps, problemTypeBase(config.issuer))],
    admin: [metricsEndpoint([runtime.registry, processMetrics()])],
  };
};

import Provider, { type errors, type KoaContextWithOIDC } from 'oidc-provider';

import type { Logger } from '../../observability/logger.ts';
import { providerConfiguration, type ProviderDependencies } from './provider-configuration.ts';

// Events whose errors are the client's (logged at info) rather than ours.
const CLIENT_ERROR_EVENTS = [
  'authorization.error', 'backchannel.error', 'jwks.error', 'discovery.error', 'end_session.error',
  'grant.error', 'introspection.error', 'pushed_authorization_request.error', 'registration_create.error',
  'registration_read.error', 'registration_update.error', 'registration_delete.error', 'revocation.error', 'userinfo.error',
];

/**
 * Builds the authorization server. Only a configured proxy makes it read `X-Forwarded-*`
 * (anything else has already been stripped), and every protocol error is logged as its event.
 */
export function createProvider(issuer: string, deps: ProviderDependencies, logger: Logger): Provider {
  const provider = new Provider(issuer, providerConfiguration(deps));
  provider.proxy = deps.config.proxy.trusted.length > 0;
  for (const event of CLIENT_ERROR_EVENTS) {
    provider.on(event as 'authorization.error', (ctx: KoaContextWithOIDC, error: errors.OIDCProviderError) => logger.info({ event, error: error.error, description: error.error_description, detail: (error as { error_detail?: string }).error_detail, client: ctx.oidc?.client?.clientId }, event));
  }
  provider.on('server_error', (ctx: KoaContextWithOIDC, error: Error) => logger.error({ err: error, path: ctx.path }, 'server_error'));
  return provider;
}

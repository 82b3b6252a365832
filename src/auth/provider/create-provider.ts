import Provider, { type errors, type KoaContextWithOIDC } from 'oidc-provider';

import type { Logger } from '../../observability/logger.ts';
import { TemporarilyUnavailable } from '../../shared/temporarily-unavailable.ts';
import { providerConfiguration, type ProviderDependencies } from './provider-configuration.ts';
import { sendOutageHeaders } from './send-outage-headers.ts';

// Events whose errors are the client's (logged at info) rather than ours.
const CLIENT_ERROR_EVENTS = [
  'authorization.error', 'backchannel.error', 'jwks.error', 'discovery.error', 'end_session.error',
  'grant.error', 'introspection.error', 'pushed_authorization_request.error', 'registration_create.error',
  'registration_read.error', 'registration_update.error', 'registration_delete.error', 'revocation.error', 'userinfo.error',
];

/**
 * Builds the authorization server. Only a configured proxy makes it read `X-Forwarded-*`
 * (anything else has already been stripped), and every protocol error is logged as its event; a
 * store outage, which oidc-provider reports under the endpoint's event too, as `store.unavailable`.
 */
export function createProvider(issuer: string, deps: ProviderDependencies, logger: Logger): Provider {
  const provider = new Provider(issuer, providerConfiguration(deps));
  provider.proxy = deps.config.proxy.trusted.length > 0;
  provider.use(sendOutageHeaders);
  for (const event of CLIENT_ERROR_EVENTS) {
    provider.on(event as 'authorization.error', (ctx: KoaContextWithOIDC, error: errors.OIDCProviderError) => {
      if (error instanceof TemporarilyUnavailable) logger.error({ event, err: error.cause, path: ctx.path }, 'store.unavailable');
      else logger.info({ event, error: error.error, description: error.error_description, detail: (error as { error_detail?: string }).error_detail, client: ctx.oidc?.client?.clientId }, event);
    });
  }
  provider.on('server_error', (ctx: KoaContextWithOIDC, error: Error) => logger.error({ err: error, path: ctx.path }, 'server_error'));
  return provider;
}

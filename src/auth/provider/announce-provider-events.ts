import type Provider from 'oidc-provider';
import type { Client, KoaContextWithOIDC } from 'oidc-provider';

import type { EventBus } from '../../events/event-bus.ts';

function softwareIdOf(client: Client): { softwareId?: string } {
  const softwareId = client['software_id'];
  return typeof softwareId === 'string' ? { softwareId } : {};
}

/**
 * Puts the changes oidc-provider makes itself on the domain bus, once they are stored: clients a
 * partner registers, updates or deletes through RFC 7591/7592, and grants it revokes (the
 * revocation endpoint, or a reused code or refresh token).
 */
export function announceProviderEvents(provider: Provider, events: EventBus): void {
  provider.on('registration_create.success', (_ctx: KoaContextWithOIDC, client: Client) => {
    events.emit('client.registered', { clientId: client.clientId, via: 'registration', ...softwareIdOf(client) });
  });
  provider.on('registration_update.success', (_ctx: KoaContextWithOIDC, client: Client) => {
    events.emit('client.updated', { clientId: client.clientId, via: 'registration' });
  });
  provider.on('registration_delete.success', (_ctx: KoaContextWithOIDC, client: Client) => {
    events.emit('client.deleted', { clientId: client.clientId, via: 'registration' });
  });
  provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    events.emit('grant.revoked', { grantId, reason: ctx.oidc?.route === 'revocation' ? 'revocation_endpoint' : 'token_reuse' });
  });
}

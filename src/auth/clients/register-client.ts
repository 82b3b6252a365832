import type Provider from 'oidc-provider';
import type { ClientMetadata } from 'oidc-provider';

/**
 * Registers a client by hand (the CLI, tests, the sandbox's demo partner): the same schema and
 * FAPI client policy as dynamic registration, but no software statement, because an operator
 * vouches for it. Replaces a client with the same id.
 */
export async function registerClient(provider: Provider, metadata: ClientMetadata): Promise<ClientMetadata> {
  const client = new (provider.Client as unknown as new (metadata: ClientMetadata) => InstanceType<Provider['Client']>)(metadata);
  const stored = client.metadata();
  await (provider.Client as unknown as { adapter: { upsert(id: string, payload: object): Promise<void> } }).adapter.upsert(client.clientId, stored);
  return stored;
}

import { randomBytes } from 'node:crypto';

import type Provider from 'oidc-provider';
import type { ClientMetadata } from 'oidc-provider';

type ClientModel = {
  new (metadata: ClientMetadata): InstanceType<Provider['Client']>;
  needsSecret(metadata: ClientMetadata): boolean;
  adapter: { upsert(id: string, payload: object): Promise<void> };
};

/**
 * What dynamic registration does before the schema runs (oidc-provider `lib/actions/registration.js`):
 * a client whose authentication method needs a secret is given one, so that the schema judges the
 * method itself (FAPI allows no secret-based one) instead of reporting a missing `client_secret`.
 */
function addSecretWhenNeeded(Client: ClientModel, metadata: ClientMetadata): ClientMetadata {
  return Client.needsSecret(metadata) && metadata.client_secret === undefined ? { ...metadata, client_secret: randomBytes(32).toString('base64url') } : metadata;
}

/**
 * Registers a client by hand (the CLI, tests, the sandbox's demo partner): the same schema and
 * FAPI client policy as dynamic registration, but no software statement, because an operator
 * vouches for it. Replaces a client with the same id.
 */
export async function registerClient(provider: Provider, metadata: ClientMetadata): Promise<ClientMetadata> {
  const Client = provider.Client as unknown as ClientModel;
  const client = new Client(addSecretWhenNeeded(Client, metadata));
  const stored = client.metadata();
  await Client.adapter.upsert(client.clientId, stored);
  return stored;
}

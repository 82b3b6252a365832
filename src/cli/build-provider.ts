import type { Knex } from 'knex';
import type Provider from 'oidc-provider';

import { createStoreAdapter } from '../auth/adapter/store-adapter.ts';
import { passwordAuthenticator } from '../auth/customers/password-authenticator.ts';
import { loadSigningKeys } from '../auth/keys/signing-keys.service.ts';
import { createProvider } from '../auth/provider/create-provider.ts';
import type { Config, Secrets } from '../config/config.ts';
import { createLogger } from '../observability/logger.ts';

/**
 * The authorization server as `npm start` builds it (configuration, signing keys, client policy,
 * store adapter), for commands that need its client schema. It never listens, so it needs no PKI:
 * trust anchors are read only while a request authenticates with a certificate. Like `npm start`,
 * it creates the signing keys when the store has none.
 */
export async function buildProvider(config: Config, secrets: Secrets, db: Knex): Promise<Provider> {
  const jwks = await loadSigningKeys(db, secrets.keyEncryptionKey, config.retiredKeyGrace);
  const deps = { config, secrets, adapter: createStoreAdapter(db), jwks, authenticator: passwordAuthenticator(db), trustAnchors: [] };
  return createProvider(config.issuer, deps, createLogger('silent', false));
}

import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';

import type { SigningJwks } from '../../auth/keys/signing-keys.service.ts';
import type { ServerContext } from '../server-context.ts';

/** One generation of the authorization server: rebuilt, with every role's routes, when the signing keys change. */
export interface KeyGeneration {
  provider: Provider;
  jwks: SigningJwks;
}

/** What a role adds to each listener, in order. */
export interface RoleRoutes {
  /** The browser-facing listener (`ISSUER`). */
  browser?: Middleware[];
  /** The partner-facing mutual-TLS listener (`MTLS_BASE_URL`). */
  partner?: Middleware[];
  /** The gateway's public API listener (`GATEWAY_BASE_URL`): TLS without client certificates. */
  public?: Middleware[];
  /** The admin API's listener (`ADMIN_HOST`:`ADMIN_PORT`), localhost by default. */
  admin?: Middleware[];
}

/** Builds a role's routes for a generation of the authorization server. */
export type Role = (context: ServerContext, generation: KeyGeneration) => Promise<RoleRoutes>;

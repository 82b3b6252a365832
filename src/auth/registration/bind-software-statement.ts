import { isDeepStrictEqual } from 'node:util';

import { errors } from 'oidc-provider';

import { OB_ROLE_GRANTS } from '../../openbanking/ob-vocabulary.ts';
import type { SoftwareStatement } from './software-statement.schema.ts';

/**
 * Turns a registration request into the client metadata to register, with the verified software
 * statement taking precedence over what the partner asked for (RFC 7591 §2.3, §3.1.1). Where the
 * request may narrow the statement (redirect URIs, scope) it may not widen it; where a different
 * value would change who the client is (its keys) the request is refused rather than overridden,
 * because a partner sending other keys is either misconfigured or not the software it claims.
 * Authentication methods, algorithms and sender constraint are left as requested: the client
 * policy decides those.
 */

// RFC 7519 §4.1 registered claims describe the registration request JWT, not the client.
const jwtClaimNames = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti']);

/**
 * Produces the client metadata to register from the requested metadata (a registration request
 * JWT's verified claims or a plain JSON body) and its verified software statement.
 *
 * - `redirect_uris`: each must be one of `software_redirect_uris`; absent means all of them.
 * - `jwks_uri` / `jwks`: from `software_jwks_endpoint` / `software_jwks`; a different value fails.
 * - `client_name`, `client_uri`, `logo_uri`, `tos_uri`, `policy_uri`: from the SSA only, so the
 *   customer's consent screen shows nothing the directory has not vouched for.
 * - `scope`: within what `software_roles` open, always with `openid`; absent means all of it.
 * - `software_id`, `software_version`, `software_roles`, `org_id`, `org_name`: from the SSA.
 * - `software_statement`: kept as sent, since RFC 7591 §3.2.1 returns it unmodified.
 *
 * @throws `errors.InvalidClientMetadata` with code `invalid_redirect_uri` for a redirect URI the
 *   SSA does not list, and `invalid_client_metadata` for other keys or a scope beyond the roles.
 */
export function bindSoftwareStatement(requested: Record<string, unknown>, ssa: SoftwareStatement): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(requested).filter(([name]) => !jwtClaimNames.has(name))),
    redirect_uris: bindRedirectUris(requested.redirect_uris, ssa),
    ...bindKeys(requested, ssa),
    scope: bindScope(requested.scope, ssa),
    client_name: ssa.software_client_name,
    client_uri: ssa.software_client_uri,
    logo_uri: ssa.software_logo_uri,
    tos_uri: ssa.software_tos_uri,
    policy_uri: ssa.software_policy_uri,
    software_id: ssa.software_id,
    software_version: ssa.software_version,
    software_roles: ssa.software_roles,
    org_id: ssa.org_id,
    org_name: ssa.org_name,
  };
  return Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== undefined));
}

function bindRedirectUris(requested: unknown, ssa: SoftwareStatement): string[] {
  if (requested === undefined) return ssa.software_redirect_uris;
  // oidc-provider sends an InvalidClientMetadata whose description starts with "redirect_uris" as
  // invalid_redirect_uri (RFC 7591 §3.2.2).
  if (!Array.isArray(requested) || requested.length === 0 || !requested.every((uri) => typeof uri === 'string')) {
    throw new errors.InvalidClientMetadata('redirect_uris must be a non-empty array of strings');
  }
  // Exact string comparison, as RFC 9700 §2.1 requires of redirect URIs.
  const unlisted = requested.filter((uri) => !ssa.software_redirect_uris.includes(uri));
  if (unlisted.length > 0) {
    throw new errors.InvalidClientMetadata(`redirect_uris must be listed in the software statement's software_redirect_uris: ${unlisted.join(', ')} is not`);
  }
  return requested;
}

function bindKeys(requested: Record<string, unknown>, ssa: SoftwareStatement): { jwks_uri?: string; jwks?: SoftwareStatement['software_jwks'] } {
  const bound = { jwks_uri: ssa.software_jwks_endpoint, jwks: ssa.software_jwks };
  if (requested.jwks_uri !== undefined && requested.jwks_uri !== bound.jwks_uri) {
    throw new errors.InvalidClientMetadata("jwks_uri must be the software statement's software_jwks_endpoint");
  }
  if (requested.jwks !== undefined && !isDeepStrictEqual(requested.jwks, bound.jwks)) {
    throw new errors.InvalidClientMetadata("jwks must be the software statement's software_jwks");
  }
  return bound;
}

function bindScope(requested: unknown, ssa: SoftwareStatement): string {
  const allowed = new Set(['openid', ...ssa.software_roles.map((role) => OB_ROLE_GRANTS[role].scope)]);
  if (requested === undefined) return [...allowed].join(' ');
  if (typeof requested !== 'string') {
    throw new errors.InvalidClientMetadata('scope must be a space-delimited string');
  }
  const scopes = requested.split(' ').filter((scope) => scope !== '');
  const beyond = scopes.filter((scope) => !allowed.has(scope));
  if (beyond.length > 0) {
    throw new errors.InvalidClientMetadata(`scope ${beyond.join(' ')} is not open to software_roles ${ssa.software_roles.join(' ')}`);
  }
  return [...new Set(['openid', ...scopes])].join(' ');
}

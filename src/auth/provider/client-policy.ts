import { errors } from 'oidc-provider';

import { OB_ROLE_GRANTS, OB_ROLES, type ObRole } from '../../openbanking/ob-vocabulary.ts';
import { FAPI_PROFILES } from './fapi-profile.ts';

type Metadata = Record<string, unknown>;

/** Client metadata beyond RFC 7591 that Portcullis stores and understands. */
export const EXTRA_CLIENT_METADATA = ['fapi_profile', 'software_id', 'software_version', 'software_statement', 'software_roles', 'org_id', 'org_name'] as const;

export const CLIENT_AUTH_METHODS = ['private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth'] as const;

const GRANT_TYPES = new Set(['authorization_code', 'refresh_token', 'client_credentials']);

function invalid(description: string): never {
  throw new errors.InvalidClientMetadata(description);
}

function checkProfile(metadata: Metadata): void {
  metadata['fapi_profile'] ??= '2.0';
  if (!FAPI_PROFILES.includes(metadata['fapi_profile'] as never)) invalid(`fapi_profile must be one of ${FAPI_PROFILES.join(', ')}`);
}

/**
 * FAPI 2.0 §5.3.2.1 and FAPI 1.0 Advanced §5.2.2: access tokens are sender-constrained, always.
 * A client that states no binding gets the one that fits its authentication: the certificate it
 * already presents, or DPoP. FAPI 1.0 Advanced knows only certificate binding.
 */
function checkSenderConstraint(metadata: Metadata): void {
  const usesCertificate = String(metadata['token_endpoint_auth_method']).endsWith('tls_client_auth');
  if (metadata['fapi_profile'] === '1.0 Final') {
    if (metadata['dpop_bound_access_tokens'] === true) invalid('FAPI 1.0 Advanced clients use certificate-bound access tokens, not DPoP');
    metadata['tls_client_certificate_bound_access_tokens'] = true;
    return;
  }
  if (metadata['dpop_bound_access_tokens'] !== true && metadata['tls_client_certificate_bound_access_tokens'] !== true) {
    metadata[usesCertificate ? 'tls_client_certificate_bound_access_tokens' : 'dpop_bound_access_tokens'] = true;
  }
}

function checkGrantTypes(metadata: Metadata): void {
  const grantTypes = metadata['grant_types'];
  if (Array.isArray(grantTypes) && grantTypes.some((type) => !GRANT_TYPES.has(type))) {
    invalid(`grant_types may only contain ${[...GRANT_TYPES].join(', ')}`);
  }
}

/** FAPI 2.0 §5.3.2.1 item 3 (and OAuth 2.1): redirect URIs are https, matched exactly. */
function checkRedirectUris(metadata: Metadata): void {
  const uris = metadata['redirect_uris'];
  if (!Array.isArray(uris)) return;
  for (const uri of uris) {
    if (typeof uri !== 'string' || URL.parse(uri)?.protocol !== 'https:') {
      // oidc-provider answers metadata errors about redirect_uris with `invalid_redirect_uri`.
      invalid('redirect_uris must be https URLs');
    }
  }
}

/** FAPI 1.0 Advanced §5.2.2: signed request objects. */
function checkFapi1(metadata: Metadata): void {
  if (metadata['fapi_profile'] !== '1.0 Final') return;
  metadata['require_signed_request_object'] = true;
}

/*
 * oidc-provider fills an unregistered `authorization_signed_response_alg` with JARM's own default,
 * RS256, before this policy runs; no FAPI client may use RS256, so that value means "not
 * registered" (a client that really asked for RS256 is in the same place: no RS256 JARM).
 */
const LIBRARY_DEFAULT_JARM_ALG = 'RS256';

// Every response mode oidc-provider offers but the JWT ones (JARM): what a client without JARM may ask for.
const PLAIN_RESPONSE_MODES = ['query', 'fragment', 'form_post'] as const;

/**
 * JARM only for clients that registered it (JARM §3, `authorization_signed_response_alg`) or whose
 * profile requires it (FAPI 1.0 Advanced §5.2.2: the only `code` response it allows). Anyone else
 * keeps plain query responses: their `response_modes` leave out the JWT modes, so that asking for
 * `response_mode=jwt` is refused instead of answered in a format the client never agreed to. The
 * decision is stored with the client, so it survives reloading the metadata.
 */
function checkAuthorizationResponse(metadata: Metadata): void {
  const registered = metadata['authorization_signed_response_alg'] !== LIBRARY_DEFAULT_JARM_ALG;
  if (registered) return;
  metadata['authorization_signed_response_alg'] = 'PS256';
  if (metadata['fapi_profile'] !== '1.0 Final' && metadata['response_modes'] === undefined) metadata['response_modes'] = [...PLAIN_RESPONSE_MODES];
}


/**
 * The roles a directory gave the software decide which `authorization_details` types it may send:
 * they become its `authorization_details_types` (which oidc-provider enforces), and a client may
 * not claim a type its roles do not allow.
 */
function checkSoftwareRoles(metadata: Metadata): void {
  const roles = metadata['software_roles'];
  if (roles === undefined) return;
  if (!Array.isArray(roles) || roles.some((role) => !(OB_ROLES as readonly unknown[]).includes(role))) {
    invalid(`software_roles may only contain ${OB_ROLES.join(', ')}`);
  }
  const allowed = new Set<string>((roles as ObRole[]).flatMap((role) => OB_ROLE_GRANTS[role].rarTypes));
  const requested = metadata['authorization_details_types'];
  if (Array.isArray(requested) && requested.length) {
    const beyond = requested.filter((type) => !allowed.has(type));
    if (beyond.length) invalid(`authorization_details_types ${beyond.join(', ')} not allowed by software_roles`);
    return;
  }
  metadata['authorization_details_types'] = [...allowed];
}

/**
 * The registration policy every client passes, whether it arrives through DCR, the CLI or the
 * store: oidc-provider calls this (synchronously) once per extra property while it builds a
 * client, so the checks run on the first property only and may complete the metadata.
 */
export function validateClientMetadata(_ctx: unknown, key: string, _value: unknown, metadata: Metadata): void {
  if (key !== EXTRA_CLIENT_METADATA[0]) return;
  checkProfile(metadata);
  checkSenderConstraint(metadata);
  checkGrantTypes(metadata);
  checkRedirectUris(metadata);
  checkFapi1(metadata);
  checkAuthorizationResponse(metadata);
  checkSoftwareRoles(metadata);
}

import type { JSONWebKeySet } from 'jose';
import { z } from 'zod';

import { OB_ROLES } from '../../openbanking/ob-vocabulary.ts';

/**
 * The claims of a software statement assertion (SSA) in the UK Open Banking Directory shape
 * (Open Banking Directory SSA, DCR v3.2). Claim names are kept as the directory spells them, so
 * that a reader can hold this file against the directory's documentation and the registration
 * code can say plainly which claim fills which RFC 7591 metadata field. Claims not listed here are
 * allowed and kept: directories add claims over time, and RFC 7591 §2.3 lets them.
 */


const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an absolute https URL' });

// RFC 6749 §3.1.2: a redirection endpoint URI MUST be absolute and MUST NOT include a fragment.
const redirectUri = httpsUrl.refine((uri) => !uri.includes('#'), 'must not contain a fragment');

// Checked for shape only: jose checks each key when it is used, and typing the result as its
// JSONWebKeySet lets the key set pass straight to jose and into client metadata.
const publicJwks = z
  .looseObject({ keys: z.array(z.looseObject({ kty: z.string() })).min(1, 'must hold at least one key') })
  .transform((jwks) => jwks as JSONWebKeySet);

export const softwareStatementSchema = z
  .looseObject({
    iss: z.string().min(1),
    iat: z.number(),
    exp: z.number().optional(),
    jti: z.string().min(1),
    software_id: z.string().min(1),
    software_client_id: z.string().min(1).optional(),
    software_client_name: z.string().min(1),
    software_client_description: z.string().optional(),
    // The Directory has issued both "1.0" and 1.0; RFC 7591 §2 defines software_version as a string.
    software_version: z.union([z.string(), z.number()]).transform(String).optional(),
    software_client_uri: httpsUrl.optional(),
    software_logo_uri: httpsUrl.optional(),
    software_tos_uri: httpsUrl.optional(),
    software_policy_uri: httpsUrl.optional(),
    software_redirect_uris: z.array(redirectUri).min(1, 'must hold at least one redirect URI'),
    software_roles: z.array(z.enum(OB_ROLES)).min(1, 'must grant at least one role'),
    software_jwks_endpoint: httpsUrl.optional(),
    software_jwks: publicJwks.optional(),
    software_mode: z.string().optional(),
    software_environment: z.string().optional(),
    org_id: z.string().min(1),
    org_name: z.string().min(1),
    org_status: z.string().optional(),
    organisation_competent_authority_claims: z.looseObject({}).optional(),
  })
  .refine((claims) => claims.software_jwks_endpoint !== undefined || claims.software_jwks !== undefined, {
    message: 'one of software_jwks_endpoint or software_jwks is required',
    path: ['software_jwks_endpoint'],
  })
  // RFC 7591 §2: jwks_uri and jwks MUST NOT both be present; the SSA fills exactly one of them.
  .refine((claims) => claims.software_jwks_endpoint === undefined || claims.software_jwks === undefined, {
    message: 'software_jwks_endpoint and software_jwks must not both be present',
    path: ['software_jwks'],
  });

/** A verified software statement: the SSA's claims under their directory names. */
export type SoftwareStatement = z.output<typeof softwareStatementSchema>;

import { exportJWK } from 'jose';

import type { Config } from '../../src/config/config.ts';
import { createSandboxDirectory } from '../directory/sandbox-directory.ts';
import { signRegistrationRequest } from '../directory/sign-registration-request.ts';
import { createSoftwareKeys } from '../directory/software-keys.ts';
import { DemoFailed } from './demo-failure.ts';
import { DEMO_IDENTITY } from './demo-identity.ts';
import type { DemoPartner } from './demo-state.ts';
import type { PartnerFetch } from './partner-http.ts';
import { readResponseBody } from './read-response.ts';

/**
 * Onboards the demo partner the way a TPP onboards in the UK: new software keys, a software
 * statement from the (sandbox) directory vouching for them, then a UK DCR v3.2 registration
 * request, a JWT signed with the software key, posted to the bank's registration endpoint. The
 * redirect URI is on `callbackPort`. Returns what the partner must keep; each call makes new keys
 * and a new client.
 */
export async function registerDemoPartner(config: Config, partnerFetch: PartnerFetch, callbackPort: number): Promise<DemoPartner> {
  const redirectUri = `https://localhost:${callbackPort}/callback`;
  const software = await createSoftwareKeys('PS256');
  const directory = await createSandboxDirectory(config.certsDir);
  const softwareStatement = await directory.issueSoftwareStatement({
    software_id: DEMO_IDENTITY.softwareId,
    software_client_name: DEMO_IDENTITY.clientName,
    org_id: DEMO_IDENTITY.orgId,
    org_name: DEMO_IDENTITY.orgName,
    software_roles: ['AISP', 'PISP', 'CBPII'],
    software_redirect_uris: [redirectUri],
    software_jwks: software.jwks,
  });
  const request = await signRegistrationRequest({
    software_statement: softwareStatement,
    redirect_uris: [redirectUri],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'PS256',
    request_object_signing_alg: 'PS256',
    // RFC 8705 §3: tokens bound to the certificate the partner presents at the token endpoint.
    tls_client_certificate_bound_access_tokens: true,
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code'],
    scope: 'openid accounts payments fundsconfirmations',
  }, software, { audience: config.issuer, softwareId: DEMO_IDENTITY.softwareId });

  const response = await partnerFetch(await registrationEndpoint(config.issuer, partnerFetch), {
    method: 'POST',
    headers: { 'content-type': 'application/jwt', accept: 'application/json' },
    body: request,
  });
  const body = await readResponseBody(response);
  if (response.status !== 201 || !isRegistration(body)) throw new DemoFailed(`registration was refused (HTTP ${response.status})`, body);
  return {
    issuer: config.issuer,
    clientId: body.client_id,
    registrationClientUri: body.registration_client_uri,
    registrationAccessToken: body.registration_access_token,
    orgId: DEMO_IDENTITY.orgId,
    softwareId: DEMO_IDENTITY.softwareId,
    redirectUri,
    signingKey: { ...(await exportJWK(software.privateKey)), kid: software.publicJwk.kid, alg: 'PS256' },
  };
}

/** The `registration_endpoint` the issuer's discovery document advertises. */
async function registrationEndpoint(issuer: string, partnerFetch: PartnerFetch): Promise<string> {
  const response = await partnerFetch(`${issuer}/.well-known/openid-configuration`, { headers: { accept: 'application/json' } });
  const metadata = await readResponseBody(response);
  const endpoint = response.ok && typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>)['registration_endpoint'] : undefined;
  if (typeof endpoint !== 'string') throw new DemoFailed(`${issuer} advertises no registration_endpoint (HTTP ${response.status})`, metadata);
  return endpoint;
}

interface RegistrationResponse {
  client_id: string;
  registration_client_uri: string;
  registration_access_token: string;
}

function isRegistration(body: unknown): body is RegistrationResponse {
  if (typeof body !== 'object' || body === null) return false;
  const { client_id, registration_client_uri, registration_access_token } = body as Record<string, unknown>;
  return [client_id, registration_client_uri, registration_access_token].every((value) => typeof value === 'string');
}

import { exportJWK } from 'jose';

import type { Config } from '../../src/config/config.ts';
import { signRegistrationRequest } from '../directory/sign-registration-request.ts';
import { DemoFailed } from './demo-failure.ts';
import type { RegisteringSoftware } from './demo-profile.ts';
import type { DemoPartner } from './demo-state.ts';
import type { PartnerFetch } from './partner-http.ts';
import { readResponseBody } from './read-response.ts';

/**
 * Registers the software the way a TPP registers in the UK: a UK DCR v3.2 registration request,
 * a JWT signed with the software key carrying the software statement, posted to the bank's
 * registration endpoint over mutual TLS. The scope is left out: the bank gives every scope the
 * statement's roles open. Returns what the partner must keep; each call makes a new client.
 */
export async function registerDemoPartner(config: Config, partnerFetch: PartnerFetch, software: RegisteringSoftware): Promise<DemoPartner> {
  const request = await signRegistrationRequest({
    software_statement: software.softwareStatement,
    redirect_uris: [software.redirectUri],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'PS256',
    request_object_signing_alg: 'PS256',
    // RFC 8705 §3: tokens bound to the certificate the partner presents at the token endpoint.
    tls_client_certificate_bound_access_tokens: true,
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code'],
  }, software.keys, { audience: config.issuer, softwareId: software.softwareId });

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
    orgId: software.orgId,
    softwareId: software.softwareId,
    redirectUri: software.redirectUri,
    signingKey: { ...(await exportJWK(software.keys.privateKey)), kid: software.keys.publicJwk.kid, alg: 'PS256' },
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

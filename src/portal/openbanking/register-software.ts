import { randomUUID } from 'node:crypto';

import { importJWK, SignJWT, type JWK } from 'jose';
import { Agent, fetch as undiciFetch } from 'undici';

import { PortalPageError } from '../portal-page-error.ts';
import { RegistrationUnavailable } from './registration-unavailable.ts';

/*
 * Registers a partner's software with the bank's authorization server exactly as the partner
 * would (and as the demo client does): a UK DCR v3.2 registration request, the client metadata
 * carrying the software statement as a JWT signed with the software's key, posted over mutual TLS
 * with the software's transport certificate to the registration endpoint (RFC 7591 §3). The client
 * authenticates with `private_key_jwt` and its tokens are bound to that certificate (RFC 8705 §3),
 * which is what the bundle's demo configuration expects.
 */

/** Long enough for a registration on a busy server; short enough that a developer is not left waiting. */
const REGISTRATION_TIMEOUT_MS = 10_000;

/** Where and how the portal reaches the registration endpoint. */
export interface RegistrationEndpoint {
  /** The issuer: the registration request's audience. */
  issuer: string;
  url: string;
  /** The CAs the endpoint's TLS certificate may chain to. */
  trustedCas(): Promise<string[]>;
}

export interface SoftwareToRegister {
  softwareId: string;
  softwareStatement: string;
  redirectUris: string[];
  /** The software's private signing key, with its `kid` and `alg`. */
  signingJwk: JWK;
  transport: { certificatePem: string; privateKeyPem: string };
}

export interface Registration {
  clientId: string;
  /** RFC 7592 §3: the client configuration endpoint, and the token that reads, updates or deletes the client there. */
  registrationClientUri: string;
  registrationAccessToken: string;
}

/**
 * Registers the software: the new client, or a 409 page with the server's refusal (an RFC 7591
 * §3.2.2 error), or a 503 when the endpoint does not answer properly.
 */
export async function registerSoftware(endpoint: RegistrationEndpoint, software: SoftwareToRegister): Promise<Registration> {
  const request = await signedRegistrationRequest(endpoint.issuer, software);
  const dispatcher = new Agent({ connect: { ca: await endpoint.trustedCas(), cert: software.transport.certificatePem, key: software.transport.privateKeyPem } });
  let status: number;
  let body: unknown;
  try {
    const response = await undiciFetch(endpoint.url, {
      method: 'POST', headers: { 'content-type': 'application/jwt', accept: 'application/json' }, body: request, dispatcher, signal: AbortSignal.timeout(REGISTRATION_TIMEOUT_MS),
    });
    status = response.status;
    body = await response.json().catch(() => undefined);
  } catch (error) {
    throw new RegistrationUnavailable({ cause: error });
  } finally {
    void dispatcher.close();
  }
  if (status === 201 && isRegistration(body)) {
    return { clientId: body.client_id, registrationClientUri: body.registration_client_uri, registrationAccessToken: body.registration_access_token };
  }
  if (status >= 400 && status < 500) throw new PortalPageError(409, `The bank refused the registration: ${describeRefusal(body)}`);
  throw new RegistrationUnavailable({ cause: new Error(`registration endpoint answered HTTP ${status}`) });
}

async function signedRegistrationRequest(issuer: string, software: SoftwareToRegister): Promise<string> {
  const alg = software.signingJwk.alg!;
  return new SignJWT({
    software_statement: software.softwareStatement,
    redirect_uris: software.redirectUris,
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: alg,
    request_object_signing_alg: alg,
    tls_client_certificate_bound_access_tokens: true,
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code'],
  })
    .setProtectedHeader({ alg, kid: software.signingJwk.kid!, typ: 'JWT' })
    // UK DCR v3.2: the software signs, as its software id; the bank is the audience.
    .setIssuer(software.softwareId)
    .setAudience(issuer)
    .setIssuedAt()
    .setJti(randomUUID())
    .setExpirationTime('5m')
    .sign(await importJWK(software.signingJwk, alg));
}

function isRegistration(body: unknown): body is { client_id: string; registration_client_uri: string; registration_access_token: string } {
  if (typeof body !== 'object' || body === null) return false;
  const { client_id, registration_client_uri, registration_access_token } = body as Record<string, unknown>;
  return [client_id, registration_client_uri, registration_access_token].every((value) => typeof value === 'string');
}

/** RFC 7591 §3.2.2's `error` and `error_description`, as the server wrote them. */
function describeRefusal(body: unknown): string {
  const { error, error_description: description } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof error !== 'string') return 'no reason was given';
  return typeof description === 'string' ? `${error}: ${description}` : error;
}

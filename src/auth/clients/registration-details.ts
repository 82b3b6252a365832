import { X509Certificate } from 'node:crypto';

import { decodeJwt } from 'jose';

import type { ClientCertificateRow } from '../mtls/client-certificate.store.ts';
import type { ClientRow } from './client.store.ts';

/*
 * A partner's registration as the bank's operations read it: who the software statement says it
 * is, what it may do, and the certificates the registration holds. The software statement was
 * verified when the client registered (`verify-software-statement.ts`); here its claims are only
 * decoded, to be shown as the directory signed them.
 *
 * What the store holds about certificates, and so all that can be shown: the transport
 * certificate's subject for `tls_client_auth` (`tls_client_auth_subject_dn`), the transport
 * certificates the client has authenticated with on the mutual-TLS listener
 * (`oidc_client_certificates`, kept as they are seen), and the keys of the registered `jwks` with
 * their certificates (`x5c`) when the directory's keys carry them. A client registered with a
 * `jwks_uri` has its keys at that address, which is not fetched for this.
 */

/** A client is listed as expiring when one of its certificates ends within this many days. */
const CERTIFICATE_WARNING_DAYS = 30;

export interface RegisteredKey {
  kid: string | undefined;
  kty: string | undefined;
  alg: string | undefined;
  use: string | undefined;
  /** The key's own certificate (`x5c[0]`), when the key carries one. */
  certificate?: { subject: string; issuer: string; validFrom: Date; validTo: Date; expiresSoon: boolean; expired: boolean };
}

/** A transport certificate the client has authenticated with, judged at the moment asked. */
export interface SeenTransportCertificate {
  /** RFC 8705 §3.1 `x5t#S256`. */
  thumbprint: string;
  subject: string;
  issuer: string;
  validFrom: Date;
  validTo: Date;
  firstSeenAt: Date;
  lastSeenAt: Date;
  expiresSoon: boolean;
  expired: boolean;
  /**
   * The client has since moved to a certificate that ends later (first presented after this one
   * was last): this one's end no longer threatens its calls, and raises no warning.
   */
  replaced: boolean;
}

export interface RegistrationSummary {
  clientId: string;
  clientName: string | undefined;
  orgId: string | undefined;
  orgName: string | undefined;
  softwareId: string | undefined;
  roles: string[];
  authMethod: string | undefined;
  registeredAt: Date;
  status: 'active' | 'suspended';
  suspendedAt: Date | null;
}

export interface RegistrationDetails extends RegistrationSummary {
  redirectUris: string[];
  scope: string | undefined;
  /** The software statement's claims as the directory signed them; undefined for a client registered without one (by ops). */
  statementClaims: Record<string, unknown> | undefined;
  /** `tls_client_auth`: the transport certificate's subject the client must present. */
  transportSubject: string | undefined;
  senderConstraint: 'certificate' | 'dpop' | undefined;
  jwksUri: string | undefined;
  keys: RegisteredKey[];
  /** The transport certificates the client has authenticated with, the one ending soonest first. */
  transportCertificates: SeenTransportCertificate[];
  /** The soonest end of any registered or presented (and not replaced) certificate, when within the warning period. */
  certificateWarning: { validTo: Date; expired: boolean; source: 'key' | 'transport' } | undefined;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
const strings = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** What the client list shows of a registration. */
function summariseRegistration(row: ClientRow): RegistrationSummary {
  const metadata = row.metadata;
  return {
    clientId: row.client_id,
    clientName: text(metadata['client_name']),
    orgId: text(metadata['org_id']),
    orgName: text(metadata['org_name']),
    softwareId: row.software_id ?? undefined,
    roles: strings(metadata['software_roles']),
    authMethod: text(metadata['token_endpoint_auth_method']),
    registeredAt: row.created_at,
    status: row.suspended_at ? 'suspended' : 'active',
    suspendedAt: row.suspended_at,
  };
}

function statementClaims(statement: unknown): Record<string, unknown> | undefined {
  if (typeof statement !== 'string') return undefined;
  try {
    return decodeJwt(statement);
  } catch {
    return undefined;
  }
}

/** Whether a certificate ending at `validTo` has ended at `now`, or ends within the warning period. */
function judgeEnd(validTo: Date, now: Date): { expired: boolean; expiresSoon: boolean } {
  return { expired: validTo <= now, expiresSoon: validTo.getTime() - now.getTime() <= CERTIFICATE_WARNING_DAYS * 86_400_000 };
}

function seenTransportCertificates(rows: readonly ClientCertificateRow[], now: Date): SeenTransportCertificate[] {
  return rows.map((row) => ({
    thumbprint: row.thumbprint, subject: row.subject_dn, issuer: row.issuer_dn, validFrom: row.not_before, validTo: row.not_after,
    firstSeenAt: row.first_seen_at, lastSeenAt: row.last_seen_at, ...judgeEnd(row.not_after, now),
    replaced: rows.some((other) => other.not_after > row.not_after && other.first_seen_at > row.last_seen_at),
  }));
}

function keyCertificate(x5c: unknown, now: Date): RegisteredKey['certificate'] {
  const first = Array.isArray(x5c) && typeof x5c[0] === 'string' ? x5c[0] : undefined;
  if (!first) return undefined;
  try {
    const certificate = new X509Certificate(Buffer.from(first, 'base64'));
    const validTo = new Date(certificate.validTo);
    return {
      subject: certificate.subject.split('\n').join(', '), issuer: certificate.issuer.split('\n').join(', '),
      validFrom: new Date(certificate.validFrom), validTo, ...judgeEnd(validTo, now),
    };
  } catch {
    return undefined;
  }
}

function registeredKeys(jwks: unknown, now: Date): RegisteredKey[] {
  const keys = (jwks as { keys?: unknown } | undefined)?.keys;
  if (!Array.isArray(keys)) return [];
  return keys.filter((key): key is Record<string, unknown> => typeof key === 'object' && key !== null).map((key) => {
    const certificate = keyCertificate(key['x5c'], now);
    return { kid: text(key['kid']), kty: text(key['kty']), alg: text(key['alg']), use: text(key['use']), ...(certificate ? { certificate } : {}) };
  });
}

/**
 * Everything shown of one registration, its certificates judged at `now`: the registered keys'
 * and the transport certificates it has presented (`certificates`, the rows of this client).
 */
export function describeRegistration(row: ClientRow, certificates: readonly ClientCertificateRow[], now: Date): RegistrationDetails {
  const metadata = row.metadata;
  const keys = registeredKeys(metadata['jwks'], now);
  const transportCertificates = seenTransportCertificates(certificates, now);
  const soonest = [
    ...keys.flatMap((key) => (key.certificate ? [{ ...key.certificate, source: 'key' as const }] : [])),
    ...transportCertificates.filter((certificate) => !certificate.replaced).map((certificate) => ({ ...certificate, source: 'transport' as const })),
  ].sort((a, b) => a.validTo.getTime() - b.validTo.getTime())[0];
  const constraint = metadata['tls_client_certificate_bound_access_tokens'] === true ? 'certificate' : metadata['dpop_bound_access_tokens'] === true ? 'dpop' : undefined;
  return {
    ...summariseRegistration(row),
    redirectUris: strings(metadata['redirect_uris']),
    scope: text(metadata['scope']),
    statementClaims: statementClaims(metadata['software_statement']),
    transportSubject: text(metadata['tls_client_auth_subject_dn']),
    senderConstraint: constraint,
    jwksUri: text(metadata['jwks_uri']),
    keys,
    transportCertificates,
    certificateWarning: soonest?.expiresSoon ? { validTo: soonest.validTo, expired: soonest.expired, source: soonest.source } : undefined,
  };
}

import type { Knex } from 'knex';

/*
 * `oidc_client_certificates`: the transport certificates each client has authenticated with
 * (migrations/20261210010000_create_oidc_client_certificates.ts).
 */

/** A certificate a client presented, as the store keeps it. */
export interface ClientCertificateRow {
  client_id: string;
  /** RFC 8705 §3.1 `x5t#S256`: base64url of the SHA-256 of the DER. */
  thumbprint: string;
  subject_dn: string;
  issuer_dn: string;
  not_before: Date;
  not_after: Date;
  first_seen_at: Date;
  last_seen_at: Date;
}

/**
 * Records a sighting: a new certificate is inserted as first and last seen at `seenAt`; a known one
 * only has its `last_seen_at` moved forward (never back, as sightings from several instances can
 * arrive out of order).
 */
export async function recordClientCertificate(db: Knex, certificate: Omit<ClientCertificateRow, 'first_seen_at' | 'last_seen_at'>, seenAt: Date): Promise<void> {
  await db('oidc_client_certificates')
    .insert({ ...certificate, first_seen_at: seenAt, last_seen_at: seenAt })
    .onConflict(['client_id', 'thumbprint'])
    .merge({ last_seen_at: db.raw('greatest(oidc_client_certificates.last_seen_at, excluded.last_seen_at)') });
}

/** The certificates the clients have presented, the one ending soonest first. */
export async function listClientCertificates(db: Knex, clientIds: readonly string[]): Promise<ClientCertificateRow[]> {
  if (clientIds.length === 0) return [];
  return db<ClientCertificateRow>('oidc_client_certificates').select('*').whereIn('client_id', clientIds).orderBy([{ column: 'not_after' }, { column: 'thumbprint' }]);
}

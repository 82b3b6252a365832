import { createHash } from 'node:crypto';

import canonicalize from 'canonicalize';

import type { AuditFields } from './audit-entry.ts';

/** The `prev_hash` of the first entry: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * An entry's hash: SHA-256, in hex, of the previous entry's hash followed by the RFC 8785
 * canonical JSON of the entry with its sequence number. Every column but the hashes is covered,
 * nulls included, so changing, clearing or renumbering any of them shows; chaining the previous
 * hash in makes removing, inserting or reordering entries show at the next one.
 */
export function hashAuditEntry(prevHash: string, seq: number, fields: AuditFields): string {
  const canonical = canonicalize({
    seq,
    at: fields.at.toISOString(),
    kind: fields.kind,
    action: fields.action,
    actor: fields.actor,
    apiId: fields.apiId,
    route: fields.route,
    applicationId: fields.applicationId,
    clientId: fields.clientId,
    customerId: fields.customerId,
    consentId: fields.consentId,
    status: fields.status,
    payload: fields.payload,
  });
  return createHash('sha256').update(prevHash).update(canonical!).digest('hex');
}

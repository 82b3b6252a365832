import { hash } from 'node:crypto';

import canonicalize from 'canonicalize';

import type { AuditFields } from './audit-entry.ts';

/** The `prev_hash` of the first entry: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The RFC 8785 canonical JSON of an entry's fields, without its sequence number: made when the
 * entry is recorded, so that chaining a batch is a hash per entry rather than a serialisation each
 * (hundreds of them at once held the event loop for milliseconds: every call waiting behind).
 */
export function canonicalAuditFields(fields: AuditFields): string {
  return canonicalize({
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
  })!;
}

/**
 * An entry's hash: SHA-256, in hex, of the previous entry's hash followed by the RFC 8785
 * canonical JSON of the entry with its sequence number. Every column but the hashes is covered,
 * nulls included, so changing, clearing or renumbering any of them shows; chaining the previous
 * hash in makes removing, inserting or reordering entries show at the next one.
 *
 * `seq` sorts just before `status`, the last member, whose value (a number or null) holds no
 * `,"status":`: the last such text in the fields' JSON is where `seq` goes.
 */
export function chainAuditEntry(prevHash: string, seq: number, canonicalFields: string): string {
  const at = canonicalFields.lastIndexOf(',"status":');
  const canonical = `${canonicalFields.slice(0, at)},"seq":${seq}${canonicalFields.slice(at)}`;
  return hash('sha256', prevHash + canonical, 'hex');
}

/** `chainAuditEntry` from the fields themselves: for checking stored entries. */
export function hashAuditEntry(prevHash: string, seq: number, fields: AuditFields): string {
  return chainAuditEntry(prevHash, seq, canonicalAuditFields(fields));
}

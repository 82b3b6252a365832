import { hash } from 'node:crypto';

import canonicalize from 'canonicalize';

import type { AuditFields } from './audit-entry.ts';

/** The `prev_hash` of the first entry: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The RFC 8785 canonical JSON of an entry's fields, without its sequence number: made when the
 * entry is recorded, so that chaining a batch is a hash per entry rather than a serialisation each
 * (hundreds of them at once held the event loop for milliseconds: every call waiting behind).
 *
 * The members are written out here in the order RFC 8785 sorts their names (by UTF-16 code units)
 * and only the payload, whose shape is anyone's, goes through the canonicalizer: every other value
 * is a string, an integer or null, which RFC 8785 writes as `JSON.stringify` does. On the
 * gateway's audited calls this takes half the time and a fifth of the memory of canonicalizing the
 * whole entry; the tests hold the two to the same text.
 */
export function canonicalAuditFields(fields: AuditFields): string {
  return `{"action":${JSON.stringify(fields.action)},"actor":${JSON.stringify(fields.actor)},"apiId":${JSON.stringify(fields.apiId)},`
    + `"applicationId":${JSON.stringify(fields.applicationId)},"at":"${fields.at.toISOString()}","clientId":${JSON.stringify(fields.clientId)},`
    + `"consentId":${JSON.stringify(fields.consentId)},"customerId":${JSON.stringify(fields.customerId)},"kind":${JSON.stringify(fields.kind)},`
    + `"payload":${canonicalize(fields.payload)!},"route":${JSON.stringify(fields.route)},"status":${JSON.stringify(fields.status)}}`;
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

import { createHash, randomBytes, randomInt } from 'node:crypto';

/*
 * Identifiers and credentials of the sandbox directory, shaped like the Open Banking Directory's:
 * an organisation id of 18 capitals and digits, a software id of 22 letters and digits (both safe
 * in a certificate subject and a URL path), and the organisation's bearer token, `sbx_` and 256
 * random bits, shown once and kept as a SHA-256 hash (a fast hash is enough for 256 random bits).
 */

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const MIXED = `${UPPER}abcdefghijklmnopqrstuvwxyz`;

function randomText(alphabet: string, length: number): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

export function newOrganisationId(): string {
  return `SBX${randomText(UPPER, 15)}`;
}

export function newSoftwareId(): string {
  return randomText(MIXED, 22);
}

export function newOrganisationToken(): string {
  return `sbx_${randomBytes(32).toString('base64url')}`;
}

export function hashOrganisationToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

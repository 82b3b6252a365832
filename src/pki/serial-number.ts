import { randomBytes } from 'node:crypto';

import forge from 'node-forge';

const { asn1 } = forge;

/**
 * A certificate serial number as a DER INTEGER. RFC 5280 §4.1.2.2: positive, at most 20 bytes,
 * unique per CA; the default of 126 random bits makes collisions (and guessing) moot without
 * keeping any state.
 *
 * @throws {RangeError} for zero, a negative number or more than 20 bytes.
 */
export function encodeSerialNumber(serialNumber: bigint = randomSerialNumber()): forge.asn1.Asn1 {
  const hex = serialNumber.toString(16);
  const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  // DER INTEGERs are two's complement: a leading 1 bit would read as negative.
  const content = bytes[0] & 0x80 ? Buffer.concat([Buffer.of(0), bytes]) : bytes;
  if (serialNumber <= 0n || content.length > 20) throw new RangeError('serialNumber must be positive and at most 20 bytes');
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, content.toString('binary'));
}

function randomSerialNumber(): bigint {
  const bytes = randomBytes(16);
  // Clear the sign bit and set the next one: positive, and always the full 16 bytes long.
  bytes[0] = (bytes[0] & 0x7f) | 0x40;
  return BigInt(`0x${bytes.toString('hex')}`);
}

/*
 * Checks the `x-jws-signature` a TPP sends with a payment-consent POST (OB Read/Write Data API
 * Profile v3.1.11, "Message Signing"). The protected header is inspected here before jose sees it,
 * so that each failure gets its exact OB code (Missing, Malformed, MissingClaim, InvalidClaim,
 * Invalid) instead of one generic rejection. jose then checks the signature over the body bytes as
 * received: re-serialised JSON would not be the bytes the TPP signed.
 */
import { decodeProtectedHeader, errors, flattenedVerify, type CryptoKey, type FlattenedVerifyGetKey } from 'jose';

import { ObError, type ObErrorCode } from '../ob-error.ts';
import { OB_CRIT_OPTION, OB_CRITICAL_CLAIMS, OB_CTY, OB_IAT, OB_ISS, OB_SIGNING_ALG, OB_TAN, OB_TYP } from './ob-jose-header.ts';

const HEADER_NAME = 'x-jws-signature';

/** How far `iat` may run ahead of our clock, in seconds, when the caller does not say. */
const DEFAULT_CLOCK_SKEW_SECONDS = 30;

export interface VerifyRequestSignatureInput {
  /** The `x-jws-signature` header; `undefined` when the request has none. */
  header: string | undefined;
  /** The request body exactly as received, before any JSON parsing. */
  rawBody: Buffer | string;
  /** Finds the TPP's public key by `kid`: `createLocalJWKSet(jwks)` or `createRemoteJWKSet(url)`. */
  getKey: FlattenedVerifyGetKey<CryptoKey>;
  /** `<org_id>/<software_id>` from the TPP's software statement. */
  expectedIssuer: string;
  /** The trust anchor's DNS name we accept, e.g. `openbanking.org.uk`. */
  trustAnchor: string;
  /** The current time in milliseconds; `Date.now` unless a test freezes the clock. */
  now?: () => number;
  /** How far `iat` may lie in the future, in seconds, to allow for clock drift. Default 30. */
  clockSkewSeconds?: number;
}

type ProtectedHeader = Readonly<Record<string, unknown>>;

function reject(ErrorCode: ObErrorCode, Message: string, Path: string, cause?: unknown): ObError {
  return new ObError(400, [{ ErrorCode, Message, Path }], { cause });
}

const malformed = (message: string, cause?: unknown) => reject('UK.OBIE.Signature.Malformed', message, HEADER_NAME, cause);
const missingClaim = (claim: string, message = `${claim} is required`) => reject('UK.OBIE.Signature.MissingClaim', message, claim);
const invalidClaim = (claim: string, message: string, cause?: unknown) => reject('UK.OBIE.Signature.InvalidClaim', message, claim, cause);

/** `crit` must list exactly the three OB claims (any order); jose would otherwise accept a subset. */
function checkCrit(crit: unknown): void {
  if (crit === undefined) throw missingClaim('crit');
  const mustListExactly = `crit must list exactly ${OB_CRITICAL_CLAIMS.join(', ')}`;
  if (!Array.isArray(crit)) throw invalidClaim('crit', mustListExactly);
  const names: readonly unknown[] = crit;
  const allowed: ReadonlySet<unknown> = new Set(OB_CRITICAL_CLAIMS);
  if (new Set(names).size !== names.length || !names.every((name) => allowed.has(name))) throw invalidClaim('crit', mustListExactly);
  const unlisted = OB_CRITICAL_CLAIMS.find((claim) => !names.includes(claim));
  if (unlisted !== undefined) throw missingClaim('crit', `crit must list ${unlisted}`);
}

/** Compares case-insensitively, as media types are (RFC 7515 §4.1.9, §4.1.10). */
function checkOptionalMediaType(header: ProtectedHeader, name: 'typ' | 'cty', accepted: readonly string[]): void {
  const value = header[name];
  if (value !== undefined && (typeof value !== 'string' || !accepted.includes(value.toLowerCase()))) {
    throw invalidClaim(name, `${name} must be ${accepted[0]} when present`);
  }
}

function checkProtectedHeader(header: ProtectedHeader, input: VerifyRequestSignatureInput): void {
  if (header.alg === undefined) throw missingClaim('alg');
  if (header.alg !== OB_SIGNING_ALG) throw invalidClaim('alg', `alg must be ${OB_SIGNING_ALG}`);
  // Profile v3.1.4 onwards: b64 MUST NOT be used, whatever its value.
  if (Object.hasOwn(header, 'b64')) throw invalidClaim('b64', 'b64 must not be present');
  if (header.kid === undefined) throw missingClaim('kid');
  if (typeof header.kid !== 'string' || header.kid === '') throw invalidClaim('kid', 'kid must be a non-empty string');
  checkOptionalMediaType(header, 'typ', [OB_TYP.toLowerCase()]);
  // RFC 7515 §4.1.10: a cty without "/" means "application/" plus that value.
  checkOptionalMediaType(header, 'cty', [OB_CTY, OB_CTY.replace('application/', '')]);
  checkCrit(header.crit);
  for (const claim of OB_CRITICAL_CLAIMS) {
    if (header[claim] === undefined) throw missingClaim(claim);
  }

  const iat = header[OB_IAT];
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw invalidClaim(OB_IAT, `${OB_IAT} must be a number of seconds`);
  const nowSeconds = (input.now ?? Date.now)() / 1000;
  if (iat > nowSeconds + (input.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS)) throw invalidClaim(OB_IAT, `${OB_IAT} is in the future`);
  if (header[OB_ISS] !== input.expectedIssuer) throw invalidClaim(OB_ISS, `${OB_ISS} does not match the client`);
  if (header[OB_TAN] !== input.trustAnchor) throw invalidClaim(OB_TAN, `${OB_TAN} is not a trusted anchor`);
}

/** Maps the jose failures that are the TPP's fault; anything else (JWKS unreachable, a bad key) is ours. */
function toObError(error: unknown): unknown {
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return reject('UK.OBIE.Signature.Invalid', 'The signature does not match the request body', HEADER_NAME, error);
  }
  if (error instanceof errors.JWKSNoMatchingKey) return invalidClaim('kid', 'kid names no signing key of the client', error);
  if (error instanceof errors.JWKSMultipleMatchingKeys) return invalidClaim('kid', 'kid names more than one key of the client', error);
  // Only the signature part is left unchecked by now: it is not base64url.
  if (error instanceof errors.JWSInvalid) return malformed('The signature is not base64url', error);
  return error;
}

/**
 * Verifies the detached JWS in `x-jws-signature` over the raw request body, and throws an
 * `ObError` 400 naming the first problem found.
 *
 * @example
 * ```ts
 * await verifyRequestSignature({
 *   header: ctx.get('x-jws-signature') || undefined,
 *   rawBody: ctx.request.rawBody,
 *   getKey: createRemoteJWKSet(new URL(client.jwksUri)),
 *   expectedIssuer: `${orgId}/${softwareId}`,
 *   trustAnchor: 'openbanking.org.uk',
 * });
 * ```
 */
export async function verifyRequestSignature(input: VerifyRequestSignatureInput): Promise<void> {
  if (input.header === undefined || input.header === '') throw reject('UK.OBIE.Signature.Missing', `${HEADER_NAME} is required`, HEADER_NAME);
  const parts = input.header.split('.');
  if (parts.length !== 3) throw malformed('The signature must be a compact JWS, header..signature');
  const [encodedHeader, payload, signature] = parts;
  if (payload !== '') throw malformed('The signature must have a detached payload, header..signature');

  let header: ProtectedHeader;
  try {
    header = decodeProtectedHeader(input.header);
  } catch (error) {
    throw malformed('The signature header is not base64url-encoded JSON', error);
  }
  checkProtectedHeader(header, input);

  const body = typeof input.rawBody === 'string' ? Buffer.from(input.rawBody, 'utf8') : input.rawBody;
  try {
    await flattenedVerify(
      { protected: encodedHeader, payload: body.toString('base64url'), signature },
      input.getKey,
      { algorithms: [OB_SIGNING_ALG], crit: OB_CRIT_OPTION },
    );
  } catch (error) {
    throw toObError(error);
  }
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { base64url, CompactSign, createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

import { ObError } from '../../src/openbanking/ob-error.ts';
import { signResponseBody } from '../../src/openbanking/jws-signature/sign-response-body.ts';
import { verifyRequestSignature, type VerifyRequestSignatureInput } from '../../src/openbanking/jws-signature/verify-request-signature.ts';

const IAT = 'http://openbanking.org.uk/iat';
const ISS = 'http://openbanking.org.uk/iss';
const TAN = 'http://openbanking.org.uk/tan';

const NOW_MS = Date.UTC(2025, 0, 15, 12, 0, 0);
const NOW_SECONDS = NOW_MS / 1000;
const KID = 'tpp-signing-1';
const ISSUER = '0015800001041REAAY/5sd7F4Ng2yoWOQlbUpm10e';
const TRUST_ANCHOR = 'openbanking.org.uk';
const BODY = '{"Data":{"Initiation":{"InstructionIdentification":"ACME412","InstructedAmount":{"Amount":"165.88","Currency":"GBP"}}},"Risk":{}}';

const signingKeys = await generateKeyPair('PS256', { extractable: true });
const otherKeys = await generateKeyPair('PS256');
const rsaKeys = await generateKeyPair('RS256');
const ecKeys = await generateKeyPair('ES256');
const publicJwk: JWK = { ...(await exportJWK(signingKeys.publicKey)), kid: KID, use: 'sig' };
const getKey = createLocalJWKSet({ keys: [publicJwk] });

/** A valid OB header; an override set to `undefined` drops that member, as JSON.stringify does. */
function obHeader(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    alg: 'PS256', kid: KID, typ: 'JOSE', cty: 'application/json', crit: [IAT, ISS, TAN],
    [IAT]: NOW_SECONDS, [ISS]: ISSUER, [TAN]: TRUST_ANCHOR,
    ...overrides,
  };
}

/** WebCrypto parameters for each key type `generateKeyPair` made above. */
function signingAlgorithm(key: CryptoKey): Parameters<typeof crypto.subtle.sign>[0] {
  if (key.algorithm.name === 'RSA-PSS') return { name: 'RSA-PSS', saltLength: 32 };
  if (key.algorithm.name === 'ECDSA') return { name: 'ECDSA', hash: 'SHA-256' };
  return key.algorithm.name;
}

/**
 * Signs any header over `body` and detaches the payload. jose refuses to sign most of the broken
 * headers under test (a `crit` claim that is absent, for one), so this signs with WebCrypto.
 */
async function signDetached(header: Record<string, unknown>, body: string, key: CryptoKey = signingKeys.privateKey): Promise<string> {
  const encodedHeader = base64url.encode(JSON.stringify(header));
  const signingInput = new TextEncoder().encode(`${encodedHeader}.${base64url.encode(body)}`);
  const signature = await crypto.subtle.sign(signingAlgorithm(key), key, signingInput);
  return `${encodedHeader}..${base64url.encode(new Uint8Array(signature))}`;
}

function verify(header: string | undefined, overrides: Partial<VerifyRequestSignatureInput> = {}): Promise<void> {
  return verifyRequestSignature({ header, rawBody: BODY, getKey, expectedIssuer: ISSUER, trustAnchor: TRUST_ANCHOR, now: () => NOW_MS, ...overrides });
}

async function assertObError(promise: Promise<void>, ErrorCode: string, Path: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ObError, `expected an ObError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.deepEqual(error.errors.map((detail) => ({ ErrorCode: detail.ErrorCode, Path: detail.Path })), [{ ErrorCode, Path }]);
    return true;
  });
}

describe('signResponseBody and verifyRequestSignature', () => {
  const signer = { key: signingKeys.privateKey, kid: KID, issuer: ISSUER, trustAnchor: TRUST_ANCHOR, now: () => NOW_MS + 999 };

  it('signs a detached PS256 JWS with the OB header that verifies over the body', async () => {
    const signature = await signResponseBody(BODY, signer);
    assert.match(signature, /^[\w-]+\.\.[\w-]+$/);
    assert.deepEqual(decodeProtectedHeader(signature), obHeader());
    await verify(signature);
    await verify(signature, { rawBody: Buffer.from(BODY) });
  });

  it('verifies under the issuer and trust anchor it was signed with, and no other', async () => {
    const signature = await signResponseBody(BODY, { ...signer, issuer: 'other-org', trustAnchor: 'directory.example' });
    await verify(signature, { expectedIssuer: 'other-org', trustAnchor: 'directory.example' });
    await assertObError(verify(signature), 'UK.OBIE.Signature.InvalidClaim', ISS);
  });

  it('verifies over the raw bytes of a non-ASCII body', async () => {
    const body = '{"Data":{"Reference":"Café £5"}}';
    const signature = await signResponseBody(body, signer);
    await verify(signature, { rawBody: Buffer.from(body, 'utf8') });
    await assertObError(verify(signature, { rawBody: Buffer.from(body, 'latin1') }), 'UK.OBIE.Signature.Invalid', 'x-jws-signature');
  });
});

describe('verifyRequestSignature rejects', () => {
  it('a missing or empty header as Signature.Missing', async () => {
    await assertObError(verify(undefined), 'UK.OBIE.Signature.Missing', 'x-jws-signature');
    await assertObError(verify(''), 'UK.OBIE.Signature.Missing', 'x-jws-signature');
  });

  it('anything but header..signature as Signature.Malformed', async () => {
    const attached = await new CompactSign(new TextEncoder().encode(BODY)).setProtectedHeader({ alg: 'PS256', kid: KID }).sign(signingKeys.privateKey);
    for (const header of ['garbage', 'a.b', 'a..b.c', attached]) {
      await assertObError(verify(header), 'UK.OBIE.Signature.Malformed', 'x-jws-signature');
    }
  });

  it('a header that is not base64url JSON object, or a signature that is not base64url, as Signature.Malformed', async () => {
    const valid = await signDetached(obHeader(), BODY);
    for (const header of ['%%%..abc', `${base64url.encode('not json')}..abc`, `${base64url.encode('[1]')}..abc`, `${valid.split('.')[0]}..!!!`]) {
      await assertObError(verify(header), 'UK.OBIE.Signature.Malformed', 'x-jws-signature');
    }
  });

  it('b64 in the header, false or true, as Signature.InvalidClaim', async () => {
    for (const b64 of [false, true]) {
      const header = await signDetached(obHeader({ b64, crit: ['b64', IAT, ISS, TAN] }), BODY);
      await assertObError(verify(header), 'UK.OBIE.Signature.InvalidClaim', 'b64');
    }
  });

  it('an alg other than PS256, none included, as Signature.InvalidClaim, and no alg as Signature.MissingClaim', async () => {
    await assertObError(verify(await signDetached(obHeader({ alg: 'ES256' }), BODY, ecKeys.privateKey)), 'UK.OBIE.Signature.InvalidClaim', 'alg');
    await assertObError(verify(await signDetached(obHeader({ alg: 'RS256' }), BODY, rsaKeys.privateKey)), 'UK.OBIE.Signature.InvalidClaim', 'alg');
    await assertObError(verify(`${base64url.encode(JSON.stringify(obHeader({ alg: 'none' })))}..`), 'UK.OBIE.Signature.InvalidClaim', 'alg');
    await assertObError(verify(await signDetached(obHeader({ alg: undefined }), BODY)), 'UK.OBIE.Signature.MissingClaim', 'alg');
  });

  it('a missing kid as Signature.MissingClaim', async () => {
    await assertObError(verify(await signDetached(obHeader({ kid: undefined }), BODY)), 'UK.OBIE.Signature.MissingClaim', 'kid');
  });

  for (const claim of [IAT, ISS, TAN]) {
    it(`a missing ${claim} as Signature.MissingClaim`, async () => {
      await assertObError(verify(await signDetached(obHeader({ [claim]: undefined }), BODY)), 'UK.OBIE.Signature.MissingClaim', claim);
    });

    it(`a crit without ${claim} as Signature.MissingClaim`, async () => {
      const crit = [IAT, ISS, TAN].filter((name) => name !== claim);
      await assertObError(verify(await signDetached(obHeader({ crit }), BODY)), 'UK.OBIE.Signature.MissingClaim', 'crit');
    });
  }

  it('an absent crit as Signature.MissingClaim, and a crit listing more or repeating as Signature.InvalidClaim', async () => {
    await assertObError(verify(await signDetached(obHeader({ crit: undefined }), BODY)), 'UK.OBIE.Signature.MissingClaim', 'crit');
    for (const crit of [[IAT, ISS, TAN, 'exp'], [IAT, ISS, TAN, TAN], IAT]) {
      await assertObError(verify(await signDetached(obHeader({ crit }), BODY)), 'UK.OBIE.Signature.InvalidClaim', 'crit');
    }
  });

  it('accepts crit in any order, and typ and cty left out or in another case', async () => {
    await verify(await signDetached(obHeader({ crit: [TAN, IAT, ISS] }), BODY));
    await verify(await signDetached(obHeader({ typ: undefined, cty: undefined }), BODY));
    await verify(await signDetached(obHeader({ typ: 'jose', cty: 'json' }), BODY));
  });

  it('a typ or cty of another media type as Signature.InvalidClaim', async () => {
    await assertObError(verify(await signDetached(obHeader({ typ: 'JWT' }), BODY)), 'UK.OBIE.Signature.InvalidClaim', 'typ');
    await assertObError(verify(await signDetached(obHeader({ cty: 'text/plain' }), BODY)), 'UK.OBIE.Signature.InvalidClaim', 'cty');
  });

  it('an iss or tan other than expected as Signature.InvalidClaim', async () => {
    await assertObError(verify(await signDetached(obHeader({ [ISS]: 'someone/else' }), BODY)), 'UK.OBIE.Signature.InvalidClaim', ISS);
    await assertObError(verify(await signDetached(obHeader({ [TAN]: 'openbanking.example' }), BODY)), 'UK.OBIE.Signature.InvalidClaim', TAN);
  });

  it('an iat in the future beyond the clock skew, or not a number, as Signature.InvalidClaim', async () => {
    await verify(await signDetached(obHeader({ [IAT]: NOW_SECONDS + 30 }), BODY));
    await verify(await signDetached(obHeader({ [IAT]: NOW_SECONDS - 86_400 }), BODY));
    await assertObError(verify(await signDetached(obHeader({ [IAT]: NOW_SECONDS + 31 }), BODY)), 'UK.OBIE.Signature.InvalidClaim', IAT);
    await assertObError(verify(await signDetached(obHeader({ [IAT]: NOW_SECONDS + 10 }), BODY), { clockSkewSeconds: 5 }), 'UK.OBIE.Signature.InvalidClaim', IAT);
    await assertObError(verify(await signDetached(obHeader({ [IAT]: String(NOW_SECONDS) }), BODY)), 'UK.OBIE.Signature.InvalidClaim', IAT);
  });

  it('a kid that names no key, or more than one, as Signature.InvalidClaim', async () => {
    await assertObError(verify(await signDetached(obHeader({ kid: 'unknown-kid' }), BODY)), 'UK.OBIE.Signature.InvalidClaim', 'kid');
    const twoKeys = createLocalJWKSet({ keys: [publicJwk, { ...publicJwk, n: (await exportJWK(rsaKeys.publicKey)).n }] });
    await assertObError(verify(await signDetached(obHeader(), BODY), { getKey: twoKeys }), 'UK.OBIE.Signature.InvalidClaim', 'kid');
  });

  it('a body changed by one byte, or only in whitespace, as Signature.Invalid', async () => {
    const signature = await signDetached(obHeader(), BODY);
    await verify(signature);
    await assertObError(verify(signature, { rawBody: BODY.replace('165.88', '165.89') }), 'UK.OBIE.Signature.Invalid', 'x-jws-signature');
    await assertObError(verify(signature, { rawBody: JSON.stringify(JSON.parse(BODY), null, 2) }), 'UK.OBIE.Signature.Invalid', 'x-jws-signature');
    await assertObError(verify(signature, { rawBody: `${BODY}\n` }), 'UK.OBIE.Signature.Invalid', 'x-jws-signature');
  });

  it('a signature by another key under the same kid as Signature.Invalid', async () => {
    await assertObError(verify(await signDetached(obHeader(), BODY, otherKeys.privateKey)), 'UK.OBIE.Signature.Invalid', 'x-jws-signature');
  });
});

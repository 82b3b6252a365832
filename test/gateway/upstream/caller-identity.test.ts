import assert from 'node:assert/strict';
import { test } from 'node:test';

import { generateKeyPairSync } from 'node:crypto';

import { createLocalJWKSet, decodeProtectedHeader, SignJWT, type JWK } from 'jose';

import { CALLER_IDENTITY_TYPE, CallerIdentityRefused, signCallerIdentity, verifyCallerIdentity, type CallerIdentity } from '../../../src/gateway/upstream/caller-identity.ts';
import { fixedClock } from '../../helpers/fixed-clock.ts';

const issuer = 'https://gateway.example';
const audience = 'http://bank.internal:8080/ob/v3.1';
const identity: CallerIdentity = {
  clientId: 'partner-1',
  applicationId: 'app-1',
  organisationId: 'org-1',
  customerId: 'customer-7',
  consentId: 'aac-1',
  accountIds: ['22289', '31820'],
  permissions: ['ReadAccountsBasic', 'ReadTransactionsCredits'],
  transactionPeriod: { from: '2026-01-01T00:00:00+00:00' },
  scopes: ['accounts', 'openid'],
  apiId: 'api-ob-aisp',
  routeId: 'route-accounts',
};

const es256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ps256 = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwks = {
  keys: [
    { ...(es256.publicKey.export({ format: 'jwk' }) as JWK), kid: 'gw-es', alg: 'ES256' },
    { ...(ps256.publicKey.export({ format: 'jwk' }) as JWK), kid: 'gw-ps', alg: 'PS256' },
  ],
};

function sign(clock = fixedClock('2026-12-04T12:00:00Z'), overrides: Partial<Parameters<typeof signCallerIdentity>[1]> = {}) {
  return signCallerIdentity(identity, { key: es256.privateKey, kid: 'gw-es', alg: 'ES256', issuer, audience, ttlSeconds: 60, clock, ...overrides });
}

/** Asserts a refusal, and that jose refused it for `code`. */
async function assertRefused(verifying: Promise<unknown>, code: string) {
  await assert.rejects(verifying, (error: unknown) => {
    assert.ok(error instanceof CallerIdentityRefused);
    assert.equal((error.cause as { code?: string }).code, code);
    return true;
  });
}

test('a signed identity verifies, typed portcullis-identity+jwt, with every field back as it was', async () => {
  const clock = fixedClock('2026-12-04T12:00:00Z');
  const jws = await sign(clock);
  assert.deepEqual(decodeProtectedHeader(jws), { alg: 'ES256', kid: 'gw-es', typ: CALLER_IDENTITY_TYPE });
  clock.advance(30);
  assert.deepEqual(await verifyCallerIdentity(jws, { jwks, issuer, audience, clock }), identity);
});

test('PS256 verifies too, and so does a jose key getter in place of the key set', async () => {
  const clock = fixedClock('2026-12-04T12:00:00Z');
  const jws = await sign(clock, { key: ps256.privateKey, kid: 'gw-ps', alg: 'PS256' });
  assert.deepEqual(await verifyCallerIdentity(jws, { jwks: createLocalJWKSet(jwks), issuer, audience, clock }), identity);
});

test('a key that does not fit the algorithm signs nothing', () => {
  assert.throws(() => sign(undefined, { alg: 'PS256' }), { name: 'TypeError', message: 'the caller identity key is not a private key for PS256' });
  assert.throws(() => sign(undefined, { key: ps256.privateKey }), { message: 'the caller identity key is not a private key for ES256' });
  assert.throws(() => sign(undefined, { key: es256.publicKey }), { message: 'the caller identity key is not a private key for ES256' });
  assert.throws(() => sign(undefined, { key: generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey }), TypeError);
  assert.throws(() => sign(undefined, { key: generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, alg: 'PS256' }), TypeError);
});

test('only the fields that applied come back', async () => {
  const clock = fixedClock('2026-12-04T12:00:00Z');
  const jws = await signCallerIdentity({ apiId: 'api-public', routeId: 'route-ping', scopes: [] }, { key: es256.privateKey, kid: 'gw-es', alg: 'ES256', issuer, audience, ttlSeconds: 60, clock });
  assert.deepEqual(await verifyCallerIdentity(jws, { jwks, issuer, audience, clock }), { apiId: 'api-public', routeId: 'route-ping', scopes: [] });
});

test('another upstream refuses it: the audience is the target it was signed for', async () => {
  const clock = fixedClock('2026-12-04T12:00:00Z');
  await assertRefused(verifyCallerIdentity(await sign(clock), { jwks, issuer, audience: 'http://payments.internal:8080', clock }), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
});

test('it is refused once expired, beyond 5 s of clock skew', async () => {
  const clock = fixedClock('2026-12-04T12:00:00Z');
  const jws = await sign(clock);
  clock.advance(64);
  assert.ok(await verifyCallerIdentity(jws, { jwks, issuer, audience, clock }), 'within the tolerated skew');
  clock.advance(2);
  await assertRefused(verifyCallerIdentity(jws, { jwks, issuer, audience, clock }), 'ERR_JWT_EXPIRED');
});

test('a key the gateway does not publish, another issuer, or a tampered payload are refused', async () => {
  const clock = fixedClock('2026-12-04T12:00:00Z');
  await assertRefused(verifyCallerIdentity(await sign(clock, { key: other.privateKey }), { jwks, issuer, audience, clock }), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  await assertRefused(verifyCallerIdentity(await sign(clock, { key: other.privateKey, kid: 'stranger' }), { jwks, issuer, audience, clock }), 'ERR_JWKS_NO_MATCHING_KEY');
  await assertRefused(verifyCallerIdentity(await sign(clock, { issuer: 'https://elsewhere.example' }), { jwks, issuer, audience, clock }), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
  const [header, payload, signature] = (await sign(clock)).split('.');
  const widened = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), account_ids: ['22289', '99999'] })).toString('base64url');
  await assertRefused(verifyCallerIdentity(`${header}.${widened}.${signature}`, { jwks, issuer, audience, clock }), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  await assertRefused(verifyCallerIdentity('not-a-jwt', { jwks, issuer, audience, clock }), 'ERR_JWS_INVALID');
});

test('a token of another type, or without api and route, is refused even when signed by the gateway key', async () => {
  const clock = fixedClock('2026-12-04T12:00:00Z');
  const now = Math.floor(clock.now().getTime() / 1000);
  const accessToken = await new SignJWT({ api_id: 'api-ob-aisp', route_id: 'route-accounts' })
    .setProtectedHeader({ alg: 'ES256', kid: 'gw-es', typ: 'at+jwt' })
    .setIssuer(issuer).setAudience(audience).setIssuedAt(now).setExpirationTime(now + 60)
    .sign(es256.privateKey);
  await assertRefused(verifyCallerIdentity(accessToken, { jwks, issuer, audience, clock }), 'ERR_JWT_CLAIM_VALIDATION_FAILED');

  const partial = await new SignJWT({ api_id: 'api-ob-aisp', account_ids: '22289' })
    .setProtectedHeader({ alg: 'ES256', kid: 'gw-es', typ: CALLER_IDENTITY_TYPE })
    .setIssuer(issuer).setAudience(audience).setIssuedAt(now).setExpirationTime(now + 60)
    .sign(es256.privateKey);
  await assert.rejects(verifyCallerIdentity(partial, { jwks, issuer, audience, clock }), (error: unknown) => error instanceof CallerIdentityRefused && error.message === 'the caller identity is malformed');

  const noExpiry = await new SignJWT({ api_id: 'api-ob-aisp', route_id: 'route-accounts' })
    .setProtectedHeader({ alg: 'ES256', kid: 'gw-es', typ: CALLER_IDENTITY_TYPE })
    .setIssuer(issuer).setAudience(audience).setIssuedAt(now)
    .sign(es256.privateKey);
  await assertRefused(verifyCallerIdentity(noExpiry, { jwks, issuer, audience, clock }), 'ERR_JWT_CLAIM_VALIDATION_FAILED');
});

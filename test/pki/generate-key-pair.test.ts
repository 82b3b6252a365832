import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';

import { generateKeyPair } from '../../src/pki/generate-key-pair.ts';

describe('generateKeyPair', () => {
  it('makes an RSA 2048 pair as PKCS #8 and SPKI PEM', () => {
    const { privateKeyPem, publicKeyPem } = generateKeyPair('rsa');
    assert.match(privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(publicKeyPem, /^-----BEGIN PUBLIC KEY-----\n/);
    const publicKey = createPublicKey(publicKeyPem);
    assert.equal(publicKey.asymmetricKeyType, 'rsa');
    assert.equal(publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.ok(verify('sha256', Buffer.from('m'), publicKey, sign('sha256', Buffer.from('m'), createPrivateKey(privateKeyPem))), 'the halves belong together');
  });

  it('makes a P-256 pair as PKCS #8 and SPKI PEM', () => {
    const { privateKeyPem, publicKeyPem } = generateKeyPair('ec');
    assert.match(privateKeyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    const publicKey = createPublicKey(publicKeyPem);
    assert.equal(publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.ok(verify('sha256', Buffer.from('m'), publicKey, sign('sha256', Buffer.from('m'), createPrivateKey(privateKeyPem))));
  });

  it('never returns the same key twice', () => {
    assert.notEqual(generateKeyPair('ec').privateKeyPem, generateKeyPair('ec').privateKeyPem);
  });
});

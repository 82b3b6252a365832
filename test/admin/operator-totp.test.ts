import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Secret, TOTP } from 'otpauth';

import { checkTotpCode, newTotpSecret, totpStepAt, totpUri } from '../../src/admin/operators/operator-totp.ts';

// RFC 6238 Appendix B's SHA-1 seed ("12345678901234567890"), whose codes the RFC lists.
const RFC_SECRET = Secret.fromUTF8('12345678901234567890').base32;
const at = (seconds: number) => new Date(seconds * 1000);
const codeAt = (seconds: number) => new TOTP({ secret: Secret.fromBase32(RFC_SECRET), digits: 6 }).generate({ timestamp: seconds * 1000 });

test('codes are RFC 6238\'s: SHA-1, 6 digits, 30-second steps (Appendix B, last 6 digits)', () => {
  assert.deepEqual(checkTotpCode(RFC_SECRET, '287082', at(59), null), { step: 1 });
  assert.deepEqual(checkTotpCode(RFC_SECRET, '081804', at(1111111109), null), { step: 37037036 });
  assert.deepEqual(checkTotpCode(RFC_SECRET, '050471', at(1111111111), null), { step: 37037037 });
});

test('a code is accepted one step either side of now, and no further', () => {
  const now = 1_800_000_015;
  const step = totpStepAt(at(now));
  assert.deepEqual(checkTotpCode(RFC_SECRET, codeAt(now - 30), at(now), null), { step: step - 1 });
  assert.deepEqual(checkTotpCode(RFC_SECRET, codeAt(now + 30), at(now), null), { step: step + 1 });
  assert.deepEqual(checkTotpCode(RFC_SECRET, codeAt(now - 60), at(now), null), { refused: 'wrong' });
  assert.deepEqual(checkTotpCode(RFC_SECRET, codeAt(now + 60), at(now), null), { refused: 'wrong' });
});

test('a step is never accepted twice, nor one older than the last accepted', () => {
  const now = 1_800_000_015;
  const step = totpStepAt(at(now));
  assert.deepEqual(checkTotpCode(RFC_SECRET, codeAt(now), at(now), step - 1), { step });
  assert.deepEqual(checkTotpCode(RFC_SECRET, codeAt(now), at(now), step), { refused: 'replayed' });
  assert.deepEqual(checkTotpCode(RFC_SECRET, codeAt(now - 30), at(now), step), { refused: 'replayed' });
  assert.deepEqual(checkTotpCode(RFC_SECRET, codeAt(now + 30), at(now), step), { step: step + 1 });
});

test('anything but six digits is wrong before any HMAC', () => {
  for (const code of ['', '12345', '1234567', '12 345', 'abcdef', '١٢٣٤٥٦']) assert.deepEqual(checkTotpCode(RFC_SECRET, code, at(59), null), { refused: 'wrong' }, code);
});

test('a new secret is 160 random bits; its URI is what authenticator apps read', () => {
  const secret = newTotpSecret();
  assert.equal(Secret.fromBase32(secret).bytes.length, 20);
  assert.notEqual(newTotpSecret(), secret);
  assert.equal(totpUri(secret, 'ops@bank.example'), `otpauth://totp/Portcullis:ops%40bank.example?issuer=Portcullis&secret=${secret}&algorithm=SHA1&digits=6&period=30`);
});

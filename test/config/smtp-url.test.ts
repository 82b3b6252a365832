import assert from 'node:assert/strict';
import { test } from 'node:test';

import { readSmtpUrl } from '../../src/config/smtp-url.ts';

const USER = 'portal';
// Characters that must be percent-encoded in a URL, to check that they are decoded.
const PASSWORD = 'p@ss:w/rd%';
const credentials = `${USER}:${encodeURIComponent(PASSWORD)}@`;

test('readSmtpUrl reads the host, port, TLS mode and decoded credentials', () => {
  assert.deepEqual(readSmtpUrl(`smtp://${credentials}relay.bank.example`), {
    host: 'relay.bank.example', port: 587, tls: 'starttls', auth: { user: USER, pass: PASSWORD },
  });
  assert.deepEqual(readSmtpUrl('smtps://relay.bank.example'), { host: 'relay.bank.example', port: 465, tls: 'implicit' });
  assert.deepEqual(readSmtpUrl('smtps://[::1]:2465/'), { host: '::1', port: 2465, tls: 'implicit' });
  assert.deepEqual(readSmtpUrl('smtp://127.0.0.1:1025?tls=off'), { host: '127.0.0.1', port: 1025, tls: 'none' });
});

test('readSmtpUrl refuses what it cannot honour, naming SMTP_URL and never the password', () => {
  const refused: Array<[string, RegExp]> = [
    ['relay.bank.example:587', /^SMTP_URL must start with smtp:\/\/ or smtps:\/\//],
    ['not a url', /^SMTP_URL is not a URL$/],
    [`https://${credentials}relay.bank.example`, /^SMTP_URL must start with smtp:\/\/ or smtps:\/\//],
    ['smtp://', /^SMTP_URL has no host$/],
    ['smtp://relay.bank.example:0', /^SMTP_URL has port 0$/],
    [`smtp://${credentials}relay.bank.example/inbox`, /^SMTP_URL must have no path or fragment$/],
    [`smtp://${credentials}relay.bank.example#x`, /^SMTP_URL must have no path or fragment$/],
    [`smtp://${credentials}relay.bank.example?tls.rejectUnauthorized=false`, /^SMTP_URL accepts one query parameter only: tls=off$/],
    ['smtp://relay.bank.example?tls=off&tls=off', /^SMTP_URL accepts one query parameter only: tls=off$/],
    ['smtp://relay.bank.example?tls=on', /^SMTP_URL: tls=off is the only tls value, and only for smtp:\/\/$/],
    ['smtps://relay.bank.example?tls=off', /^SMTP_URL: tls=off is the only tls value, and only for smtp:\/\/$/],
    [`smtp://${credentials}127.0.0.1:1025?tls=off`, /^SMTP_URL: tls=off refuses a user and password/],
    [`smtp://${USER}@relay.bank.example`, /^SMTP_URL needs both a user and a password, or neither$/],
    ['smtp://:secret@relay.bank.example', /^SMTP_URL needs both a user and a password, or neither$/],
    ['smtp://portal:%E0%A4%A@relay.bank.example', /^SMTP_URL has a badly percent-encoded user or password$/],
  ];
  for (const [url, message] of refused) {
    assert.throws(() => readSmtpUrl(url), (error: unknown) => {
      assert.ok(error instanceof TypeError, url);
      assert.match(error.message, message, url);
      assert.ok(!error.message.includes('p@ss') && !error.message.includes('secret'), url);
      return true;
    });
  }
});

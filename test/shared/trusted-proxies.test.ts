import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, test } from 'node:test';

import { loadConfig } from '../../src/config/config.ts';
import { trustedProxies } from '../../src/shared/trusted-proxies.ts';

/** `TRUSTED_PROXIES` as the configuration reads it, matched as a listener matches its peers. */
function proxiesFrom(value: string) {
  return trustedProxies(loadConfig({ TRUSTED_PROXIES: value }).proxy.trusted);
}

/** A connection as a listener reports it: only the peer's address is read. */
function peer(remoteAddress: string | undefined): Socket {
  return { remoteAddress } as Socket;
}

function trustedAmong(value: string, addresses: Array<string | undefined>): Array<string | undefined> {
  const proxies = proxiesFrom(value);
  return addresses.filter((address) => proxies.includes(peer(address)));
}

describe('trustedProxies', () => {
  test('an IPv4 range covers its first and last address and nothing either side', () => {
    assert.deepEqual(
      trustedAmong('10.244.0.0/16', ['10.243.255.255', '10.244.0.0', '10.244.17.3', '10.244.255.255', '10.245.0.0', '11.244.0.1', '127.0.0.1']),
      ['10.244.0.0', '10.244.17.3', '10.244.255.255'],
    );
    assert.deepEqual(trustedAmong('192.168.1.128/25', ['192.168.1.127', '192.168.1.128', '192.168.1.255', '192.168.2.0']), ['192.168.1.128', '192.168.1.255']);
  });

  test('an IPv6 range covers its addresses and nothing either side', () => {
    assert.deepEqual(
      trustedAmong('fd00::/8', ['fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fd00::', 'fd12:3456:789a::7', 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'fe00::', '::1']),
      ['fd00::', 'fd12:3456:789a::7', 'fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    );
  });

  test('an exact address is trusted alone, as before ranges', () => {
    assert.deepEqual(trustedAmong('10.0.0.5,fd00::5', ['10.0.0.5', '10.0.0.4', '10.0.0.6', 'fd00::5', 'fd00::4', 'fd00::6']), ['10.0.0.5', 'fd00::5']);
    assert.deepEqual(trustedAmong('10.0.0.5/32,fd00::5/128', ['10.0.0.5', '10.0.0.6', 'fd00::5', 'fd00::6']), ['10.0.0.5', 'fd00::5']);
  });

  test('a dual-stack listener\'s IPv4-mapped peer is matched against IPv4 ranges and addresses', () => {
    assert.deepEqual(
      trustedAmong('10.244.0.0/16,127.0.0.1', ['::ffff:10.244.3.4', '::ffff:10.245.0.1', '::ffff:127.0.0.1', '::ffff:127.0.0.2']),
      ['::ffff:10.244.3.4', '::ffff:127.0.0.1'],
    );
  });

  test('the IPv4 and IPv6 families stay apart: an IPv6 range holds no IPv4 peer, and the reverse', () => {
    // 10.0.0.0/8 as the leading bits of an IPv6 address is 0a00::/8, which no IPv4 peer is.
    assert.deepEqual(trustedAmong('10.0.0.0/8', ['a00::1', 'a00:0:0:0:0:0:0:1']), []);
    assert.deepEqual(trustedAmong('::/1', ['10.0.0.1', '127.0.0.1', '::ffff:10.0.0.1']), []);
  });

  test('a socket without an address is nobody\'s, and no list trusts anyone', () => {
    assert.deepEqual(trustedAmong('10.0.0.0/8', [undefined, '']), []);
    const none = proxiesFrom('');
    assert.equal(none.any, false);
    assert.equal(none.includes(peer('127.0.0.1')), false);
    assert.equal(proxiesFrom('10.0.0.0/8').any, true);
  });
});

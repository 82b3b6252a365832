import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { describe, test } from 'node:test';

import { ConfigError, loadConfig } from '../../src/config/config.ts';
import { defaults } from '../../src/config/defaults.ts';
import { envSchema } from '../../src/config/env.schema.ts';

const secret = () => randomBytes(32).toString('base64url');

/** The message `loadConfig` throws, one problem per indented line. */
function configError(...problems: string[]) {
  return { name: 'ConfigError', message: `invalid configuration:\n  ${problems.join('\n  ')}` };
}

/** What the error says about one variable (its line, which starts with its name), or undefined when the env loads. */
function problemFor(env: Record<string, string>, variable: string): string | undefined {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    const line = error.message.split('\n').slice(1).map((text) => text.trim()).find((text) => text.startsWith(variable));
    assert.ok(line, `the error names ${variable}: ${JSON.stringify(error.message)}`);
    return line;
  }
  return undefined;
}

/** The values of `variable` that load although they should not. */
function acceptedValues(variable: string, values: string[]): string[] {
  return values.filter((value) => problemFor({ [variable]: value }, variable) === undefined);
}

/** Every variable a production deployment must set, valid. */
function productionEnv(): Record<string, string> {
  return {
    NODE_ENV: 'production',
    BANK_INTEGRATION: '/opt/bank/portcullis-integration.ts',
    KEY_ENCRYPTION_KEY: secret(),
    COOKIE_KEYS: secret(),
    DPOP_NONCE_SECRET: secret(),
    DATABASE_URL: 'postgres://portcullis@db.internal:5432/portcullis',
    TLS_CERT_FILE: '/etc/portcullis/tls.pem',
    TLS_KEY_FILE: '/etc/portcullis/tls.key',
    CLIENT_CA_FILE: '/etc/portcullis/client-ca.pem',
    DIRECTORY_JWKS: 'https://keystore.directory.example/jwks.json',
    ISSUER: 'https://auth.bank.example',
    MTLS_BASE_URL: 'https://mtls.bank.example',
    ADMIN_TOKEN: secret(),
  };
}

describe('loadConfig defaults', () => {
  test('an empty environment gives the documented development defaults', () => {
    assert.deepEqual(loadConfig({}), {
      env: 'development',
      logLevel: 'info',
      host: '127.0.0.1',
      httpsPort: 8443,
      mtlsPort: 8444,
      issuer: 'https://localhost:8443',
      mtlsBaseUrl: 'https://localhost:8444',
      gatewayPort: 8445,
      gatewayBaseUrl: 'https://localhost:8445',
      adminPort: 8446,
      adminHost: '127.0.0.1',
      workers: 1,
      accessTokenFormat: 'jwt',
      redisUrl: undefined,
      rateLimitOnRedisFailure: 'open',
      analyticsFlushInterval: 10,
      portalSignUpsPerHour: 20,
      mail: { smtp: undefined, from: 'Portcullis Developers <no-reply@localhost>' },
      consoleSso: undefined,
      roles: ['auth', 'gateway', 'portal', 'console'],
      bankIntegration: resolve('./sandbox/sandbox-bank.ts'),
      dataDir: resolve('./data'),
      certsDir: resolve('./certs'),
      databaseUrl: undefined,
      tls: { certFile: undefined, keyFile: undefined, clientCaFile: undefined },
      proxy: { trusted: [], clientCertHeader: undefined },
      directoryJwks: undefined,
      secrets: { keyEncryptionKey: undefined, cookieKeys: undefined, dpopNonceSecret: undefined, adminToken: undefined },
      listeners: { headersTimeout: 10, requestTimeout: 30, keepAliveTimeout: 5, tlsHandshakeTimeout: 10, timeoutCheckInterval: 1, maxConnections: 10_000 },
      shutdown: { delay: 0, timeout: 25 },
      ttl: defaults.ttl,
      sweepInterval: 60,
      sweepBatchSize: 500,
      retiredKeyGrace: 86_400,
      openBanking: { messageSigning: true, organisationId: 'portcullis-sandbox-bank', trustAnchor: 'openbanking.org.uk' },
      billing: { stripe: undefined },
    });
  });

  test('the default From of the portal\'s mail is at the issuer\'s host', () => {
    assert.equal(loadConfig({ ISSUER: 'https://developers.bank.example/portal' }).mail.from, 'Portcullis Developers <no-reply@developers.bank.example>');
  });

  test('the default issuer and mTLS base URL follow the configured ports', () => {
    const config = loadConfig({ HTTPS_PORT: '9443', MTLS_PORT: '9444' });
    assert.equal(config.issuer, 'https://localhost:9443');
    assert.equal(config.mtlsBaseUrl, 'https://localhost:9444');
  });

  test('defaults are documented values, not shared mutable state: two loads are equal but separate', () => {
    const first = loadConfig({});
    const second = loadConfig({});
    assert.deepEqual(first, second);
    assert.notEqual(first.proxy.trusted, second.proxy.trusted);
  });
});

describe('loadConfig reads every variable', () => {
  test('each variable the schema knows lands in its option, converted', () => {
    const keyEncryptionKey = randomBytes(48);
    const dpopNonceSecret = randomBytes(32);
    const cookieKeys = [secret(), secret()];
    const adminToken = secret();
    const env = {
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      HOST: '0.0.0.0',
      HTTPS_PORT: '443',
      MTLS_PORT: '8443',
      ISSUER: 'https://auth.bank.example/as/',
      MTLS_BASE_URL: 'https://mtls.bank.example',
      DATA_DIR: 'var/data',
      CERTS_DIR: '/srv/certs',
      DATABASE_URL: 'postgresql://portcullis:secret@db.internal:5432/portcullis?sslmode=require',
      TLS_CERT_FILE: '/etc/tls/server.pem',
      TLS_KEY_FILE: '/etc/tls/server.key',
      CLIENT_CA_FILE: '/etc/tls/client-ca.pem',
      TRUSTED_PROXIES: ' 10.0.0.1 , ::1,, 192.168.1.20, 10.244.0.0/16 ,fd00::/8',
      CLIENT_CERT_HEADER: 'X-SSL-Client-Cert',
      DIRECTORY_JWKS: 'https://keystore.one.example/jwks.json, /etc/portcullis/directory.jwks',
      KEY_ENCRYPTION_KEY: keyEncryptionKey.toString('base64url'),
      COOKIE_KEYS: cookieKeys.join(','),
      DPOP_NONCE_SECRET: dpopNonceSecret.toString('base64url'),
      ROLES: 'gateway, gateway',
      BANK_INTEGRATION: 'integrations/bank.ts',
      OB_MESSAGE_SIGNING: 'off',
      OB_ORGANISATION_ID: '0015800001041REAAY',
      OB_TRUST_ANCHOR: 'directory.bank.example',
      KEEP_ALIVE_TIMEOUT: '65',
      MAX_CONNECTIONS: '20000',
      SHUTDOWN_DELAY: '10',
      SHUTDOWN_TIMEOUT: '15',
      GATEWAY_PORT: '9445',
      ADMIN_PORT: '9446',
      ADMIN_HOST: '10.0.0.5',
      GATEWAY_BASE_URL: 'https://api.bank.example/',
      ADMIN_TOKEN: adminToken,
      REDIS_URL: 'rediss://cache.internal:6380/2',
      RATE_LIMIT_ON_REDIS_FAILURE: 'closed',
      ANALYTICS_FLUSH_INTERVAL: '2',
      PORTAL_SIGN_UPS_PER_HOUR: '50',
      SMTP_URL: 'smtps://portal:s%40cret@relay.bank.example',
      MAIL_FROM: 'Portcullis Developers <developers@bank.example>',
      ACCESS_TOKEN_FORMAT: 'opaque',
      WORKERS: '4',
      CONSOLE_OIDC_ISSUER: 'https://login.bank.example/tenant',
      CONSOLE_OIDC_CLIENT_ID: 'portcullis-console',
      CONSOLE_OIDC_CLIENT_SECRET: 'unused-when-a-key-file-is-given',
      CONSOLE_OIDC_CLIENT_KEY_FILE: '/etc/portcullis/console-client.key',
      CONSOLE_OIDC_NAME: 'Bank Login',
      CONSOLE_OIDC_SCOPE: 'openid email profile groups',
      CONSOLE_OIDC_ROLE_CLAIM: 'groups',
      CONSOLE_OIDC_ROLE_MAP: 'api-viewers=viewer, api=ops=operator',
      STRIPE_API_KEY: 'sk_live_51Hx',
      STRIPE_API_BASE: 'https://stripe.internal:12111',
      STRIPE_METER_EVENT_NAME: 'api_usage',
    };
    assert.deepEqual(Object.keys(env).sort(), Object.keys(envSchema.shape).sort(), 'this test sets every variable');
    const config = loadConfig(env);
    assert.equal(config.env, 'test');
    assert.equal(config.logLevel, 'debug');
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.httpsPort, 443);
    assert.equal(config.mtlsPort, 8443);
    assert.equal(config.issuer, 'https://auth.bank.example/as', 'one trailing slash is dropped');
    assert.equal(config.mtlsBaseUrl, 'https://mtls.bank.example');
    assert.equal(config.dataDir, resolve('var/data'), 'relative folders are resolved');
    assert.equal(config.certsDir, '/srv/certs');
    assert.equal(config.databaseUrl, 'postgresql://portcullis:secret@db.internal:5432/portcullis?sslmode=require');
    assert.deepEqual(config.tls, { certFile: '/etc/tls/server.pem', keyFile: '/etc/tls/server.key', clientCaFile: '/etc/tls/client-ca.pem' });
    assert.deepEqual(config.proxy, {
      trusted: [
        { network: '10.0.0.1', prefix: 32, family: 'ipv4' },
        { network: '::1', prefix: 128, family: 'ipv6' },
        { network: '192.168.1.20', prefix: 32, family: 'ipv4' },
        { network: '10.244.0.0', prefix: 16, family: 'ipv4' },
        { network: 'fd00::', prefix: 8, family: 'ipv6' },
      ],
      clientCertHeader: 'x-ssl-client-cert',
    });
    assert.deepEqual(config.directoryJwks, ['https://keystore.one.example/jwks.json', '/etc/portcullis/directory.jwks']);
    assert.deepEqual(config.secrets, { keyEncryptionKey, cookieKeys, dpopNonceSecret, adminToken });
    assert.deepEqual([config.gatewayPort, config.gatewayBaseUrl, config.adminPort, config.adminHost], [9445, 'https://api.bank.example', 9446, '10.0.0.5']);
    assert.deepEqual([config.redisUrl, config.rateLimitOnRedisFailure, config.accessTokenFormat, config.workers, config.portalSignUpsPerHour, config.analyticsFlushInterval], ['rediss://cache.internal:6380/2', 'closed', 'opaque', 4, 50, 2]);
    assert.deepEqual(config.mail, {
      smtp: { host: 'relay.bank.example', port: 465, tls: 'implicit', auth: { user: 'portal', pass: 's@cret' } },
      from: 'Portcullis Developers <developers@bank.example>',
    });
    assert.deepEqual(config.openBanking, { messageSigning: false, organisationId: '0015800001041REAAY', trustAnchor: 'directory.bank.example' });
    assert.deepEqual(config.roles, ['gateway'], 'a role named twice runs once');
    assert.equal(config.bankIntegration, resolve('integrations/bank.ts'));
    assert.deepEqual(config.listeners, { ...defaults.listeners, keepAliveTimeout: 65, maxConnections: 20_000 });
    assert.deepEqual(config.shutdown, { delay: 10, timeout: 15 });
    assert.deepEqual(config.consoleSso, {
      issuer: 'https://login.bank.example/tenant', clientId: 'portcullis-console', clientAuth: { keyFile: '/etc/portcullis/console-client.key' }, name: 'Bank Login', scope: 'openid email profile groups',
      roles: { claim: 'groups', map: [{ value: 'api-viewers', role: 'viewer' }, { value: 'api=ops', role: 'operator' }] },
    });
    assert.deepEqual(config.billing, { stripe: { apiKey: 'sk_live_51Hx', meterEventName: 'api_usage', apiBase: 'https://stripe.internal:12111' } });
  });

  test('single sign-on: all or nothing, a role claim alone maps role names, plain http only to localhost outside production', () => {
    assert.throws(() => loadConfig({ CONSOLE_OIDC_CLIENT_ID: 'c', CONSOLE_OIDC_ROLE_MAP: 'a=admin' }), configError('CONSOLE_OIDC_CLIENT_ID: needs CONSOLE_OIDC_ISSUER', 'CONSOLE_OIDC_ROLE_MAP: needs CONSOLE_OIDC_ISSUER'));
    assert.throws(() => loadConfig({ CONSOLE_OIDC_ISSUER: 'https://login.bank.example', CONSOLE_OIDC_ROLE_MAP: 'a=admin' }), configError(
      'CONSOLE_OIDC_CLIENT_ID: required with CONSOLE_OIDC_ISSUER', 'CONSOLE_OIDC_CLIENT_SECRET, CONSOLE_OIDC_CLIENT_KEY_FILE: set one (client_secret_basic or private_key_jwt)', 'CONSOLE_OIDC_ROLE_MAP: needs CONSOLE_OIDC_ROLE_CLAIM',
    ));
    assert.throws(() => loadConfig({ CONSOLE_OIDC_ROLE_MAP: 'a=root' }), configError('CONSOLE_OIDC_ROLE_MAP.0: each entry must be value=viewer|operator|admin', 'CONSOLE_OIDC_ROLE_MAP: needs CONSOLE_OIDC_ISSUER'));
    assert.throws(() => loadConfig({ CONSOLE_OIDC_ISSUER: 'http://login.bank.example', CONSOLE_OIDC_CLIENT_ID: 'c', CONSOLE_OIDC_CLIENT_SECRET: 's' }), configError('CONSOLE_OIDC_ISSUER: must be https (plain http only to localhost)'));
    const local = loadConfig({ CONSOLE_OIDC_ISSUER: 'http://127.0.0.1:9000', CONSOLE_OIDC_CLIENT_ID: 'c', CONSOLE_OIDC_CLIENT_SECRET: 's', CONSOLE_OIDC_ROLE_CLAIM: 'roles' });
    assert.deepEqual([local.consoleSso?.name, local.consoleSso?.clientAuth, local.consoleSso?.scope], ['127.0.0.1', { secret: 's' }, 'openid email profile']);
    assert.deepEqual(local.consoleSso?.roles, { claim: 'roles', map: [{ value: 'viewer', role: 'viewer' }, { value: 'operator', role: 'operator' }, { value: 'admin', role: 'admin' }] });
  });

  test('both PostgreSQL URL schemes are accepted', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).databaseUrl, 'postgres://u@h/db');
    assert.equal(loadConfig({ DATABASE_URL: 'postgresql://u@h/db' }).databaseUrl, 'postgresql://u@h/db');
  });

  test('every log level pino knows is accepted', () => {
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
      assert.equal(loadConfig({ LOG_LEVEL: level }).logLevel, level);
    }
  });

  test('a complete production environment loads', () => {
    const env = productionEnv();
    const config = loadConfig(env);
    assert.equal(config.env, 'production');
    assert.equal(config.issuer, 'https://auth.bank.example');
    assert.equal(config.mtlsBaseUrl, 'https://mtls.bank.example');
    assert.deepEqual(config.secrets.keyEncryptionKey, Buffer.from(env.KEY_ENCRYPTION_KEY!, 'base64url'));
  });
});

describe('loadConfig fails fast on bad values, naming the variable', () => {
  test('ports outside 1..65535, fractional, negative, empty or not numbers', () => {
    assert.throws(() => loadConfig({ HTTPS_PORT: '0' }), configError('HTTPS_PORT: Too small: expected number to be >=1'));
    assert.throws(() => loadConfig({ MTLS_PORT: '65536' }), configError('MTLS_PORT: Too big: expected number to be <=65535'));
    assert.deepEqual(acceptedValues('HTTPS_PORT', ['-1', '80.5', 'eighty', '']), []);
    assert.deepEqual(acceptedValues('MTLS_PORT', ['-1', '80.5', 'eighty', '']), []);
  });

  test('a port is written in decimal digits: hex, exponent and binary forms are not silently converted', () => {
    assert.deepEqual(acceptedValues('HTTPS_PORT', ['0x1F90', '1e3', '0b11111']), []);
  });

  test('ISSUER and MTLS_BASE_URL must be https URLs', () => {
    assert.throws(() => loadConfig({ ISSUER: 'http://auth.bank.example' }), configError('ISSUER: Invalid URL'));
    assert.throws(() => loadConfig({ ISSUER: 'auth.bank.example' }), configError('ISSUER: Invalid URL'));
    assert.throws(() => loadConfig({ MTLS_BASE_URL: 'http://mtls.bank.example' }), configError('MTLS_BASE_URL: Invalid URL'));
  });

  test('ISSUER has no query, fragment or credentials (RFC 8414 §2, OpenID Connect Discovery §3)', () => {
    assert.deepEqual(acceptedValues('ISSUER', ['https://auth.bank.example?tenant=1', 'https://auth.bank.example#top', 'https://admin:secret@auth.bank.example']), []);
  });

  test('DATABASE_URL must be a postgres:// or postgresql:// URL', () => {
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://u@h/db' }), configError('DATABASE_URL: Invalid URL'));
    assert.throws(() => loadConfig({ DATABASE_URL: 'sqlite:///var/db' }), configError('DATABASE_URL: Invalid URL'));
    assert.throws(() => loadConfig({ DATABASE_URL: 'not a url' }), configError('DATABASE_URL: Invalid URL'));
  });

  test('SMTP_URL is refused as the mailer would refuse it, naming the variable and never the password', () => {
    assert.throws(() => loadConfig({ SMTP_URL: 'https://portal:hunter2@relay.bank.example' }), configError('SMTP_URL: must start with smtp:// or smtps://'));
    assert.throws(() => loadConfig({ SMTP_URL: 'smtp://portal:hunter2@relay.bank.example?tls=off' }), configError('SMTP_URL: tls=off refuses a user and password, which would be sent in the clear'));
    assert.throws(() => loadConfig({ SMTP_URL: 'smtp://portal:hunter2@relay.bank.example?tls.rejectUnauthorized=false' }), configError('SMTP_URL: accepts one query parameter only: tls=off'));
    assert.throws(() => loadConfig({ SMTP_URL: 'not a url' }), configError('SMTP_URL: is not a URL'));
    assert.deepEqual(acceptedValues('SMTP_URL', ['', 'relay.bank.example:587', 'smtp://portal@relay.bank.example', 'smtp://relay.bank.example/inbox']), []);
    assert.deepEqual(loadConfig({ SMTP_URL: 'smtp://127.0.0.1:1025?tls=off' }).mail.smtp, { host: '127.0.0.1', port: 1025, tls: 'none' });
  });

  test('MAIL_FROM is one address, with or without a display name', () => {
    for (const from of ['developers@bank.example', 'Portcullis Developers <developers@bank.example>', '"Bank, Developers" <developers@bank.example>', 'Développeurs<dev@bank.example>']) {
      assert.equal(loadConfig({ MAIL_FROM: from }).mail.from, from);
    }
    assert.deepEqual(acceptedValues('MAIL_FROM', [
      '', 'developers', 'developers@', '@bank.example', 'Developers <developers@bank.example', 'Bank, Developers <developers@bank.example>',
      'a@bank.example, b@bank.example', 'Developers <developers@bank.example>\r\nBcc: everyone@bank.example', '<developers@bank.example>',
    ]), []);
  });

  test('secrets must be base64url of at least 32 bytes', () => {
    const short = randomBytes(31).toString('base64url');
    assert.throws(() => loadConfig({ KEY_ENCRYPTION_KEY: short }), configError('KEY_ENCRYPTION_KEY: must decode to at least 32 bytes'));
    assert.throws(() => loadConfig({ DPOP_NONCE_SECRET: short }), configError('DPOP_NONCE_SECRET: must decode to at least 32 bytes'));
    assert.throws(() => loadConfig({ KEY_ENCRYPTION_KEY: '' }), configError('KEY_ENCRYPTION_KEY: must decode to at least 32 bytes'));
    assert.throws(() => loadConfig({ KEY_ENCRYPTION_KEY: `${randomBytes(32).toString('base64url')}!` }), configError('KEY_ENCRYPTION_KEY: Invalid base64url-encoded string'));
    assert.equal(loadConfig({ KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url') }).secrets.keyEncryptionKey?.length, 32, '32 bytes is enough');
  });

  test('each cookie key has at least 32 characters and there is at least one', () => {
    assert.throws(() => loadConfig({ COOKIE_KEYS: `${secret()},too-short` }), configError('COOKIE_KEYS.1: each key must be at least 32 characters'));
    assert.throws(() => loadConfig({ COOKIE_KEYS: ' , ' }), configError('COOKIE_KEYS: Too small: expected array to have >=1 items'));
  });

  test('TRUSTED_PROXIES holds IP addresses and CIDR ranges, IPv4 and IPv6, to the last bit of either', () => {
    const trusted = (value: string) => loadConfig({ TRUSTED_PROXIES: value }).proxy.trusted;
    assert.deepEqual(trusted('10.0.0.0/8'), [{ network: '10.0.0.0', prefix: 8, family: 'ipv4' }]);
    assert.deepEqual(trusted('192.168.1.128/25,10.0.0.7/32'), [{ network: '192.168.1.128', prefix: 25, family: 'ipv4' }, { network: '10.0.0.7', prefix: 32, family: 'ipv4' }]);
    assert.deepEqual(trusted('fd00::/8,2001:db8::/32,2001:db8::7/128'), [
      { network: 'fd00::', prefix: 8, family: 'ipv6' },
      { network: '2001:db8::', prefix: 32, family: 'ipv6' },
      { network: '2001:db8::7', prefix: 128, family: 'ipv6' },
    ]);
    assert.deepEqual(trusted('0.0.0.0/1,::/1,2001:db8::1.2.3.0/120'), [
      { network: '0.0.0.0', prefix: 1, family: 'ipv4' },
      { network: '::', prefix: 1, family: 'ipv6' },
      { network: '2001:db8::1.2.3.0', prefix: 120, family: 'ipv6' },
    ]);
  });

  test('TRUSTED_PROXIES refuses names, malformed ranges and zones, naming the variable and the entry', () => {
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.1,proxy.internal' }), configError('TRUSTED_PROXIES.1: proxy.internal is not an IP address or a CIDR range (address/prefix)'));
    for (const entry of ['10.0.0.0/8/8', '10.0.0/8', '10.0.0.256/32', '010.0.0.1', '/8', 'fe80::1%eth0', '10.0.0.0 /8', 'fd00:::/8']) {
      assert.equal(problemFor({ TRUSTED_PROXIES: entry }, 'TRUSTED_PROXIES'), `TRUSTED_PROXIES.0: ${entry} is not an IP address or a CIDR range (address/prefix)`, entry);
    }
  });

  test('TRUSTED_PROXIES refuses a prefix length out of bounds, signed, padded or empty', () => {
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.0/33' }), configError('TRUSTED_PROXIES.0: 10.0.0.0/33: the prefix length must be a whole number from 1 to 32'));
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: 'fd00::/129' }), configError('TRUSTED_PROXIES.0: fd00::/129: the prefix length must be a whole number from 1 to 128'));
    for (const entry of ['10.0.0.0/', '10.0.0.0/-1', '10.0.0.0/+8', '10.0.0.0/08', '10.0.0.0/8.0', '10.0.0.0/x', '10.0.0.0/1e1', '10.0.0.0/4294967304']) {
      assert.equal(problemFor({ TRUSTED_PROXIES: entry }, 'TRUSTED_PROXIES'), `TRUSTED_PROXIES.0: ${entry}: the prefix length must be a whole number from 1 to 32`, entry);
    }
  });

  test('TRUSTED_PROXIES refuses a range of every address: /0 is no proxy', () => {
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: '0.0.0.0/0' }), configError('TRUSTED_PROXIES.0: 0.0.0.0/0 trusts every address: name the proxies\' own range'));
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.1,::/0' }), configError('TRUSTED_PROXIES.1: ::/0 trusts every address: name the proxies\' own range'));
  });

  test('TRUSTED_PROXIES refuses a host part past the prefix rather than widen it, and says what range that would be', () => {
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.1/8' }), configError('TRUSTED_PROXIES.0: 10.0.0.1/8 has bits set past /8 (the range would be 10.0.0.0/8)'));
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: '192.168.1.129/25' }), configError('TRUSTED_PROXIES.0: 192.168.1.129/25 has bits set past /25 (the range would be 192.168.1.128/25)'));
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: 'fd00::1/8' }), configError('TRUSTED_PROXIES.0: fd00::1/8 has bits set past /8 (the range would be fd00::/8)'));
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: '2001:db8:0:1:2::/63' }), configError('TRUSTED_PROXIES.0: 2001:db8:0:1:2::/63 has bits set past /63 (the range would be 2001:db8::/63)'));
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: '2001:db8::1.2.3.4/120' }), configError('TRUSTED_PROXIES.0: 2001:db8::1.2.3.4/120 has bits set past /120 (the range would be 2001:db8::102:300/120)'));
  });

  test('TRUSTED_PROXIES refuses IPv4-mapped IPv6 entries: peers are matched by their IPv4 form', () => {
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: '::ffff:10.0.0.5' }), configError('TRUSTED_PROXIES.0: ::ffff:10.0.0.5 is IPv4-mapped IPv6: write it in IPv4 form, as peers are matched (10.0.0.5)'));
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: '::ffff:a00:0/104' }), configError('TRUSTED_PROXIES.0: ::ffff:a00:0/104 is IPv4-mapped IPv6: write it in IPv4 form, as peers are matched (10.0.0.0)'));
  });

  test('every bad TRUSTED_PROXIES entry is named at once', () => {
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.1/8,10.0.0.0/8,fd00::/200' }), configError(
      'TRUSTED_PROXIES.0: 10.0.0.1/8 has bits set past /8 (the range would be 10.0.0.0/8)',
      'TRUSTED_PROXIES.2: fd00::/200: the prefix length must be a whole number from 1 to 128',
    ));
  });

  test('CLIENT_CERT_HEADER must be a header name', () => {
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.1', CLIENT_CERT_HEADER: 'client cert' }), configError('CLIENT_CERT_HEADER: must be a header name'));
    assert.throws(() => loadConfig({ TRUSTED_PROXIES: '10.0.0.1', CLIENT_CERT_HEADER: 'client-cert:' }), configError('CLIENT_CERT_HEADER: must be a header name'));
  });

  test('OB_MESSAGE_SIGNING is on or off; OB_TRUST_ANCHOR a DNS name', () => {
    assert.throws(() => loadConfig({ OB_MESSAGE_SIGNING: 'yes' }), /OB_MESSAGE_SIGNING/);
    assert.throws(() => loadConfig({ OB_TRUST_ANCHOR: 'https://x' }), /OB_TRUST_ANCHOR/);
  });

  test('KEEP_ALIVE_TIMEOUT (seconds) and MAX_CONNECTIONS are positive whole numbers in decimal', () => {
    assert.throws(() => loadConfig({ KEEP_ALIVE_TIMEOUT: '0' }), configError('KEEP_ALIVE_TIMEOUT: Too small: expected number to be >=1'));
    assert.throws(() => loadConfig({ MAX_CONNECTIONS: '0' }), configError('MAX_CONNECTIONS: Too small: expected number to be >=1'));
    assert.deepEqual(acceptedValues('KEEP_ALIVE_TIMEOUT', ['-1', '2.5', '1e3', 'five', '', '3601']), []);
    assert.deepEqual(acceptedValues('MAX_CONNECTIONS', ['-1', '10.5', '0x10', 'many', '', '1000001']), []);
  });

  test('SHUTDOWN_DELAY may be 0, SHUTDOWN_TIMEOUT may not; both whole seconds in decimal', () => {
    assert.equal(loadConfig({ SHUTDOWN_DELAY: '0' }).shutdown.delay, 0);
    assert.throws(() => loadConfig({ SHUTDOWN_TIMEOUT: '0' }), configError('SHUTDOWN_TIMEOUT: Too small: expected number to be >=1'));
    assert.deepEqual(acceptedValues('SHUTDOWN_DELAY', ['-1', '2.5', '1e1', 'ten', '', '301']), []);
    assert.deepEqual(acceptedValues('SHUTDOWN_TIMEOUT', ['-1', '2.5', '1e1', 'ten', '', '3601']), []);
  });

  test('NODE_ENV and LOG_LEVEL are closed lists', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'staging' }), configError('NODE_ENV: Invalid option: expected one of "development"|"production"|"test"'));
    assert.throws(() => loadConfig({ LOG_LEVEL: 'verbose' }), configError('LOG_LEVEL: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent"'));
  });

  test('CLIENT_CERT_HEADER without TRUSTED_PROXIES is refused: anyone could send the header', () => {
    assert.throws(() => loadConfig({ CLIENT_CERT_HEADER: 'client-cert' }), configError('CLIENT_CERT_HEADER: needs TRUSTED_PROXIES, or anyone could present any certificate'));
    assert.throws(() => loadConfig({ CLIENT_CERT_HEADER: 'client-cert', TRUSTED_PROXIES: ' , ' }), configError('CLIENT_CERT_HEADER: needs TRUSTED_PROXIES, or anyone could present any certificate'));
    assert.equal(loadConfig({ CLIENT_CERT_HEADER: 'client-cert', TRUSTED_PROXIES: '10.0.0.1' }).proxy.clientCertHeader, 'client-cert');
    assert.equal(loadConfig({ CLIENT_CERT_HEADER: 'client-cert', TRUSTED_PROXIES: '10.244.0.0/16' }).proxy.clientCertHeader, 'client-cert');
  });

  test('STRIPE_API_KEY is a secret or restricted key, and comes with STRIPE_METER_EVENT_NAME; STRIPE_API_BASE needs it', () => {
    assert.throws(() => loadConfig({ STRIPE_API_KEY: 'pk_test_1', STRIPE_METER_EVENT_NAME: 'api_usage' }), /STRIPE_API_KEY: must be a Stripe secret or restricted key/);
    assert.throws(() => loadConfig({ STRIPE_API_KEY: 'sk_test_1' }), /STRIPE_API_KEY, STRIPE_METER_EVENT_NAME: set both or neither/);
    assert.throws(() => loadConfig({ STRIPE_API_BASE: 'http://127.0.0.1:12111' }), /STRIPE_API_BASE: needs STRIPE_API_KEY/);
    assert.deepEqual(loadConfig({ STRIPE_API_KEY: 'rk_test_1', STRIPE_METER_EVENT_NAME: 'api_usage' }).billing, { stripe: { apiKey: 'rk_test_1', meterEventName: 'api_usage', apiBase: undefined } });
  });

  test('TLS_CERT_FILE and TLS_KEY_FILE come together', () => {
    assert.throws(() => loadConfig({ TLS_CERT_FILE: '/etc/tls/server.pem' }), configError('TLS_CERT_FILE, TLS_KEY_FILE: set both or neither'));
    assert.throws(() => loadConfig({ TLS_KEY_FILE: '/etc/tls/server.key' }), configError('TLS_CERT_FILE, TLS_KEY_FILE: set both or neither'));
  });

  test('NODE_ENV=production without its required variables lists every missing one', () => {
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), configError(
      'BANK_INTEGRATION: required when NODE_ENV=production',
      'KEY_ENCRYPTION_KEY: required when NODE_ENV=production',
      'COOKIE_KEYS: required when NODE_ENV=production',
      'DPOP_NONCE_SECRET: required when NODE_ENV=production',
      'DATABASE_URL: required when NODE_ENV=production',
      'TLS_CERT_FILE: required when NODE_ENV=production',
      'TLS_KEY_FILE: required when NODE_ENV=production',
      'CLIENT_CA_FILE: required when NODE_ENV=production',
      'DIRECTORY_JWKS: required when NODE_ENV=production',
      'ISSUER: required when NODE_ENV=production',
      'MTLS_BASE_URL: required when NODE_ENV=production',
      'ADMIN_TOKEN: required when NODE_ENV=production',
    ));
  });

  test('NODE_ENV=production names exactly the variables still missing', () => {
    const { COOKIE_KEYS: _cookieKeys, CLIENT_CA_FILE: _clientCa, ...env } = productionEnv();
    assert.throws(() => loadConfig(env), configError(
      'COOKIE_KEYS: required when NODE_ENV=production',
      'CLIENT_CA_FILE: required when NODE_ENV=production',
    ));
  });

  test('WORKERS is a number of processes or auto, and more than one needs a PostgreSQL server', () => {
    assert.deepEqual(acceptedValues('WORKERS', ['0', '-1', '2.5', 'all', '257']), []);
    assert.equal(loadConfig({ WORKERS: 'auto', DATABASE_URL: 'postgres://u@h/db' }).workers, availableParallelism());
    assert.equal(loadConfig({ WORKERS: '1' }).workers, 1);
    assert.throws(() => loadConfig({ WORKERS: '2' }), configError("WORKERS: more than one worker needs DATABASE_URL (the embedded store is one process's)"));
  });

  test('ROLES names known roles, at least one', () => {
    assert.deepEqual(acceptedValues('ROLES', ['', ' , ', 'sandbox', 'auth,billing', 'AUTH']), []);
    assert.deepEqual(loadConfig({ ROLES: 'auth' }).roles, ['auth']);
    assert.deepEqual(loadConfig({ ROLES: 'portal,gateway' }).roles, ['portal', 'gateway']);
  });

  test('several bad variables are all named in one error', () => {
    assert.throws(() => loadConfig({ HTTPS_PORT: '0', ISSUER: 'http://auth.bank.example', DATABASE_URL: 'mysql://u@h/db' }), configError(
      'HTTPS_PORT: Too small: expected number to be >=1',
      'ISSUER: Invalid URL',
      'DATABASE_URL: Invalid URL',
    ));
  });

  test('a bad value and a missing pairing are named together, not one per restart', () => {
    const env = { HTTPS_PORT: '0', TLS_CERT_FILE: '/etc/tls/server.pem' };
    assert.equal(problemFor(env, 'HTTPS_PORT'), 'HTTPS_PORT: Too small: expected number to be >=1');
    assert.equal(problemFor(env, 'TLS_CERT_FILE'), 'TLS_CERT_FILE, TLS_KEY_FILE: set both or neither');
  });
});

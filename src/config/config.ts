import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

import { defaults } from './defaults.ts';
import { envSchema, type Env, type ROLE_NAMES } from './env.schema.ts';
import type { ProxyRange } from './proxy-range.ts';
import type { SmtpServer } from './smtp-url.ts';

export type RoleName = (typeof ROLE_NAMES)[number];

export interface Secrets {
  /** Encrypts signing keys at rest (AES-256-GCM). */
  keyEncryptionKey: Buffer;
  /** The bearer token of the admin API (operators' accounts come with the console). */
  adminToken: string;
  /** Sign session and interaction cookies; the first signs, all verify. */
  cookieKeys: string[];
  /** Derives DPoP nonces (RFC 9449 §8). */
  dpopNonceSecret: Buffer;
}

export interface Config {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  host: string;
  httpsPort: number;
  mtlsPort: number;
  /** Issuer identifier, the browser-facing base URL. */
  issuer: string;
  /** Base URL of the mutual-TLS listener, for `mtls_endpoint_aliases`. */
  mtlsBaseUrl: string;
  /** The gateway's public API listener (TLS, no client certificate) and its base URL. */
  gatewayPort: number;
  gatewayBaseUrl: string;
  /** The admin API's listener: localhost by default. */
  adminPort: number;
  adminHost: string;
  /** Processes serving the listeners (Node cluster, one port each shared): `auto` is one per core. */
  workers: number;
  /** The Open Banking APIs' access tokens: RFC 9068 JWTs or opaque references; see `defaults.accessTokenFormat`. */
  accessTokenFormat: 'jwt' | 'opaque';
  /** Redis for the counters instances share (rate limits); absent means in memory, per instance. */
  redisUrl: string | undefined;
  /** What a rate-limited call gets while Redis cannot be reached; see `defaults.gateway.onRedisFailure`. */
  rateLimitOnRedisFailure: 'open' | 'closed';
  /** Seconds between the gateway's flushes of its analytics rollups; see `defaults.gateway.analyticsFlushInterval`. */
  analyticsFlushInterval: number;
  /** Developer sign-ups a client network (an IPv4 address, an IPv6 /64) may send in an hour. */
  portalSignUpsPerHour: number;
  /** The developer portal's mail. */
  mail: {
    /**
     * The SMTP server the mail goes through (`SMTP_URL`, read and checked); absent means the
     * development outbox, and in production no account pages.
     */
    smtp: SmtpServer | undefined;
    /** The From of every mail: `MAIL_FROM`, by default `Portcullis Developers <no-reply@` the issuer's host `>`. */
    from: string;
  };
  /** Operators' single sign-on with the organisation's OpenID Connect provider (`CONSOLE_OIDC_*`); absent when not configured. */
  consoleSso: ConsoleSsoConfig | undefined;
  /** Which parts this process runs; each role adds its routes to the listeners. */
  roles: readonly RoleName[];
  /**
   * The module that connects the bank: its customers' sign-in (`Authenticator`), their accounts
   * (`CustomerAccounts`), and in a sandbox its test directory. Outside production, the sandbox bank.
   */
  bankIntegration: string;
  dataDir: string;
  certsDir: string;
  /** PostgreSQL connection string; absent means the embedded PGlite database under `dataDir`. */
  databaseUrl: string | undefined;
  tls: {
    certFile: string | undefined;
    keyFile: string | undefined;
    /** Trust anchors for `tls_client_auth` certificates; absent means the dev CA. */
    clientCaFile: string | undefined;
  };
  proxy: {
    /**
     * Peers whose `X-Forwarded-For` and client-certificate header are believed: exact addresses
     * and CIDR ranges (`TRUSTED_PROXIES`); `src/shared/trusted-proxies.ts` matches peers against them.
     */
    trusted: ProxyRange[];
    /** Header carrying the client certificate (PEM or RFC 9440 `Client-Cert`). */
    clientCertHeader: string | undefined;
  };
  /** Directory JWKS (files or https URLs) trusted to sign software statements; absent means the sandbox directory. */
  directoryJwks: string[] | undefined;
  /** Secrets from the environment; development falls back to ones generated under `dataDir`. */
  secrets: Partial<Secrets>;
  /** Timeouts (seconds) and the connection cap of each listener; see `defaults.listeners`. */
  listeners: ListenerLimits;
  /** How a process drains on SIGTERM, seconds; see `defaults.shutdown`. */
  shutdown: { delay: number; timeout: number };
  ttl: typeof defaults.ttl;
  sweepInterval: number;
  sweepBatchSize: number;
  retiredKeyGrace: number;
  openBanking: {
    /** `x-jws-signature` verified on payment consent requests and produced on their responses. */
    messageSigning: boolean;
    /** The bank's organisation id: the `http://openbanking.org.uk/iss` of its response signatures. */
    organisationId: string;
    /** The trust anchor (`http://openbanking.org.uk/tan`) every message signature names. */
    trustAnchor: string;
  };
  /**
   * Where closed billing months are pushed: Stripe (`STRIPE_API_KEY`, with the Billing Meter's
   * `STRIPE_METER_EVENT_NAME`; `STRIPE_API_BASE` points the SDK elsewhere, as tests do), or, absent,
   * no provider: a push only records.
   */
  billing: { stripe: { apiKey: string; meterEventName: string; apiBase: string | undefined } | undefined };
}

/** The console's OpenID Connect provider and how the console is its client. */
export interface ConsoleSsoConfig {
  issuer: string;
  clientId: string;
  /** `private_key_jwt` with a PKCS#8 PEM key file (RSA: RS256, EC P-256: ES256), or `client_secret_basic` with a secret. */
  clientAuth: { secret: string } | { keyFile: string };
  /** What the sign-in page's button names: `Sign in with <name>`. */
  name: string;
  scope: string;
  /**
   * Provisioning by role: the claim holding the person's groups or roles, and which of its values
   * grants which console role (the highest wins). Absent: only existing operators may sign in.
   */
  roles: { claim: string; map: Array<{ value: string; role: 'viewer' | 'operator' | 'admin' }> } | undefined;
}

/** `defaults.listeners`, with the deployment's own values where the environment gives them. */
export type ListenerLimits = { -readonly [Name in keyof typeof defaults.listeners]: number };

// Without these a production start would fall back to development material.
const PRODUCTION_REQUIRED = ['BANK_INTEGRATION', 'KEY_ENCRYPTION_KEY', 'COOKIE_KEYS', 'DPOP_NONCE_SECRET', 'DATABASE_URL', 'TLS_CERT_FILE', 'TLS_KEY_FILE', 'CLIENT_CA_FILE', 'DIRECTORY_JWKS', 'ISSUER', 'MTLS_BASE_URL', 'ADMIN_TOKEN'] as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the environment through the schema and fails fast, naming every bad option at once.
 *
 * @example
 * const config = loadConfig(process.env);
 */
export function loadConfig(source: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(source);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  // Checks across options read the raw environment, so that they are reported with schema errors.
  const given = (name: keyof Env) => source[name] !== undefined && source[name] !== '';
  if (source['NODE_ENV'] === 'production') {
    for (const name of PRODUCTION_REQUIRED) {
      if (!given(name)) problems.push(`${name}: required when NODE_ENV=production`);
    }
  }
  // The embedded PGlite store lives in one process; several workers must share a server.
  if (given('WORKERS') && source['WORKERS'] !== '1' && !given('DATABASE_URL')) problems.push('WORKERS: more than one worker needs DATABASE_URL (the embedded store is one process\'s)');
  if (given('TLS_CERT_FILE') !== given('TLS_KEY_FILE')) problems.push('TLS_CERT_FILE, TLS_KEY_FILE: set both or neither');
  const trustsProxies = parsed.success ? parsed.data.TRUSTED_PROXIES.length > 0 : given('TRUSTED_PROXIES');
  if (given('CLIENT_CERT_HEADER') && !trustsProxies) problems.push('CLIENT_CERT_HEADER: needs TRUSTED_PROXIES, or anyone could present any certificate');
  if (given('STRIPE_API_KEY') !== given('STRIPE_METER_EVENT_NAME')) problems.push('STRIPE_API_KEY, STRIPE_METER_EVENT_NAME: set both or neither');
  if (given('STRIPE_API_BASE') && !given('STRIPE_API_KEY')) problems.push('STRIPE_API_BASE: needs STRIPE_API_KEY');
  problems.push(...consoleSsoProblems(source, given));
  if (problems.length || !parsed.success) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  const env = parsed.data;
  const issuer = env.ISSUER ?? `https://localhost:${env.HTTPS_PORT}`;

  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    host: env.HOST,
    httpsPort: env.HTTPS_PORT,
    mtlsPort: env.MTLS_PORT,
    issuer,
    mtlsBaseUrl: env.MTLS_BASE_URL ?? `https://localhost:${env.MTLS_PORT}`,
    gatewayPort: env.GATEWAY_PORT,
    gatewayBaseUrl: env.GATEWAY_BASE_URL ?? `https://localhost:${env.GATEWAY_PORT}`,
    adminPort: env.ADMIN_PORT,
    adminHost: env.ADMIN_HOST,
    workers: env.WORKERS === 'auto' ? availableParallelism() : env.WORKERS,
    accessTokenFormat: env.ACCESS_TOKEN_FORMAT,
    redisUrl: env.REDIS_URL,
    rateLimitOnRedisFailure: env.RATE_LIMIT_ON_REDIS_FAILURE,
    analyticsFlushInterval: env.ANALYTICS_FLUSH_INTERVAL,
    portalSignUpsPerHour: env.PORTAL_SIGN_UPS_PER_HOUR,
    mail: { smtp: env.SMTP_URL, from: env.MAIL_FROM ?? `Portcullis Developers <no-reply@${new URL(issuer).hostname}>` },
    consoleSso: consoleSso(env),
    roles: [...new Set(env.ROLES)],
    bankIntegration: resolve(env.BANK_INTEGRATION ?? defaults.sandboxBankIntegration),
    dataDir: resolve(env.DATA_DIR),
    certsDir: resolve(env.CERTS_DIR),
    databaseUrl: env.DATABASE_URL,
    tls: { certFile: env.TLS_CERT_FILE, keyFile: env.TLS_KEY_FILE, clientCaFile: env.CLIENT_CA_FILE },
    proxy: { trusted: env.TRUSTED_PROXIES, clientCertHeader: env.CLIENT_CERT_HEADER },
    directoryJwks: env.DIRECTORY_JWKS,
    secrets: {
      keyEncryptionKey: env.KEY_ENCRYPTION_KEY ? Buffer.from(env.KEY_ENCRYPTION_KEY, 'base64url') : undefined,
      cookieKeys: env.COOKIE_KEYS,
      dpopNonceSecret: env.DPOP_NONCE_SECRET ? Buffer.from(env.DPOP_NONCE_SECRET, 'base64url') : undefined,
      adminToken: env.ADMIN_TOKEN,
    },
    listeners: { ...defaults.listeners, keepAliveTimeout: env.KEEP_ALIVE_TIMEOUT, maxConnections: env.MAX_CONNECTIONS },
    shutdown: { delay: env.SHUTDOWN_DELAY, timeout: env.SHUTDOWN_TIMEOUT },
    ttl: defaults.ttl,
    sweepInterval: defaults.sweepInterval,
    sweepBatchSize: defaults.sweepBatchSize,
    retiredKeyGrace: defaults.retiredKeyGrace,
    openBanking: { messageSigning: env.OB_MESSAGE_SIGNING === 'on', organisationId: env.OB_ORGANISATION_ID, trustAnchor: env.OB_TRUST_ANCHOR },
    billing: { stripe: env.STRIPE_API_KEY && env.STRIPE_METER_EVENT_NAME ? { apiKey: env.STRIPE_API_KEY, meterEventName: env.STRIPE_METER_EVENT_NAME, apiBase: env.STRIPE_API_BASE } : undefined },
  };
}

const SSO_OPTIONS = ['CONSOLE_OIDC_CLIENT_ID', 'CONSOLE_OIDC_CLIENT_SECRET', 'CONSOLE_OIDC_CLIENT_KEY_FILE', 'CONSOLE_OIDC_NAME', 'CONSOLE_OIDC_ROLE_CLAIM', 'CONSOLE_OIDC_ROLE_MAP'] as const;

// Single sign-on is all or nothing: an issuer with a client and one way to authenticate it.
function consoleSsoProblems(source: NodeJS.ProcessEnv, given: (name: keyof Env) => boolean): string[] {
  if (!given('CONSOLE_OIDC_ISSUER')) return SSO_OPTIONS.filter(given).map((name) => `${name}: needs CONSOLE_OIDC_ISSUER`);
  const problems: string[] = [];
  if (!given('CONSOLE_OIDC_CLIENT_ID')) problems.push('CONSOLE_OIDC_CLIENT_ID: required with CONSOLE_OIDC_ISSUER');
  if (!given('CONSOLE_OIDC_CLIENT_SECRET') && !given('CONSOLE_OIDC_CLIENT_KEY_FILE')) problems.push('CONSOLE_OIDC_CLIENT_SECRET, CONSOLE_OIDC_CLIENT_KEY_FILE: set one (client_secret_basic or private_key_jwt)');
  if (given('CONSOLE_OIDC_ROLE_MAP') && !given('CONSOLE_OIDC_ROLE_CLAIM')) problems.push('CONSOLE_OIDC_ROLE_MAP: needs CONSOLE_OIDC_ROLE_CLAIM');
  if (source['NODE_ENV'] === 'production' && source['CONSOLE_OIDC_ISSUER']!.startsWith('http:')) problems.push('CONSOLE_OIDC_ISSUER: must be https when NODE_ENV=production');
  return problems;
}

function consoleSso(env: Env): ConsoleSsoConfig | undefined {
  if (!env.CONSOLE_OIDC_ISSUER) return undefined;
  const roles = env.CONSOLE_OIDC_ROLE_CLAIM
    // Without a map, the claim's values are the roles' own names.
    ? { claim: env.CONSOLE_OIDC_ROLE_CLAIM, map: env.CONSOLE_OIDC_ROLE_MAP ?? (['viewer', 'operator', 'admin'] as const).map((role) => ({ value: role, role })) }
    : undefined;
  return {
    issuer: env.CONSOLE_OIDC_ISSUER,
    clientId: env.CONSOLE_OIDC_CLIENT_ID!,
    // A key file, when given, wins: private_key_jwt keeps no shared secret at the provider.
    clientAuth: env.CONSOLE_OIDC_CLIENT_KEY_FILE ? { keyFile: env.CONSOLE_OIDC_CLIENT_KEY_FILE } : { secret: env.CONSOLE_OIDC_CLIENT_SECRET! },
    name: env.CONSOLE_OIDC_NAME ?? new URL(env.CONSOLE_OIDC_ISSUER).hostname,
    scope: env.CONSOLE_OIDC_SCOPE,
    roles,
  };
}

import { z } from 'zod';

import { defaults } from './defaults.ts';
import { readProxyRange } from './proxy-range.ts';
import { readSmtpUrl } from './smtp-url.ts';

/** The roles a process can run (`ROLES`); `src/server/roles.ts` wires each. */
export const ROLE_NAMES = ['auth', 'gateway', 'portal', 'console'] as const;

const list = z
  .string()
  .transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean));

// Decimal only: `0x1F90` or `1e3` are typos, not ports.
const port = z
  .string()
  .regex(/^\d+$/, 'must be a decimal port number')
  .transform(Number)
  .pipe(z.number().int().min(1).max(65535));

/** An issuer-shaped https URL (RFC 8414 §2: no query, fragment or credentials), without a trailing slash. */
// Decimal only, like ports: a whole number of seconds or connections.
const positiveInteger = (max: number) => z
  .string()
  .regex(/^\d+$/, 'must be a decimal whole number')
  .transform(Number)
  .pipe(z.number().int().min(1).max(max));

// Seconds that may be none at all.
const wholeSeconds = (max: number) => z
  .string()
  .regex(/^\d+$/, 'must be a decimal whole number')
  .transform(Number)
  .pipe(z.number().int().min(0).max(max));

const httpsUrl = z
  .url({ protocol: /^https$/ })
  // URL.parse, not new URL: zod still runs refinements after `z.url` has failed.
  .refine((value) => {
    const url = URL.parse(value);
    return !url || (!url.search && !url.hash && !url.username && !url.password);
  }, 'must have no query, fragment or credentials')
  .transform((value) => {
    const url = new URL(value);
    return `${url.origin}${url.pathname}`.replace(/\/$/, '');
  });

// Read with the mailer's own parser, so that startup refuses what the mailer could not honour. Its
// messages start with the variable's name, which the config error puts in front already; none
// repeats the URL, which may hold the relay's password.
const smtpUrl = z.string().transform((value, ctx) => {
  try {
    return readSmtpUrl(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message.replace(/^SMTP_URL:? /, '') });
    return z.NEVER;
  }
});

// One mailbox (RFC 5322 §3.4): `name@host` or `Display Name <name@host>`, the name quoted when it
// holds a comma. Never a list, which would send as several people, nor a line break.
const ADDR_SPEC = /[^\s<>()[\]@,;:"]+@[^\s<>()[\]@,;:"]+/.source;
const mailbox = z
  .string()
  .regex(new RegExp(String.raw`^(?:${ADDR_SPEC}|(?:"[^"\r\n]*"|[^"<>()@,;:\r\n]+) *<${ADDR_SPEC}>)$`), 'must be one address: name@host or Display Name <name@host>');

// The console's OpenID Connect provider: https, or plain http to this machine's loopback (a
// provider a test or a developer runs beside Portcullis; refused in production by `loadConfig`).
const oidcIssuer = z.url({ protocol: /^https?$/ })
  .refine((value) => {
    const url = URL.parse(value);
    return !url || url.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  }, 'must be https (plain http only to localhost)')
  .refine((value) => {
    const url = URL.parse(value);
    return !url || (!url.search && !url.hash && !url.username && !url.password);
  }, 'must have no query, fragment or credentials');

// `value=role` pairs: a value of the provider's role claim and the console role it grants.
const roleMap = list.pipe(z.array(z.string().regex(/^.+=(viewer|operator|admin)$/, 'each entry must be value=viewer|operator|admin')).min(1))
  .transform((entries) => entries.map((entry) => {
    const at = entry.lastIndexOf('=');
    return { value: entry.slice(0, at), role: entry.slice(at + 1) as 'viewer' | 'operator' | 'admin' };
  }));

// An exact address or a CIDR range, read strictly (see proxy-range.ts for what is refused and why).
const proxyRange = z.string().transform((value, ctx) => {
  try {
    return readProxyRange(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const base64Secret = z
  .base64url()
  .refine((value) => Buffer.from(value, 'base64url').length >= 32, 'must decode to at least 32 bytes');

/**
 * The environment variables Portcullis reads, and nothing else. Each maps to one config option;
 * the README's configuration table mirrors this list.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default(defaults.logLevel),
  HOST: z.string().min(1).default(defaults.host),
  HTTPS_PORT: port.default(defaults.httpsPort),
  MTLS_PORT: port.default(defaults.mtlsPort),
  GATEWAY_PORT: port.default(defaults.gatewayPort),
  ADMIN_PORT: port.default(defaults.adminPort),
  ADMIN_HOST: z.string().min(1).default(defaults.adminHost),
  GATEWAY_BASE_URL: httpsUrl.optional(),
  ADMIN_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  WORKERS: z.union([z.literal('auto'), positiveInteger(256)]).default(1),
  ACCESS_TOKEN_FORMAT: z.enum(['jwt', 'opaque']).default(defaults.accessTokenFormat),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  RATE_LIMIT_ON_REDIS_FAILURE: z.enum(['open', 'closed']).default(defaults.gateway.onRedisFailure),
  ANALYTICS_FLUSH_INTERVAL: positiveInteger(3_600).default(defaults.gateway.analyticsFlushInterval),
  PORTAL_SIGN_UPS_PER_HOUR: positiveInteger(100_000).default(defaults.portalSignUpsPerHour),
  SMTP_URL: smtpUrl.optional(),
  MAIL_FROM: mailbox.optional(),
  ISSUER: httpsUrl.optional(),
  MTLS_BASE_URL: httpsUrl.optional(),
  DATA_DIR: z.string().min(1).default(defaults.dataDir),
  CERTS_DIR: z.string().min(1).default(defaults.certsDir),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  CLIENT_CA_FILE: z.string().min(1).optional(),
  TRUSTED_PROXIES: list.pipe(z.array(proxyRange)).default([]),
  CLIENT_CERT_HEADER: z
    .string()
    .regex(/^[a-z0-9-]+$/i, 'must be a header name')
    .transform((value) => value.toLowerCase())
    .optional(),
  DIRECTORY_JWKS: list.pipe(z.array(z.string().min(1))).optional(),
  KEY_ENCRYPTION_KEY: base64Secret.optional(),
  COOKIE_KEYS: list.pipe(z.array(z.string().min(32, 'each key must be at least 32 characters')).min(1)).optional(),
  DPOP_NONCE_SECRET: base64Secret.optional(),
  ROLES: list.pipe(z.array(z.enum(ROLE_NAMES)).min(1, 'must name at least one role')).default([...ROLE_NAMES]),
  BANK_INTEGRATION: z.string().min(1).optional(),
  KEEP_ALIVE_TIMEOUT: positiveInteger(3600).default(defaults.listeners.keepAliveTimeout),
  MAX_CONNECTIONS: positiveInteger(1_000_000).default(defaults.listeners.maxConnections),
  SHUTDOWN_DELAY: wholeSeconds(300).default(defaults.shutdown.delay),
  SHUTDOWN_TIMEOUT: positiveInteger(3_600).default(defaults.shutdown.timeout),
  CONSOLE_OIDC_ISSUER: oidcIssuer.optional(),
  CONSOLE_OIDC_CLIENT_ID: z.string().min(1).optional(),
  CONSOLE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  CONSOLE_OIDC_CLIENT_KEY_FILE: z.string().min(1).optional(),
  CONSOLE_OIDC_NAME: z.string().min(1).max(60).optional(),
  CONSOLE_OIDC_SCOPE: z.string().regex(/(^| )openid( |$)/, 'must include openid').default('openid email profile'),
  CONSOLE_OIDC_ROLE_CLAIM: z.string().min(1).optional(),
  CONSOLE_OIDC_ROLE_MAP: roleMap.optional(),
  OB_MESSAGE_SIGNING: z.enum(['on', 'off']).default(defaults.openBanking.messageSigning ? 'on' : 'off'),
  OB_ORGANISATION_ID: z.string().min(1).max(128).default(defaults.openBanking.organisationId),
  OB_TRUST_ANCHOR: z.string().regex(/^[a-z0-9.-]+$/i, 'must be a DNS name').default(defaults.openBanking.trustAnchor),
  STRIPE_API_KEY: z.string().regex(/^(sk|rk)_\w+$/, 'must be a Stripe secret or restricted key (sk_… or rk_…)').optional(),
  STRIPE_API_BASE: z.url({ protocol: /^https?$/ }).optional(),
  STRIPE_METER_EVENT_NAME: z.string().regex(/^[\w.-]{1,100}$/, 'must be a meter\'s event name').optional(),
});

export type Env = z.infer<typeof envSchema>;

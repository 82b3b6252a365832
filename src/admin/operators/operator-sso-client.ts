import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';

import { importPKCS8 } from 'jose';
import * as oidc from 'openid-client';

import type { ConsoleSsoConfig } from '../../config/config.ts';

/*
 * The console as a client of the organisation's OpenID Connect provider (openid-client): the
 * authorization code flow with PKCE (S256), `state` and `nonce` (OpenID Connect Core §3.1), the
 * provider found by discovery. Discovery happens at the first sign-in, not at startup, so that a
 * provider that is down delays no start: its metadata is then kept for the process's life, and a
 * failed discovery is tried again at the next sign-in. What the provider says is checked here;
 * who that makes the person is `operator-sso.service.ts`'s business.
 */

/** What one sign-in must remember between leaving for the provider and coming back (kept in the browser's cookie). */
export interface SsoTransaction {
  state: string;
  nonce: string;
  verifier: string;
  /** The console page to go to once signed in. */
  next: string;
}

/** The person as the provider vouches for them. */
export interface SsoIdentity {
  subject: string;
  email: string | undefined;
  /** Only a verified address finds an operator (§5.1 `email_verified`). */
  emailVerified: boolean;
  name: string | undefined;
  /** How the provider authenticated them (§2: `acr`, `amr`), recorded with the sign-in. */
  acr: string | undefined;
  amr: string[] | undefined;
  /** The ID token's and UserInfo's claims together, for the role claim. */
  claims: Record<string, unknown>;
}

/** The provider could not be reached (down, timed out, answered 5xx): worth trying again later. */
export class SsoUnavailable extends Error {
  override name = 'SsoUnavailable';
}

/** The provider said no (`error=access_denied` and the like, RFC 6749 §4.1.2.1). */
export class SsoRefused extends Error {
  override name = 'SsoRefused';
  readonly error: string;
  readonly description: string | undefined;
  constructor(error: string, description: string | undefined, options?: ErrorOptions) {
    super(`the provider answered ${error}${description ? `: ${description}` : ''}`, options);
    this.error = error;
    this.description = description;
  }
}

/** The provider's answer did not check out (nonce, ID token, a code it would not exchange). */
export class SsoInvalid extends Error {
  override name = 'SsoInvalid';
}

export interface SsoClient {
  /** Where to send the browser, and what to remember for its return. */
  start(next: string): Promise<{ url: URL; transaction: SsoTransaction }>;
  /** Checks the provider's answer at `callbackUrl` against `transaction`, and reads who signed in. */
  finish(callbackUrl: URL, transaction: SsoTransaction): Promise<SsoIdentity>;
}

// Seconds a request to the provider may take before the page says it is unreachable.
const PROVIDER_TIMEOUT_SECONDS = 10;
const UNREACHABLE_CODES = new Set(['OAUTH_TIMEOUT', 'OAUTH_ABORT']);

/** Sorts what openid-client threw into the three things a sign-in page says. */
function classify(error: unknown): Error {
  if (error instanceof oidc.AuthorizationResponseError) return new SsoRefused(error.error, error.error_description, { cause: error });
  const code = (error as { code?: string }).code;
  const response = (error as { cause?: unknown }).cause;
  if (error instanceof TypeError || (code && UNREACHABLE_CODES.has(code))
    || (code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' && response instanceof Response && response.status >= 500)) {
    return new SsoUnavailable('the OpenID Connect provider could not be reached', { cause: error });
  }
  return new SsoInvalid('the OpenID Connect provider\'s answer did not check out', { cause: error });
}

/**
 * How the console authenticates to the provider: the key file is read and parsed now, so that a
 * missing or malformed key fails the start rather than the first sign-in.
 */
function clientAuthentication(config: ConsoleSsoConfig): () => Promise<oidc.ClientAuth> {
  if ('secret' in config.clientAuth) {
    const auth = oidc.ClientSecretBasic(config.clientAuth.secret);
    return async () => auth;
  }
  const pem = readFileSync(config.clientAuth.keyFile, 'utf8');
  const alg = createPrivateKey(pem).asymmetricKeyType === 'ec' ? 'ES256' : 'RS256';
  return async () => oidc.PrivateKeyJwt(await importPKCS8(pem, alg));
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** A client for `config`'s provider, which sends people back to `redirectUri`. */
export function createSsoClient(config: ConsoleSsoConfig, redirectUri: string): SsoClient {
  let discovered: Promise<oidc.Configuration> | undefined;
  const authentication = clientAuthentication(config);
  const configuration = () => {
    discovered ??= authentication()
      .then((auth) => oidc.discovery(new URL(config.issuer), config.clientId, { redirect_uris: [redirectUri], response_types: ['code'] }, auth, {
        timeout: PROVIDER_TIMEOUT_SECONDS,
        // Plain http only to a provider on this machine (the configuration refuses it in production).
        ...(config.issuer.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : {}),
      }))
      .catch((error: unknown) => {
        discovered = undefined;
        throw classify(error);
      });
    return discovered;
  };

  return {
    async start(next) {
      const provider = await configuration();
      const transaction = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), next };
      const url = oidc.buildAuthorizationUrl(provider, {
        redirect_uri: redirectUri, scope: config.scope, state: transaction.state, nonce: transaction.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(transaction.verifier), code_challenge_method: 'S256',
      });
      return { url, transaction };
    },

    async finish(callbackUrl, transaction) {
      const provider = await configuration();
      try {
        const tokens = await oidc.authorizationCodeGrant(provider, callbackUrl, {
          pkceCodeVerifier: transaction.verifier, expectedState: transaction.state, expectedNonce: transaction.nonce, idTokenExpected: true,
        });
        const idClaims = tokens.claims()!;
        // The ID token may carry only `sub` (Core §5.4): the address and groups come from UserInfo.
        const userInfo = await oidc.fetchUserInfo(provider, tokens.access_token, idClaims.sub);
        const claims: Record<string, unknown> = { ...userInfo, ...idClaims };
        return {
          subject: idClaims.sub, email: text(claims['email']), emailVerified: claims['email_verified'] === true, name: text(claims['name']),
          acr: text(idClaims.acr), amr: Array.isArray(idClaims.amr) ? idClaims.amr.filter((value): value is string => typeof value === 'string') : undefined, claims,
        };
      } catch (error) {
        throw classify(error);
      }
    },
  };
}

import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type Provider from 'oidc-provider';

import { epochSeconds, type Clock } from '../../shared/clock.ts';
import { ExpiringCache } from '../../shared/expiring-cache.ts';

/** What a resource server needs to know of an access token, whatever its format. */
export interface AccessTokenFacts {
  kind: 'AccessToken' | 'ClientCredentials';
  clientId: string;
  scope: string;
  aud: string | string[] | undefined;
  jkt?: string;
  'x5t#S256'?: string;
  /** Customer tokens: the grant (revoked grants end their tokens) and the customer. */
  grantId?: string;
  accountId?: string;
  /** The consent behind a customer's token (`openbanking_intent_id`), when the token names it. */
  consentId?: string;
  exp: number;
}

export interface AccessTokenReader {
  /** The token a presented value is, if it is a live one of ours; undefined otherwise. */
  read(value: string): Promise<AccessTokenFacts | undefined>;
}

export interface AccessTokenReaderOptions {
  /** Opaque tokens are looked up in its token store. */
  provider: Provider;
  issuer: string;
  /** Our public signing keys now (a rotation changes them). */
  jwks: () => JSONWebKeySet;
  /** Whether a grant still stands: a JWT outlives nothing its grant's revocation ended. */
  grantIsLive: (grantId: string) => Promise<boolean>;
  /** Whether the client a token was issued to is still registered and not suspended by the bank. */
  clientIsActive: (clientId: string) => Promise<boolean>;
  clock: Clock;
}

/*
 * A partner presents the same access token on every call until it expires; its signature is
 * checked once (about a tenth of a gateway call's CPU otherwise) and its facts kept until its
 * `exp`. What can end a token sooner is asked on every call all the same: its grant (revocation),
 * and our keys (a withdrawn key forgets every token). Bounded: emptied when full.
 */
const REMEMBERED_TOKENS = 10_000;

/*
 * An opaque token is a reference the store answers for; its answer is kept this long, so that a
 * partner's burst of calls costs one lookup. Revoking a token deletes it from the store: within
 * this time every instance refuses it, with no event needed. Its grant is asked on every call, as
 * a JWT's is.
 */
const OPAQUE_TOKEN_CACHE_MS = 500;

const stringOf = (value: unknown) => (typeof value === 'string' ? value : undefined);

function factsOfJwt(claims: JWTPayload): AccessTokenFacts | undefined {
  const clientId = stringOf(claims['client_id']);
  if (!clientId || typeof claims.exp !== 'number') return undefined;
  const grantId = stringOf(claims['grant_id']);
  const cnf = (claims['cnf'] ?? {}) as Record<string, unknown>;
  const facts: AccessTokenFacts = { kind: grantId ? 'AccessToken' : 'ClientCredentials', clientId, scope: stringOf(claims['scope']) ?? '', aud: claims.aud, exp: claims.exp };
  const jkt = stringOf(cnf['jkt']);
  const x5t = stringOf(cnf['x5t#S256']);
  if (jkt) facts.jkt = jkt;
  if (x5t) facts['x5t#S256'] = x5t;
  if (grantId) {
    facts.grantId = grantId;
    if (claims.sub) facts.accountId = claims.sub;
    const consentId = stringOf(claims['openbanking_intent_id']);
    if (consentId) facts.consentId = consentId;
  }
  return facts;
}

/**
 * Reads access tokens of both formats (`defaults.accessTokenFormat`): an RFC 9068 JWT is checked
 * against our keys (`typ` at+jwt, our issuer, unexpired); an opaque token is looked up in the
 * token store, which forgets revoked and expired ones (kept for `OPAQUE_TOKEN_CACHE_MS`). Either
 * way its grant is asked whether it stands, and its client whether the bank has suspended or
 * removed it.
 */
export function accessTokenReader(options: AccessTokenReaderOptions): AccessTokenReader {
  let keys = { jwks: options.jwks(), getKey: createLocalJWKSet(options.jwks()) };
  const verified = new Map<string, AccessTokenFacts>();
  const keySet = () => {
    const jwks = options.jwks();
    if (jwks !== keys.jwks) {
      keys = { jwks, getKey: createLocalJWKSet(jwks) };
      // A key withdrawn from the set takes its tokens with it.
      verified.clear();
    }
    return keys.getKey;
  };

  /** The facts of a JWT whose signature, issuer and type were checked already, while it is unexpired. */
  function alreadyVerified(value: string): AccessTokenFacts | undefined {
    keySet();
    const facts = verified.get(value);
    if (facts && facts.exp > epochSeconds(options.clock)) return facts;
    if (facts) verified.delete(value);
    return undefined;
  }

  function remember(value: string, facts: AccessTokenFacts): void {
    if (verified.size >= REMEMBERED_TOKENS) verified.clear();
    verified.set(value, facts);
  }

  // Machine time: how fresh the store's answer is has nothing to do with the tokens' clock. An
  // unknown token is kept too (null), so that made-up values do not each cost a lookup.
  const looked = new ExpiringCache<string, AccessTokenFacts | null>({ maxEntries: REMEMBERED_TOKENS, now: () => performance.now() });

  async function lookUpOpaque(value: string): Promise<AccessTokenFacts | undefined> {
    const token = (await options.provider.ClientCredentials.find(value)) ?? (await options.provider.AccessToken.find(value));
    if (!token?.clientId || typeof token.exp !== 'number') return undefined;
    return {
      kind: token.kind as AccessTokenFacts['kind'], clientId: token.clientId, scope: token.scope ?? '', aud: token.aud, exp: token.exp,
      ...(token.jkt ? { jkt: token.jkt } : {}), ...(token['x5t#S256'] ? { 'x5t#S256': token['x5t#S256'] } : {}),
      ...('grantId' in token && typeof token.grantId === 'string' ? { grantId: token.grantId } : {}),
      ...('accountId' in token && typeof token.accountId === 'string' ? { accountId: token.accountId } : {}),
    };
  }

  /** The store's answer for an opaque token, at most `OPAQUE_TOKEN_CACHE_MS` old, while the token is unexpired. */
  async function readOpaque(value: string): Promise<AccessTokenFacts | undefined> {
    let facts = looked.get(value);
    if (facts === undefined) {
      facts = (await lookUpOpaque(value)) ?? null;
      looked.set(value, facts, OPAQUE_TOKEN_CACHE_MS);
    }
    return facts && facts.exp > epochSeconds(options.clock) ? facts : undefined;
  }

  /** The facts of a live token of ours, its grant standing. */
  async function readToken(value: string): Promise<AccessTokenFacts | undefined> {
    if (!value.includes('.')) {
      const facts = await readOpaque(value);
      if (facts?.grantId && !(await options.grantIsLive(facts.grantId))) return undefined;
      return facts;
    }
    let facts = alreadyVerified(value);
    if (!facts) {
      let claims: JWTPayload;
      try {
        if (decodeProtectedHeader(value).typ !== 'at+jwt') return undefined;
        ({ payload: claims } = await jwtVerify(value, keySet(), { issuer: options.issuer, typ: 'at+jwt', currentDate: options.clock.now() }));
      } catch {
        return undefined;
      }
      facts = factsOfJwt(claims);
      if (!facts) return undefined;
      remember(value, facts);
    }
    if (facts.grantId && !(await options.grantIsLive(facts.grantId))) return undefined;
    return facts;
  }

  return {
    async read(value) {
      const facts = await readToken(value);
      // A suspended or removed client's tokens are refused while it stays so, not revoked: a reactivated client's work again.
      if (facts && !(await options.clientIsActive(facts.clientId))) return undefined;
      return facts;
    },
  };
}

import type Provider from 'oidc-provider';

import { certificateThumbprint } from '../../pki/certificate-thumbprint.ts';
import type { AccessTokenReader } from './access-token-reader.ts';
import { ObError } from '../ob-error.ts';
import { verifyDpopProof } from './verify-dpop-proof.ts';

/** Client-credentials tokens act for the partner; access tokens (code grant) act for a customer too. */
export type PartnerTokenKind = 'ClientCredentials' | 'AccessToken';

/** What a request presents: its headers, its TLS client certificate, and where it was sent. */
export interface PresentedCredentials {
  authorization: string | undefined;
  dpop: string | undefined;
  certificatePem: string | undefined;
  method: string;
  /** The request URL as the partner addressed it, without query. */
  url: string;
}

export interface PartnerToken {
  kind: PartnerTokenKind;
  clientId: string;
  scopes: ReadonlySet<string>;
  /** Access tokens only: the grant (and so the consent) and the customer behind it. */
  grantId?: string;
  accountId?: string;
  /** The consent a JWT access token names (`openbanking_intent_id`). */
  consentId?: string;
}

/** Where tokens are read, and the replay cache DPoP proofs are checked against. */
export interface TokenAccess {
  tokens: AccessTokenReader;
  provider: Pick<Provider, 'ReplayDetection'>;
}

export interface TokenRequirements {
  kinds: readonly PartnerTokenKind[];
  /** The resource indicator the token must be issued for. */
  audience: string;
}

/** 401 per RFC 6750 §3 / RFC 9449 §7.1, in the Open Banking body the resource APIs answer with. */
function invalidToken(description: string, scheme = 'Bearer'): ObError {
  return new ObError(401, [{ ErrorCode: 'UK.OBIE.Header.Invalid', Message: `The access token is not valid: ${description}`, Path: 'Authorization' }], {
    headers: { 'WWW-Authenticate': `${scheme} error="invalid_token", error_description="${description}"` },
  });
}

const KIND_WORDS: Record<PartnerTokenKind, string> = {
  AccessToken: "an access token from the customer's authorisation (authorization_code grant)",
  ClientCredentials: 'a client-credentials access token',
};

/** A valid token of the wrong kind: RFC 6750 §3.1 `insufficient_scope`, naming what is needed. */
function wrongKind(kinds: readonly PartnerTokenKind[]): ObError {
  const message = `This endpoint needs ${kinds.map((kind) => KIND_WORDS[kind]).join(' or ')}`;
  return new ObError(403, [{ ErrorCode: 'UK.OBIE.Header.Invalid', Message: message, Path: 'Authorization' }], {
    headers: { 'WWW-Authenticate': `Bearer error="insufficient_scope", error_description="${message.replaceAll('"', "'")}"` },
  });
}

/**
 * Finds the access token a request presents and checks that this request may use it: issued by
 * us for this resource, of an accepted kind, unexpired (the store forgets revoked ones), and
 * presented by its holder: the TLS client certificate it is bound to (RFC 8705 §3) or a DPoP proof
 * by its key (RFC 9449 §7). Sender-constraining is not optional: a token bound to nothing is
 * refused, although Portcullis never issues one.
 */
export async function verifyAccessToken(access: TokenAccess, presented: PresentedCredentials, requirements: TokenRequirements): Promise<PartnerToken> {
  const match = /^(Bearer|DPoP) ([\w.~+/-]+=*)$/i.exec(presented.authorization ?? '');
  if (!presented.authorization) {
    throw new ObError(401, [{ ErrorCode: 'UK.OBIE.Header.Missing', Message: 'An access token is required', Path: 'Authorization' }], {
      headers: { 'WWW-Authenticate': 'Bearer, DPoP' },
    });
  }
  if (!match) throw invalidToken('malformed Authorization header');
  const scheme = match[1]!.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
  const value = match[2]!;

  const token = await access.tokens.read(value);
  if (!token) throw invalidToken('unknown, expired or revoked token', scheme);
  if (token.aud !== requirements.audience && !(Array.isArray(token.aud) && token.aud.includes(requirements.audience))) {
    throw invalidToken('token not issued for this resource', scheme);
  }

  if (token.jkt) {
    if (scheme !== 'DPoP') throw invalidToken('DPoP-bound token presented without the DPoP scheme', 'DPoP');
    if (!presented.dpop) throw invalidToken('DPoP proof missing', 'DPoP');
    let proof;
    try {
      proof = await verifyDpopProof({ proof: presented.dpop, method: presented.method, url: presented.url, accessToken: value, jkt: token.jkt });
    } catch (error) {
      throw invalidToken(error instanceof Error ? error.message : 'invalid DPoP proof', 'DPoP');
    }
    if (!(await access.provider.ReplayDetection.unique(token.clientId, proof.jti, proof.replayableUntil))) throw invalidToken('DPoP proof replayed', 'DPoP');
  } else if (token['x5t#S256']) {
    if (scheme !== 'Bearer') throw invalidToken('certificate-bound token presented with the DPoP scheme');
    if (!presented.certificatePem || certificateThumbprint(presented.certificatePem) !== token['x5t#S256']) {
      throw invalidToken('token is bound to another client certificate');
    }
  } else {
    throw invalidToken('token is not sender-constrained', scheme);
  }

  // Said only to the token's holder, once the binding holds: which kind of token this endpoint needs.
  if (!requirements.kinds.includes(token.kind as PartnerTokenKind)) throw wrongKind(requirements.kinds);

  const partnerToken: PartnerToken = { kind: token.kind, clientId: token.clientId, scopes: new Set(token.scope.split(' ').filter(Boolean)) };
  if (token.grantId) partnerToken.grantId = token.grantId;
  if (token.accountId) partnerToken.accountId = token.accountId;
  if (token.consentId) partnerToken.consentId = token.consentId;
  return partnerToken;
}

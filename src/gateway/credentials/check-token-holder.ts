import type { JWTPayload } from 'jose';

import type { FirstUseCheck } from '../../auth/adapter/first-use-check.ts';
import { DpopKeyMismatch, verifyDpopProof } from '../../openbanking/access/verify-dpop-proof.ts';
import type { Authenticated, PresentedToken } from '../pipeline/gateway-deps.ts';

type Refusal = Extract<Authenticated, { refused: unknown }>;

type Binding = { unbound: true } | { jkt: string } | { unverifiable: string };

/*
 * A sender-constrained token is only worth its binding where the binding is checked: whoever
 * copies one from a log or a browser could otherwise call with it. Every token our authorization
 * server issues is bound (FAPI 2.0); other issuers' may be. So a binding this listener cannot
 * check refuses the token (fail closed) rather than letting it pass as a bearer token.
 */

/** What the token is bound to (RFC 7800 `cnf`): nothing, a DPoP key (RFC 9449 §6.1), or what cannot be checked here. */
function bindingOf(claims: JWTPayload): Binding {
  const cnf = claims['cnf'];
  if (cnf === undefined) return { unbound: true };
  const members = typeof cnf === 'object' && cnf !== null && !Array.isArray(cnf) ? cnf as Record<string, unknown> : {};
  // RFC 8705 §3: the public listener asks for no client certificate, so none can match.
  if ('x5t#S256' in members) return { unverifiable: 'The access token is bound to a TLS client certificate, which this listener cannot check (it asks for none)' };
  const names = Object.keys(members);
  if (names.length === 1 && typeof members['jkt'] === 'string') return { jkt: members['jkt'] };
  return { unverifiable: 'The access token is bound to a key this gateway cannot check' };
}

const invalidProof = (description: string): Refusal => ({ refused: 'invalid_proof', description, scheme: 'DPoP' });

/** RFC 9449 §7.1: one proof, for this request and this token, by the token's key, fresh and never seen before. */
async function proveDpopPossession(jkt: string, presented: PresentedToken, isFirstProof: FirstUseCheck): Promise<Refusal | undefined> {
  const { possession } = presented;
  if (possession === 'proven') return undefined;
  const [proof, ...more] = possession.proofs;
  if (proof === undefined) return invalidProof('DPoP proof missing');
  // §4.3 check 1.
  if (more.length > 0) return invalidProof('more than one DPoP header');
  let verified;
  try {
    verified = await verifyDpopProof({ proof, method: possession.method, url: possession.url, accessToken: presented.token, jkt });
  } catch (error) {
    if (error instanceof DpopKeyMismatch) return { refused: 'wrong_key', description: error.message, scheme: 'DPoP' };
    return invalidProof(error instanceof Error ? error.message : 'invalid DPoP proof');
  }
  // Keyed by the proof's key: only its holder can sign a proof, so only its own proofs can collide.
  if (!(await isFirstProof(jkt, verified.jti, verified.replayableUntil))) return invalidProof('DPoP proof replayed');
  return undefined;
}

/**
 * Whether the request that presents a verified access token shows it is the token's holder: an
 * unbound token comes as a bearer token (RFC 6750); a DPoP-bound one under the DPoP scheme with a
 * proof by its key (RFC 9449 §7.1; as a bearer token it is refused, §7.2); a certificate-bound
 * one, or one bound to what the gateway does not know, is refused. Undefined when it holds.
 */
export async function checkTokenHolder(claims: JWTPayload, presented: PresentedToken, isFirstProof: FirstUseCheck): Promise<Refusal | undefined> {
  const binding = bindingOf(claims);
  if ('unverifiable' in binding) return { refused: 'unverifiable_binding', description: binding.unverifiable };
  if ('unbound' in binding) {
    return presented.scheme === 'Bearer' ? undefined : { refused: 'wrong_scheme', description: 'The access token is not DPoP-bound: send it with the Bearer scheme', scheme: 'Bearer' };
  }
  if (presented.scheme !== 'DPoP') return { refused: 'wrong_scheme', description: 'The access token is DPoP-bound: send it with the DPoP scheme and a DPoP proof', scheme: 'DPoP' };
  return proveDpopPossession(binding.jkt, presented, isFirstProof);
}

import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet } from 'jose';
import type { Middleware } from 'koa';

import { verifyRequestSignature } from '../jws-signature/verify-request-signature.ts';
import { badRequest } from '../ob-error.ts';
import type { ObResourceDependencies } from './ob-resource.deps.ts';

// One fetched key set per partner JWKS URL, so that its cache (and cooldown) lasts across requests.
const remoteKeySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function remoteKeySet(uri: string): ReturnType<typeof createRemoteJWKSet> {
  let keySet = remoteKeySets.get(uri);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL(uri));
    remoteKeySets.set(uri, keySet);
  }
  return keySet;
}

/**
 * OB message signing: a payment consent request carries `x-jws-signature`, a detached JWS over
 * the body by one of the partner's registered keys, naming it as `<org_id>/<software_id>`. With
 * signing off (`OB_MESSAGE_SIGNING=off`) the header is ignored.
 */
export function verifyMessageSignature(deps: Pick<ObResourceDependencies, 'messageSigning'>): Middleware {
  return async function checkMessageSignature(ctx, next) {
    if (!deps.messageSigning.enabled) return next();
    const partner = ctx.state.partner!;
    if (!partner.orgId || !partner.softwareId) {
      throw badRequest('UK.OBIE.Signature.InvalidClaim', 'The client was registered without a software statement naming its organisation, so its signatures cannot be attributed', 'x-jws-signature');
    }
    const getKey = partner.jwks ? createLocalJWKSet(partner.jwks as JSONWebKeySet) : partner.jwksUri ? remoteKeySet(partner.jwksUri) : undefined;
    if (!getKey) throw badRequest('UK.OBIE.Signature.InvalidClaim', 'The client has no registered signing keys', 'x-jws-signature');
    await verifyRequestSignature({
      header: ctx.get('x-jws-signature') || undefined,
      rawBody: ctx.state.obRequest!.raw,
      getKey,
      expectedIssuer: `${partner.orgId}/${partner.softwareId}`,
      trustAnchor: deps.messageSigning.trustAnchor,
    });
    await next();
  };
}

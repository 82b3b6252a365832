import type { Context, Middleware } from 'koa';
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';

import { CALLER_IDENTITY_HEADER, CallerIdentityRefused, verifyCallerIdentity } from '../../src/gateway/upstream/caller-identity.ts';
import { ObError } from '../../src/openbanking/ob-error.ts';
import type { Clock } from '../../src/shared/clock.ts';

export interface GatewayTrust {
  /** The gateway's public keys, or a jose key getter over them. */
  identityKeys: JSONWebKeySet | JWTVerifyGetKey;
  /** The gateway's issuer identifier. */
  issuer: string;
  /** The API's URL at the bank core, as the gateway's catalogue names it: the only audience it accepts. */
  audience: string;
  clock: Clock;
}

// What the gateway forwards of where the partner called: a host (with its port) and a base path.
const HOST = /^[A-Za-z0-9.-]+(?::\d{1,5})?$/;
const PREFIX = /^(?:\/[A-Za-z0-9._~-]+)*$/;

/** Where the partner sees this API, for absolute links: the gateway's forwarded address, else ours. */
function linkBase(ctx: Context, ownUrl: string): string {
  const host = ctx.get('x-forwarded-host');
  const prefix = ctx.get('x-forwarded-prefix');
  if (!HOST.test(host) || !PREFIX.test(prefix)) return ownUrl;
  return `${ctx.get('x-forwarded-proto') === 'http' ? 'http' : 'https'}://${host}${prefix}`;
}

/** The 401 an API of the bank core answers in its own error format: the header was `missing`, or did not verify. */
export type RefuseCaller = (fault: 'missing' | 'invalid', message: string, cause?: unknown) => Error;

/** The Open Banking resources' refusal: OBErrorResponse1, naming the header. */
export const refuseAsObError: RefuseCaller = (fault, Message, cause) =>
  new ObError(401, [{ ErrorCode: fault === 'missing' ? 'UK.OBIE.Header.Missing' : 'UK.OBIE.Header.Invalid', Message, Path: CALLER_IDENTITY_HEADER }], { cause });

/**
 * The bank core answers the gateway only: every request carries the caller identity the gateway
 * signed for this API of the bank core (`x-portcullis-identity`, its audience the API's URL as the
 * gateway's catalogue names it), checked against the gateway's keys, unexpired. Anything else is
 * 401 (`refuse` says it in the API's format) before any route runs: the bank core holds customers'
 * data, and its loopback port is no boundary of its own.
 */
export function authenticateGateway(trust: GatewayTrust, refuse: RefuseCaller): Middleware {
  const options = { jwks: trust.identityKeys, issuer: trust.issuer, audience: trust.audience, clock: trust.clock };
  return async function authenticateGateway(ctx, next) {
    const header = ctx.get(CALLER_IDENTITY_HEADER);
    if (!header) throw refuse('missing', `The bank core answers the gateway only: ${CALLER_IDENTITY_HEADER} is missing`);
    try {
      ctx.state.bankCore = { identity: await verifyCallerIdentity(header, options), linkBase: linkBase(ctx, trust.audience) };
    } catch (error) {
      if (error instanceof CallerIdentityRefused) throw refuse('invalid', `The bank core answers the gateway only: ${CALLER_IDENTITY_HEADER} does not verify`, error);
      throw error;
    }
    await next();
  };
}

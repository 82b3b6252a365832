import { createHash, timingSafeEqual } from 'node:crypto';

import type { Middleware } from 'koa';

import { Problem } from '../../shared/problem.ts';
import { operatorTokenCaller, type OperatorTokensDependencies } from '../operators/operator-tokens.service.ts';
import { ADMIN_TOKEN_CALLER } from './admin-caller.ts';

// RFC 6750 §2.1: `Bearer` and a b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Lets through only requests bearing the admin token or an operator's personal token (RFC 6750).
 * The admin token is compared as a SHA-256 digest in constant time, so neither its bytes nor its
 * length leak through timing; it makes the caller `admin-token`, with every right. A personal
 * token (`pco_…`, looked up by its hash) makes the caller its operator (`operator:<id>`) with their
 * role now. A missing or wrong token is a 401 with `WWW-Authenticate: Bearer` (§3).
 */
export function requireAdminToken(adminToken: string, tokens: OperatorTokensDependencies): Middleware {
  const expected = digest(adminToken);
  return async function requireAdminToken(ctx, next) {
    const presented = BEARER.exec(ctx.get('Authorization'))?.[1];
    if (presented === undefined) {
      throw new Problem(401, 'unauthenticated', 'Send the admin token or your personal token as Authorization: Bearer <token>', { headers: { 'WWW-Authenticate': 'Bearer realm="admin"' } });
    }
    if (timingSafeEqual(digest(presented), expected)) {
      ctx.state.adminCaller = ADMIN_TOKEN_CALLER;
      return next();
    }
    const operator = await operatorTokenCaller(tokens, presented);
    if (!operator) {
      throw new Problem(401, 'unauthenticated', 'The token is not valid (unknown, revoked or expired)', { headers: { 'WWW-Authenticate': 'Bearer realm="admin", error="invalid_token"' } });
    }
    ctx.state.adminCaller = { actor: `operator:${operator.operatorId}`, role: operator.role, operatorId: operator.operatorId, tokenExpiresAt: operator.tokenExpiresAt };
    await next();
  };
}

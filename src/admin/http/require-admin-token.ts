import { createHash, timingSafeEqual } from 'node:crypto';

import type { Middleware } from 'koa';

import { Problem } from '../../shared/problem.ts';
import { ADMIN_TOKEN_CALLER } from './admin-caller.ts';

// RFC 6750 §2.1: `Bearer` and a b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Lets through only requests bearing the admin token (RFC 6750). The presented and expected tokens
 * are compared as SHA-256 digests in constant time, so neither their bytes nor their lengths leak
 * through timing. A missing or wrong token is a 401 with `WWW-Authenticate: Bearer` (§3); the
 * right one makes the caller `admin-token`, with every right.
 */
export function requireAdminToken(adminToken: string): Middleware {
  const expected = digest(adminToken);
  return async function requireAdminToken(ctx, next) {
    const presented = BEARER.exec(ctx.get('Authorization'))?.[1];
    if (presented === undefined) {
      throw new Problem(401, 'unauthenticated', 'Send the admin token as Authorization: Bearer <token>', { headers: { 'WWW-Authenticate': 'Bearer realm="admin"' } });
    }
    if (!timingSafeEqual(digest(presented), expected)) {
      throw new Problem(401, 'unauthenticated', 'The admin token is not valid', { headers: { 'WWW-Authenticate': 'Bearer realm="admin", error="invalid_token"' } });
    }
    ctx.state.adminCaller = ADMIN_TOKEN_CALLER;
    await next();
  };
}

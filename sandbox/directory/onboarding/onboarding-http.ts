import type { Middleware } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { z } from 'zod';

import { Problem } from '../../../src/shared/problem.ts';
import { readRawBody } from '../../../src/shared/read-raw-body.ts';
import { parseBody } from './onboarding.schema.ts';
import type { OnboardingContext } from './onboarding-context.ts';
import { authenticateOrganisation } from './organisations.service.ts';
import './onboarding-state.ts';

/* The onboarding API's request steps: a JSON body checked against its schema, the organisation's bearer token, the sign-up limit. */

// The largest legitimate body is a software statement request with ten long redirect URIs.
const BODY_LIMIT_BYTES = 32 * 1024;

// RFC 6750 §2.1: `Bearer` and a b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** Reads an `application/json` body (else 415) of at most 32 KiB (413), parses it (400) and checks it against `schema` (400 `validation-failed`). */
export function readJsonBody(schema: z.ZodType): Middleware {
  return async function readJsonBody(ctx, next) {
    if (!ctx.is('application/json')) throw new Problem(415, 'unsupported-media-type', 'Send the body as application/json');
    const raw = await readRawBody(ctx.req, BODY_LIMIT_BYTES).catch((error: unknown) => {
      throw new Problem(413, 'payload-too-large', `The request body is larger than ${BODY_LIMIT_BYTES} bytes`, { cause: error });
    });
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (error) {
      throw new Problem(400, 'bad-request', 'The request body is not valid JSON', { cause: error });
    }
    ctx.state.sandboxBody = parseBody(schema, body);
    await next();
  };
}

/** Lets through requests bearing the token of the organisation in the path (`:orgId`); RFC 6750 §3 401s otherwise. */
export function requireOrganisationToken(context: OnboardingContext): Middleware {
  return async function requireOrganisationToken(ctx, next) {
    const token = BEARER.exec(ctx.get('Authorization'))?.[1];
    if (token === undefined) {
      throw new Problem(401, 'unauthenticated', 'Send the organisation\'s token, shown at sign-up, as Authorization: Bearer <token>', { headers: { 'WWW-Authenticate': 'Bearer realm="sandbox-directory"' } });
    }
    ctx.state.sandboxOrganisation = await authenticateOrganisation(context, ctx.params['orgId']!, token);
    await next();
  };
}

/**
 * Sign-ups per client address: `points` an hour. Signing up costs nothing but a row, yet it is
 * open to anyone; the limit keeps a script from filling the store. It runs after validation, so
 * a partner fixing a malformed request does not spend its sign-ups. Counted in this process's
 * memory: each instance of a scaled-out sandbox counts on its own, which is bound enough for a
 * sandbox and needs no Redis.
 */
export function limitSignUps(points: number): Middleware {
  const limiter = new RateLimiterMemory({ points, duration: 3600 });
  return async function limitSignUps(ctx, next) {
    try {
      await limiter.consume(ctx.ip);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      const seconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw new Problem(429, 'rate-limited', `At most ${points} sign-ups an hour from one address`, { headers: { 'Retry-After': String(seconds) } });
    }
    await next();
  };
}

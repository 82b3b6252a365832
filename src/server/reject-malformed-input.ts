import type { Context, Middleware } from 'koa';
import { errors } from 'oidc-provider';

import { defaults } from '../config/defaults.ts';
import type { Logger } from '../observability/logger.ts';
import { findMalformedInput, type RequestInput } from '../shared/find-malformed-input.ts';
import { keepReadBody, readBodyBytes } from '../shared/read-raw-body.ts';
import { decodeUtf8 } from '../shared/storable-text.ts';
import type { ErrorFamilyOf } from './error-family.ts';
import { malformedInputRefusal } from './malformed-input-refusal.ts';
import type { Refusal } from './refusal.ts';
import { sendRefusal } from './send-refusal.ts';

// The largest body any endpoint reads (consents and registrations, 64 KiB; oidc-provider 56 KiB,
// forms 16 KiB): each still applies its own limit to the text left for it.
const BODY_LIMIT_BYTES = 64 * 1024;

const TOO_LARGE: Refusal = {
  status: 413,
  description: `request body larger than ${BODY_LIMIT_BYTES} bytes`,
  obErrors: [{ ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: `The request body is larger than ${BODY_LIMIT_BYTES} bytes` }],
};

const BODY_KINDS = { 'application/x-www-form-urlencoded': 'form', 'application/json': 'json', 'application/jwt': 'jwt' } as const;
type BodyType = keyof typeof BODY_KINDS;

/** The body, read once here, when it is of a kind some endpoint parses; a refusal when it cannot be. */
async function readBody(ctx: Context): Promise<RequestInput['body'] | Refusal | undefined> {
  const type = ctx.is(Object.keys(BODY_KINDS)) as BodyType | false | null;
  if (!type) return undefined;
  let bytes: Buffer;
  try {
    bytes = await readBodyBytes(ctx.req, BODY_LIMIT_BYTES);
  } catch (error) {
    if (error instanceof errors.InvalidRequest) return TOO_LARGE;
    throw error;
  }
  // JSON and urlencoded text are UTF-8 (RFC 8259 §8.1, WHATWG URL), whatever charset is claimed.
  const text = decodeUtf8(bytes);
  if (text === undefined) return malformedInputRefusal({ in: 'body', name: '', reason: 'text' });
  keepReadBody(ctx.req, text);
  return { kind: BODY_KINDS[type], text };
}

/**
 * The listener's edge: refuses, in the endpoint's own error format (`familyOf`), a request with
 * input that PostgreSQL could not store or that nests JSON deeper than `defaults.maxJsonDepth`
 * (`findMalformedInput`), so that no endpoint has to guard each value, and none answers a 500
 * when one slips through. To look at the body it reads it, once, for every endpoint after it
 * (`keepReadBody`).
 */
export function rejectMalformedInput(familyOf: ErrorFamilyOf, logger: Logger): Middleware {
  return async function rejectMalformedInput(ctx, next) {
    const body = await readBody(ctx);
    if (body && 'status' in body) return sendRefusal(ctx, familyOf(ctx.path), body, logger);
    const problem = findMalformedInput({ path: ctx.path, query: ctx.querystring, headers: ctx.headers, ...(body ? { body } : {}) }, defaults.maxJsonDepth);
    if (problem) return sendRefusal(ctx, familyOf(ctx.path), malformedInputRefusal(problem), logger);
    await next();
  };
}

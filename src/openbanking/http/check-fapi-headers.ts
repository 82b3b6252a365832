import type { Middleware } from 'koa';

import { badRequest } from '../ob-error.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// The x-fapi-auth-date pattern of the Read/Write API v3.1.11 OpenAPI files: an RFC 7231 full date.
const AUTH_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (GMT|UTC)$/;

/**
 * The FAPI headers every Open Banking resource request may carry, checked as the Read/Write API
 * describes them: `x-fapi-interaction-id` "an RFC4122 UID used as a correlation id", and
 * `x-fapi-auth-date` matching the spec's pattern. A partner that sends something else learns it at
 * once (400 `UK.OBIE.Header.Invalid`), rather than having its correlation id replaced.
 */
export const checkFapiHeaders: Middleware = function checkFapiHeaders(ctx, next) {
  const interactionId = ctx.get('x-fapi-interaction-id');
  if (interactionId && !UUID.test(interactionId)) {
    throw badRequest('UK.OBIE.Header.Invalid', 'x-fapi-interaction-id must be an RFC 4122 UUID', 'x-fapi-interaction-id');
  }
  const authDate = ctx.get('x-fapi-auth-date');
  if (authDate && !AUTH_DATE.test(authDate)) {
    throw badRequest('UK.OBIE.Header.Invalid', 'x-fapi-auth-date must be an RFC 7231 full date such as Sun, 10 Sep 2017 19:43:31 UTC', 'x-fapi-auth-date');
  }
  return next();
};

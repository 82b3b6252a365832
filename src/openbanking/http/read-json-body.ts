import type { Middleware } from 'koa';

import { readRawBody } from '../../shared/read-raw-body.ts';
import { ObError } from '../ob-error.ts';

// Consent requests are a few KB; anything near this is not one.
const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Reads the JSON body, keeping the exact bytes (a message signature covers them, not a
 * re-serialisation). OB Read/Write: `Content-Type: application/json`, else 415.
 */
export const readJsonBody: Middleware = async function readJsonBody(ctx, next) {
  if (!ctx.is('application/json')) {
    throw new ObError(415, [{ ErrorCode: 'UK.OBIE.Header.Invalid', Message: 'Content-Type must be application/json', Path: 'Content-Type' }]);
  }
  let raw: string;
  try {
    raw = await readRawBody(ctx.req, BODY_LIMIT_BYTES);
  } catch (error) {
    throw new ObError(413, [{ ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: `The request body is larger than ${BODY_LIMIT_BYTES} bytes` }], { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new ObError(400, [{ ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: 'The request body is not valid JSON' }], { cause: error });
  }
  ctx.state.obRequest = { raw, parsed };
  await next();
};

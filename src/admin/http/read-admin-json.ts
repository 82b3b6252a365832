import type { Middleware } from 'koa';

import { Problem } from '../../shared/problem.ts';
import { readRawBody } from '../../shared/read-raw-body.ts';

// An API's OpenAPI document is the largest thing sent here; a few hundred KB is a large one.
const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Reads a JSON request body (`Content-Type: application/json`, else 415) of at most 1 MiB (413),
 * parsed (400 when it is not JSON), into `ctx.state.adminBody`. Its shape is the service's to check.
 */
export const readAdminJson: Middleware = async function readAdminJson(ctx, next) {
  if (!ctx.is('application/json')) throw new Problem(415, 'unsupported-media-type', 'Send the body as application/json');
  let raw: string;
  try {
    raw = await readRawBody(ctx.req, BODY_LIMIT_BYTES);
  } catch (error) {
    throw new Problem(413, 'payload-too-large', `The request body is larger than ${BODY_LIMIT_BYTES} bytes`, { cause: error });
  }
  try {
    ctx.state.adminBody = JSON.parse(raw);
  } catch (error) {
    throw new Problem(400, 'bad-request', 'The request body is not valid JSON', { cause: error });
  }
  await next();
};

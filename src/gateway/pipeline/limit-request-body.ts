import { Transform } from 'node:stream';

import type { Middleware } from 'koa';

import { Problem } from '../../shared/problem.ts';
import type { GatewayDeps } from './gateway-deps.ts';

/** A request body past the limit: the upstream gets a broken stream and the caller a 413. */
export class RequestBodyTooLarge extends Problem {
  constructor(limit: number) {
    super(413, 'payload-too-large', `The request body is larger than ${limit} bytes`);
  }
}

/**
 * Step 5 (protect), the body's share: a declared `Content-Length` over the limit is refused before
 * anything is read; a chunked body is counted as it streams through and cut at the limit.
 */
export function limitRequestBody(deps: Pick<GatewayDeps, 'maxBodyBytes'>): Middleware {
  return function limitRequestBody(ctx, next) {
    const declared = ctx.request.length;
    if (declared !== undefined && declared > deps.maxBodyBytes) throw new RequestBodyTooLarge(deps.maxBodyBytes);
    return next();
  };
}

/** Counts the bytes of a streamed body into `onBytes`, failing past `limit`. */
export function countingBody(limit: number, onBytes: (bytes: number) => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      onBytes(seen);
      if (seen > limit) return done(new RequestBodyTooLarge(limit));
      done(null, chunk);
    },
  });
}

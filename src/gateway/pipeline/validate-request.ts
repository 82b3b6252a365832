import type { Middleware } from 'koa';

import { Problem } from '../../shared/problem.ts';
import { keptBody } from '../../shared/read-raw-body.ts';
import type { GatewayDeps } from './gateway-deps.ts';
import { RequestBodyTooLarge } from './limit-request-body.ts';
import { requestValidatorFor } from './openapi-request-validator.ts';

async function readBody(stream: AsyncIterable<Buffer>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > limit) throw new RequestBodyTooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Step 5 (protect), for routes with `validateRequest`: the request against the API's OpenAPI
 * document. The body is read whole (bounded by the body limit), checked, and then forwarded as
 * read; a request that does not conform is 400 `validation-failed` listing each problem, and never
 * reaches the upstream.
 */
export function validateRequest(deps: Pick<GatewayDeps, 'maxBodyBytes' | 'logger'>): Middleware {
  return async function validateRequest(ctx, next) {
    const call = ctx.state.gateway!;
    const route = call.route!;
    if (!route.policy.validateRequest) return next();
    const validator = requestValidatorFor(call.api!, route);
    const hasBody = ctx.method !== 'GET' && ctx.method !== 'HEAD' && ((ctx.request.length ?? 0) > 0 || ctx.get('Transfer-Encoding') !== '');
    const kept = keptBody(ctx.req);
    const raw = kept !== undefined ? Buffer.from(kept) : hasBody ? await readBody(ctx.req, deps.maxBodyBytes) : undefined;
    let body: unknown;
    if (raw) {
      if (!ctx.is('json')) throw new Problem(415, 'unsupported-media-type', 'This route takes application/json');
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new Problem(400, 'validation-failed', 'The body is not JSON', { extensions: { errors: [{ path: 'body', message: 'is not JSON' }] } });
      }
    }
    let problems;
    try {
      problems = validator.check({ query: ctx.query, body, hasBody: raw !== undefined && raw.length > 0 });
    } catch (error) {
      deps.logger.error({ err: error, api: call.api!.id, route: route.id }, 'gateway.openapi_unusable');
      throw new Problem(500, 'internal-error', undefined, { cause: error });
    }
    if (problems.length) throw new Problem(400, 'validation-failed', `The request does not match the API description (${problems.length} problem${problems.length > 1 ? 's' : ''})`, { extensions: { errors: problems } });
    call.bufferedBody = raw;
    call.requestBytes = raw?.length ?? 0;
    await next();
  };
}

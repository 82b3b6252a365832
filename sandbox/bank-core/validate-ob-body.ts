import type { Middleware } from 'koa';

import { obBodyValidator, type ObSpec } from '../../src/openbanking/ob-body-validator.ts';

/** After `readJsonBody`: the body checked against `#/components/schemas/<schema>` of the spec (400 listing each fault), compiled once. */
export function validateObBody(spec: ObSpec, schema: string): Middleware {
  const validate = obBodyValidator<unknown>(spec, schema);
  return async function validateObBody(ctx, next) {
    ctx.state.obRequest!.parsed = validate(ctx.state.obRequest!.parsed);
    await next();
  };
}

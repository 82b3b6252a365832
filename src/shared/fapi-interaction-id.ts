import { randomUUID } from 'node:crypto';

import type { Middleware } from 'koa';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * FAPI 1.0 Baseline §6.2.1 items 11-12: echo the partner's `x-fapi-interaction-id`, or make one
 * (an RFC 4122 UUID) when it sent none or something that is not one; logs carry it too.
 */
export const fapiInteractionId: Middleware = async function fapiInteractionId(ctx, next) {
  const received = ctx.get('x-fapi-interaction-id');
  const id = UUID.test(received) ? received : randomUUID();
  ctx.state.fapiInteractionId = id;
  ctx.set('x-fapi-interaction-id', id);
  await next();
};

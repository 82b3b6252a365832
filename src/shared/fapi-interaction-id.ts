import { randomUUID } from 'node:crypto';

import type { Context, Middleware } from 'koa';

// What can be sent back as it came: visible ASCII, short enough not to be a response-size lever.
const ECHOABLE = /^[\x21-\x7e]{1,128}$/;

/**
 * FAPI 1.0 Baseline §6.2.1 items 11-12: answer with the `x-fapi-interaction-id` the partner sent,
 * or a new RFC 4122 UUID when it sent none; logs carry it too. The partner's correlation id is
 * echoed even when it is not a UUID (the Open Banking resource APIs refuse such a request, and
 * still echo it so that the partner can find its refusal); only a value that cannot be echoed
 * (over 128 characters, or with blanks) is replaced by a fresh UUID.
 */
export function takeInteractionId(ctx: Context): void {
  const received = ctx.get('x-fapi-interaction-id');
  const id = ECHOABLE.test(received) ? received : randomUUID();
  ctx.state.fapiInteractionId = id;
  ctx.set('x-fapi-interaction-id', id);
}

/** `takeInteractionId` as a Koa middleware, for an app without the listener's edge. */
export const fapiInteractionId: Middleware = async function fapiInteractionId(ctx, next) {
  takeInteractionId(ctx);
  await next();
};

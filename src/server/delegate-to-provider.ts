import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';

/**
 * Hands the request to oidc-provider's own Koa app. Headers already set on the response (security
 * headers, `x-fapi-interaction-id`) stay; the provider writes the rest.
 */
export function delegateToProvider(provider: Provider): Middleware {
  const handle = provider.callback();
  return async function delegateToProvider(ctx) {
    ctx.respond = false;
    await handle(ctx.req, ctx.res);
  };
}

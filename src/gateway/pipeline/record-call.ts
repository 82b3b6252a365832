import type { Middleware } from 'koa';

import type { GatewayCall } from './gateway-state.ts';
import type { GatewayDeps } from './gateway-deps.ts';


/**
 * Steps 9 and 10 hang off this first step: it opens the call's state and, once the response is
 * finished (or the caller went away), hands what happened to the records (analytics, metrics,
 * audit, the access log) exactly once.
 */
export function recordCall(deps: Pick<GatewayDeps, 'record' | 'clock'>): Middleware {
  return async function recordCall(ctx, next) {
    const call: GatewayCall = { startedAt: process.hrtime.bigint(), params: {}, upstreamPath: ctx.path, requestBytes: ctx.request.length ?? 0, responseBytes: 0 };
    ctx.state.gateway = call;
    const at = deps.clock.now();
    ctx.res.once('close', () => {
      const totalMs = Number((process.hrtime.bigint() - call.startedAt) / 1000n) / 1000;
      deps.record({
        at, call, api: call.api, routeId: call.route?.id ?? null, routeTemplate: call.route?.pathTemplate ?? null, method: ctx.method, caller: call.caller, plan: call.plan,
        // A caller that went away before the response was finished is recorded as 499, as nginx does.
        status: ctx.res.writableFinished ? ctx.status : 499,
        totalMs, upstreamMs: call.upstreamMs ?? null, requestBytes: call.requestBytes, responseBytes: call.responseBytes || (ctx.response.length ?? 0),
        interactionId: ctx.state.fapiInteractionId,
      });
    });
    await next();
  };
}


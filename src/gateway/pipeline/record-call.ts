import type { Context, Middleware } from 'koa';

import type { GatewayCall } from './gateway-state.ts';
import type { GatewayDeps } from './gateway-deps.ts';

/**
 * Opens a call's state on `ctx`; the function it returns hands what happened to the records
 * (analytics, metrics, audit, the access log), given the call's final status. A direct call
 * records when its response is finished; a composite route's part, when its answer is read.
 */
export function openCallRecord(ctx: Context, deps: Pick<GatewayDeps, 'record' | 'clock'>): (status: number) => void {
  const call: GatewayCall = { startedAt: process.hrtime.bigint(), params: {}, upstreamPath: ctx.path, requestBytes: ctx.request.length ?? 0, responseBytes: 0 };
  ctx.state.gateway = call;
  const at = deps.clock.now();
  return function recordCallFacts(status) {
    const totalMs = Number((process.hrtime.bigint() - call.startedAt) / 1000n) / 1000;
    deps.record({
      at, call, api: call.api, routeId: call.route?.id ?? null, routeTemplate: call.route?.pathTemplate ?? null, method: ctx.method, caller: call.caller, plan: call.plan,
      status, totalMs, upstreamMs: call.upstreamMs ?? null, requestBytes: call.requestBytes, responseBytes: call.responseBytes || (ctx.response.length ?? 0),
      interactionId: ctx.state.fapiInteractionId,
    });
  };
}

/**
 * Steps 9 and 10 hang off this first step: it opens the call's state and, once the response is
 * finished (or the caller went away), hands what happened to the records exactly once.
 */
export function recordCall(deps: Pick<GatewayDeps, 'record' | 'clock'>): Middleware {
  return function recordCall(ctx, next) {
    const record = openCallRecord(ctx, deps);
    // A caller that went away before the response was finished is recorded as 499, as nginx does.
    ctx.res.once('close', () => record(ctx.res.writableFinished ? ctx.status : 499));
    return next();
  };
}

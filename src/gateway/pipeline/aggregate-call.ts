import type { Context, Middleware } from 'koa';

import { Problem } from '../../shared/problem.ts';
import { setHeaders } from '../../shared/set-headers.ts';
import { fillPathTemplate } from '../routing/path-template.ts';
import { callPart, type PartAnswer } from './call-part.ts';
import type { GatewayDeps } from './gateway-deps.ts';
import { mergeParts } from './merge-parts.ts';
import { soonestLifecycleHeaders } from './part-lifecycle-headers.ts';

// Set again for the answer that carries the part's body.
const FRAMING = new Set(['content-length', 'transfer-encoding']);

/** A part's refusal, as the part answered it. */
function passOn(ctx: Context, refusal: PartAnswer): void {
  ctx.status = refusal.status;
  for (const [name, value] of Object.entries(refusal.headers)) if (!FRAMING.has(name)) ctx.set(name, value);
  ctx.body = refusal.body;
}

/**
 * Step 7: a composite route (`policy.aggregate`) calls its parts in parallel, each as the caller
 * would call it directly: `partSteps` are a direct call's (the part route's authentication with the
 * caller's own credentials, its scopes and claim rules, plan and limits, audit and upstream), so a
 * composite route opens no API to a caller who could not call it. Their JSON is merged under their
 * names (`mergeParts`); a failed part fails the call (its 401, 403 or 429 passed on as it came,
 * anything else 502 `part-failed` naming it and nothing of why) or is left out and listed in
 * `_errors`, as the route says. The answer carries its deprecated parts' Deprecation and Sunset.
 * Any other route goes on to be forwarded.
 */
export function aggregateCall(deps: Pick<GatewayDeps, 'record' | 'clock' | 'logger'>, partSteps: Middleware): Middleware {
  return async function aggregateCall(ctx, next) {
    const call = ctx.state.gateway!;
    const aggregate = call.route!.policy.aggregate;
    if (!aggregate) return next();
    const answers = await Promise.all(aggregate.parts.map((part) => callPart(ctx, { name: part.name, path: fillPathTemplate(part.path, call.params) }, partSteps, deps)));
    // The parts wait on their upstreams side by side: the call waited as long as the slowest.
    const upstreamMs = answers.flatMap((answer) => answer.upstreamMs ?? []);
    if (upstreamMs.length) call.upstreamMs = Math.max(...upstreamMs);
    const lifecycle = soonestLifecycleHeaders([ctx.response.headers, ...answers.map((answer) => answer.headers)]);
    const merged = mergeParts(answers, aggregate.onPartFailure);
    if ('failed' in merged) throw new Problem(502, 'part-failed', `The part "${merged.failed}" of this route failed`, { expose: true, headers: lifecycle, extensions: { part: merged.failed } });
    if ('refused' in merged) passOn(ctx, merged.refused);
    else ctx.body = merged.merged;
    setHeaders(ctx, lifecycle);
  };
}

/**
 * In a part's steps, where a direct call would aggregate: a part that is itself a composite route
 * is not called, so that no route can call itself, however indirectly.
 */
export const refuseNestedAggregate: Middleware = function refuseNestedAggregate(ctx, next) {
  const route = ctx.state.gateway!.route!;
  if (route.policy.aggregate) throw new Problem(500, 'internal-error', undefined, { cause: new Error(`the part ${ctx.path} is itself a composite route`) });
  return next();
};

import type { Middleware } from 'koa';
import compose from 'koa-compose';

import { renderProblems } from '../../shared/problem-response.ts';
import { aggregateCall, refuseNestedAggregate } from './aggregate-call.ts';
import { requireCallAudit } from './audit-call.ts';
import { authenticateCaller } from './authenticate-caller.ts';
import { authoriseCall } from './authorise-call.ts';
import { answerCorsPreflight } from './cors.ts';
import { forwardCall } from './forward-call.ts';
import type { GatewayDeps } from './gateway-deps.ts';
import { limitCall } from './limit-call.ts';
import { limitRequestBody } from './limit-request-body.ts';
import { recordCall } from './record-call.ts';
import { routeCall } from './route-call.ts';
import { validateRequest } from './validate-request.ts';

/**
 * The gateway's pipeline for the public API listener (issue 11, "one named step each, in this
 * order"): record (around everything), errors as problem details, CORS preflights, then route →
 * authenticate → authorise → limit → protect (body limit, OpenAPI validation) → audit (when
 * required) → aggregate (a composite route) or forward; the record step writes the audit entry of
 * an audited route. Every path of the listener is the gateway's: what no API routes is its 404.
 * A composite route's parts go through the same steps as a direct call, each recorded on its own.
 * A step with nothing left to do once the later ones are done returns `next()` rather than being
 * an async function that awaits it: on every call, one promise and one suspended frame fewer.
 */
export function publicGatewayPipeline(deps: GatewayDeps, problemTypeBase: string): Middleware {
  const renderErrors = renderProblems(deps.logger, problemTypeBase, 'gateway.error');
  const callSteps = [
    routeCall(deps),
    authenticateCaller(deps),
    authoriseCall,
    limitCall(deps),
    limitRequestBody(deps),
    validateRequest(deps),
    requireCallAudit(deps),
  ];
  const partSteps = compose([renderErrors, ...callSteps, refuseNestedAggregate, forwardCall(deps)]);
  return compose([
    recordCall(deps),
    renderErrors,
    answerCorsPreflight(deps),
    ...callSteps,
    aggregateCall(deps, partSteps),
    forwardCall(deps),
  ]);
}

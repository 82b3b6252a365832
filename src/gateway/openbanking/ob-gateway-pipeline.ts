import type { Context, Middleware } from 'koa';
import compose from 'koa-compose';

import type { TokenAccess } from '../../openbanking/access/verify-access-token.ts';
import { requireCallAudit } from '../pipeline/audit-call.ts';
import type { GatewayDeps } from '../pipeline/gateway-deps.ts';
import { forwardCall } from '../pipeline/forward-call.ts';
import { limitCall } from '../pipeline/limit-call.ts';
import { limitRequestBody } from '../pipeline/limit-request-body.ts';
import { recordCall } from '../pipeline/record-call.ts';
import { routeCall } from '../pipeline/route-call.ts';
import { authenticateFapiCall } from './authenticate-fapi-call.ts';
import { authoriseConsent } from './authorise-consent.ts';
import type { ConsentLookup } from './consent-lookup.ts';
import { filterObCall } from './filter-ob-call.ts';
import { problemAsObError } from './problem-as-ob-error.ts';

export interface ObGatewayDeps {
  gateway: GatewayDeps;
  access: TokenAccess;
  audience: string;
  clientCertificate: (ctx: Context) => string | undefined;
  consents: ConsentLookup;
}

/**
 * The gateway's pipeline for the Open Banking resource APIs (`fapi` APIs of the catalogue) on the
 * mutual-TLS listener, inside the `/open-banking/` route table (which has already checked the
 * FAPI headers and `Accept`, and renders every error as OBErrorResponse1): route → authenticate
 * (sender-constrained token) → authorise (consent) → limit → protect → audit (when required) →
 * filter ← forward; every call of an Open Banking API is audited.
 */
export function obGatewayPipeline(deps: ObGatewayDeps): Middleware {
  return compose([
    recordCall(deps.gateway),
    problemAsObError,
    routeCall(deps.gateway),
    authenticateFapiCall(deps),
    authoriseConsent({ consents: deps.consents, clock: deps.gateway.clock }),
    limitCall(deps.gateway),
    limitRequestBody(deps.gateway),
    requireCallAudit(deps.gateway),
    filterObCall,
    forwardCall(deps.gateway),
  ]);
}

import type { Middleware } from 'koa';

import { Problem } from '../../shared/problem.ts';

/**
 * Step 3: may this caller make this call? Every scope the route names must be in the token
 * (RFC 6750 §3.1 `insufficient_scope`, naming them), and every claim rule must hold: the token's
 * claim equals the path parameter, so that a caller reaches only its own records.
 */
export const authoriseCall: Middleware = function authoriseCall(ctx, next) {
  const call = ctx.state.gateway!;
  const { policy } = call.route!;
  const caller = call.caller!;
  const missing = (policy.scopes ?? []).filter((scope) => !caller.scopes.has(scope));
  if (missing.length) {
    const detail = `This route needs the scope${missing.length > 1 ? 's' : ''} ${missing.join(' ')}`;
    throw new Problem(403, 'forbidden', detail, { headers: { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${(policy.scopes ?? []).join(' ')}"` } });
  }
  for (const rule of policy.claims ?? []) {
    const claim = caller.claims?.[rule.claim];
    // Only a string or a number is compared: an array or object has a text form (`['c1']` is "c1") but is no such value.
    if ((typeof claim !== 'string' && typeof claim !== 'number') || String(claim) !== call.params[rule.equalsParam]) {
      throw new Problem(403, 'forbidden', `The token's ${rule.claim} does not match the {${rule.equalsParam}} of this path`);
    }
  }
  return next();
};

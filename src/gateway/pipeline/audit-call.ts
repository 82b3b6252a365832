import type { Middleware } from 'koa';

import type { AuditEntry } from '../../audit/audit-entry.ts';
import { AuditUnavailable } from '../../audit/audit-unavailable.ts';
import { Problem } from '../../shared/problem.ts';
import type { AuditMode, GatewayApi, GatewayRoute } from '../catalogue/catalogue.types.ts';
import type { GatewayDeps } from './gateway-deps.ts';
import type { GatewayCall } from './gateway-state.ts';

// Seconds a client is asked to wait when the audit log cannot take a required entry.
const AUDIT_RETRY_AFTER_SECONDS = 5;

/** Whether a route's calls are audited: its own policy, else its API's, else on for Open Banking (`fapi`) and off otherwise. */
export function auditModeOf(api: GatewayApi, route: GatewayRoute | undefined): AuditMode {
  return route?.policy.audit ?? api.settings.audit ?? (api.authKind === 'fapi' ? 'on' : 'off');
}

/** The audit entry of a call, as far as it went. */
export function callAuditEntry(call: GatewayCall, method: string, extra: { status?: number; phase: 'admitted' | 'answered'; interactionId: string | undefined }): AuditEntry {
  const api = call.api!;
  const caller = call.caller;
  return {
    kind: 'call', action: `${method} ${api.basePath}${call.route?.pathTemplate ?? ''}`, actor: caller?.clientId ?? caller?.applicationId ?? 'anonymous',
    apiId: api.id, ...(call.route ? { route: call.route.pathTemplate } : {}),
    ...(caller?.applicationId ? { applicationId: caller.applicationId } : {}), ...(caller?.clientId ? { clientId: caller.clientId } : {}),
    ...(caller?.subject && caller.consentId ? { customerId: caller.subject } : {}), ...(caller?.consentId ? { consentId: caller.consentId } : {}),
    ...(extra.status === undefined ? {} : { status: extra.status }),
    payload: {
      phase: extra.phase, interactionId: extra.interactionId, params: call.params, ...(caller?.accountIds ? { accountIds: caller.accountIds } : {}),
      ...(call.captured ? { bodies: call.captured } : {}),
    },
  };
}

/**
 * Step 10, for routes whose audit is `required`: before anything is forwarded, the call's entry is
 * committed to the audit log, or the call fails closed (503 with `Retry-After`): a call that would
 * leave no trace is not made. (Every audited call also gets an entry with its outcome when it is
 * answered, queued by the record step.)
 */
export function requireCallAudit(deps: Pick<GatewayDeps, 'audit'>): Middleware {
  return async function requireCallAudit(ctx, next) {
    const call = ctx.state.gateway!;
    if (auditModeOf(call.api!, call.route) === 'required') {
      try {
        await deps.audit.recordRequired(callAuditEntry(call, ctx.method, { phase: 'admitted', interactionId: ctx.state.fapiInteractionId }));
      } catch (error) {
        if (!(error instanceof AuditUnavailable)) throw error;
        throw new Problem(503, 'unavailable', 'The call cannot be recorded just now, so it is not made', { cause: error, headers: { 'Retry-After': String(AUDIT_RETRY_AFTER_SECONDS) } });
      }
    }
    await next();
  };
}

import type { Analytics } from '../analytics/analytics.service.ts';
import type { GatewayMetrics } from '../analytics/gateway-metrics.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Logger } from '../observability/logger.ts';
import { auditModeOf, callAuditEntry } from './pipeline/audit-call.ts';
import type { CallFacts } from './pipeline/gateway-deps.ts';

/**
 * Steps 9 and 10: what happened to one call goes to the analytics rollups (and through them the
 * metrics), to the access log, and, for an audited route, to the audit log with its outcome. Calls no API took (an unknown path) are counted under no API.
 */
export function recordGatewayCall(analytics: Analytics, metrics: GatewayMetrics, audit: Pick<AuditLog, 'record'>, logger: Logger): (facts: CallFacts) => void {
  // The access log's fields are ours (ids, method, status, times), never a secret: redaction's
  // wildcard paths, checked against every field of every line, would cost twice the line itself.
  const accessLog = logger.child({}, { redact: [] });
  return function recordGatewayCall(facts) {
    const { api } = facts;
    const upstreamMs = facts.upstreamMs;
    analytics.record({
      at: facts.at, apiId: api?.id ?? '', apiName: api?.name ?? '', apiVersion: api?.version ?? '', routeId: facts.routeId, routeTemplate: facts.routeTemplate,
      method: facts.method, applicationId: facts.caller?.applicationId ?? null, planId: facts.plan?.id ?? null, clientId: facts.caller?.clientId ?? null,
      consentId: facts.caller?.consentId ?? null, status: facts.status, totalMs: facts.totalMs, upstreamMs,
      gatewayMs: Math.max(0, facts.totalMs - (upstreamMs ?? 0)), requestBytes: facts.requestBytes, responseBytes: facts.responseBytes,
    });
    if (api && auditModeOf(api, facts.call.route) !== 'off') audit.record(callAuditEntry(facts.call, facts.method, { status: facts.status, phase: 'answered', interactionId: facts.interactionId }));
    if (facts.status === 429) metrics.countRateLimitRejection({ apiName: api?.name ?? '', apiVersion: api?.version ?? '', planId: facts.plan?.id ?? null });
    accessLog.info({
      interactionId: facts.interactionId, method: facts.method, api: api ? `${api.name} ${api.version}` : undefined, route: facts.routeTemplate ?? undefined,
      status: facts.status, ms: Math.round(facts.totalMs * 100) / 100, upstreamMs: upstreamMs ?? undefined,
      application: facts.caller?.applicationId, client: facts.caller?.clientId,
    }, 'gateway.call');
  };
}

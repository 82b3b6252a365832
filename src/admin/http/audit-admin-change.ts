import type { Middleware } from 'koa';

import type { AuditLog } from '../../audit/audit-log.ts';

/*
 * Every change made through the admin API goes into the audit log as an `admin` entry: who (the
 * caller), what (the route, its parameters, the request body), the answer's status, and the
 * subject before and after, read by the route's own reader. A refused change is recorded too,
 * with its status and the subject as it stayed. Secrets never enter it: an issued key's `key` (and a
 * personal token's `token`) is dropped from what the answer holds.
 */

export interface AuditedRoute {
  method: string;
  path: string;
  /** Reads the subject the route changes, by the request's parameters; undefined when it has none (a collection's POST). */
  subject?: (params: Record<string, string>) => Promise<unknown>;
}

const SECRET_MEMBERS = new Set(['key', 'token']);

/** The answer's body without secrets: what a create's entry shows as `after`. */
function withoutSecrets(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([member]) => !SECRET_MEMBERS.has(member)));
}

async function readSubject(route: AuditedRoute, params: Record<string, string>): Promise<unknown> {
  // Gone, or never there: the entry says so as null rather than failing the change.
  return route.subject ? route.subject(params).catch(() => null) : undefined;
}

export function auditAdminChange(audit: AuditLog, route: AuditedRoute): Middleware {
  return async function auditAdminChange(ctx, next) {
    const params = { ...ctx.params } as Record<string, string>;
    const before = await readSubject(route, params);
    const record = async (status: number, after: unknown) => audit.record({
      kind: 'admin', action: `${route.method} ${route.path}`, actor: ctx.state.adminCaller?.actor ?? 'unknown', status,
      payload: { params, request: ctx.state.adminBody ?? null, before: before ?? null, after: after ?? null },
    });
    try {
      await next();
    } catch (error) {
      const status = Number((error as { status?: unknown }).status) || 500;
      await record(status, before);
      throw error;
    }
    await record(ctx.status, route.subject ? await readSubject(route, params) : withoutSecrets(ctx.body));
  };
}

import canonicalize from 'canonicalize';

import { apiKey } from './gateway-file.schema.ts';
import type { FieldChange, GatewayChange, RouteChange } from './plan-gateway-changes.ts';

/*
 * The diff as an operator reads it, one line per entity or field, like decK:
 *   + api clinics v2
 *   + route clinics v2 GET /clinics/{clinicId}
 *   ~ plan free: ratePerMinute 60 → 100
 *   ~ api clinics v1: lifecycle published → deprecated (sunset 2027-06-30T00:00:00.000Z, successor clinics v2)
 *   - route clinics v1 GET /x
 */

const SIGNS = { create: '+', update: '~', delete: '-' } as const;

function show(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  // Canonical JSON (RFC 8785): the same value reads the same whatever order PostgreSQL kept its keys in.
  return typeof value === 'string' ? value : canonicalize(value)!;
}

const fieldLine = (sign: string, subject: string, change: FieldChange) => `${sign} ${subject}: ${change.field} ${show(change.from)} → ${show(change.to)}`;

function routeLines(api: string, routes: readonly RouteChange[]): string[] {
  return routes.flatMap((route) => {
    const subject = `route ${api} ${route.method} ${route.pathTemplate}`;
    return route.action === 'update' ? route.fields.map((field) => fieldLine('~', subject, field)) : [`${SIGNS[route.action]} ${subject}`];
  });
}

/** One line per change; an empty list means there is nothing to change. */
export function formatGatewayChanges(changes: readonly GatewayChange[]): string[] {
  return changes.flatMap((change) => {
    if (change.entity === 'lifecycle') {
      const detail = change.path.includes('deprecated') ? ` (sunset ${change.sunsetAt?.toISOString() ?? '(none)'}${change.successor ? `, successor ${apiKey(change.successor)}` : ''})` : '';
      return [`~ api ${change.key}: lifecycle ${[change.from, ...change.path].join(' → ')}${detail}`];
    }
    const subject = `${change.entity} ${change.key}`;
    const own = change.action === 'update' ? change.fields.map((field) => fieldLine('~', subject, field)) : [`${SIGNS[change.action]} ${subject}`];
    return change.entity === 'api' ? [...own, ...routeLines(change.key, change.routes)] : own;
  });
}

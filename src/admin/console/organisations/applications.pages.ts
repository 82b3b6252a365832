import type { Context, Middleware } from 'koa';

import { findApiKey } from '../../../gateway/consumers/consumer.store.ts';
import { getApplication } from '../../../gateway/consumers/consumer-listing.service.ts';
import { ConsumerNotFound, revokeApplicationKey, setApplicationState } from '../../../gateway/consumers/consumers.service.ts';
import { callsChart, errorsChart, latencyChart } from '../../../portal/usage/usage-charts.ts';
import { USAGE_PERIODS } from '../../../portal/usage/app-usage.service.ts';
import { pageNotice } from '../../../shared/page-notice.ts';
import { auditAdminChange } from '../../http/audit-admin-change.ts';
import { mayDo } from '../../operators/operator-role.ts';
import { asAdminCaller } from '../as-admin-caller.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { consoleFormToken } from '../console-form-csrf.ts';
import { APPLICATION_PAGE_QUERY, readConsoleQuery } from './organisations.schema.ts';
import { viewApplication } from './organisations.service.ts';
import { ORGANISATIONS_VIEW_HELPERS } from './organisations-view.ts';
import { renderConsolePage } from '../render-console-page.ts';

/*
 * An application as operators see it: status, organisation, subscriptions, keys, its Open Banking
 * client, and its usage with the portal's own charts. Suspending it (the gateway refuses its keys
 * within a second, on every instance, through the bus), making it active again and revoking a key
 * are the admin API's own changes (`POST /admin/v1/applications/{id}/suspend|reactivate`,
 * `POST /admin/v1/keys/{id}/revoke`): the same services, audited under those routes with the
 * operator as the caller.
 */

const NOTICES: Readonly<Record<string, string>> = {
  suspended: 'The application is suspended: the gateway refuses calls with its keys.',
  reactivated: 'The application is active again: its live keys may call the APIs its plans allow.',
  revoked: 'The key has been revoked: the gateway refuses it.',
};

/** `GET /console/applications/{applicationId}[?period=7d|30d]` */
export function showApplication(deps: ConsoleDependencies): Middleware {
  return async function showApplication(ctx) {
    const period = readConsoleQuery(ctx, APPLICATION_PAGE_QUERY).period ?? '7d';
    try {
      const view = await viewApplication(deps, ctx.params['applicationId']!, period);
      const days = view.usage.days;
      await renderConsolePage(ctx, deps.csrfSecret, 'application', {
        section: 'organisations', ...ORGANISATIONS_VIEW_HELPERS, ...view, period, periods: Object.keys(USAGE_PERIODS), now: deps.clock.now(),
        charts: { calls: callsChart(days), errors: errorsChart(days), latency: latencyChart(days) },
        mayOperate: mayDo(ctx.state.operator!.role, 'operate'), csrf: consoleFormToken(ctx, deps.csrfSecret), notice: pageNotice(ctx, NOTICES), justSuspended: ctx.query['suspended'] !== undefined,
      });
    } catch (error) {
      if (error instanceof ConsumerNotFound) ctx.throw(404, 'There is no such application.');
      throw error;
    }
  };
}

/** `POST /console/applications/{applicationId}/suspend|reactivate` (operate). */
export function submitApplicationStatus(deps: ConsoleDependencies, change: 'suspend' | 'reactivate'): Middleware[] {
  return [
    asAdminCaller,
    auditAdminChange(deps.audit, { method: 'POST', path: `/admin/v1/applications/{applicationId}/${change}`, subject: (params) => getApplication(deps.db, params['applicationId']!) }),
    async function submitApplicationStatus(ctx: Context) {
      const applicationId = ctx.params['applicationId']!;
      try {
        await setApplicationState(deps, applicationId, change === 'suspend' ? 'suspended' : 'active');
      } catch (error) {
        if (error instanceof ConsumerNotFound) ctx.throw(404, 'There is no such application.');
        throw error;
      }
      ctx.status = 303;
      ctx.redirect(`/console/applications/${encodeURIComponent(applicationId)}?${change === 'suspend' ? 'suspended' : 'reactivated'}`);
    },
  ];
}

/** `POST /console/keys/{keyId}/revoke` (operate). */
export function submitKeyRevocation(deps: ConsoleDependencies): Middleware[] {
  return [
    asAdminCaller,
    auditAdminChange(deps.audit, { method: 'POST', path: '/admin/v1/keys/{keyId}/revoke', subject: (params) => findApiKey(deps.db, params['keyId']!) }),
    async function submitKeyRevocation(ctx: Context) {
      const keyId = ctx.params['keyId']!;
      try {
        const revoked = await revokeApplicationKey(deps, keyId);
        ctx.status = 303;
        ctx.redirect(`/console/applications/${encodeURIComponent(revoked.application_id)}?revoked`);
      } catch (error) {
        if (!(error instanceof ConsumerNotFound)) throw error;
        if (await findApiKey(deps.db, keyId)) ctx.throw(409, 'That key has been revoked already.');
        ctx.throw(404, 'There is no such key.');
      }
    },
  ];
}

import type { Context, Middleware } from 'koa';

import { portalFormToken } from '../accounts/portal-form-csrf.ts';
import { readForm } from '../../shared/read-form.ts';
import type { PortalApi } from '../portal-catalog.service.ts';
import { renderPortalPage } from '../render-portal-page.ts';
import type { AppPagesDependencies } from './app-pages.deps.ts';
import { APPLICATION_FORM, KEY_OVERLAPS, SUBSCRIBE_FORM } from './app-forms.ts';
import { keyState, planLimits, planPrice } from './plan-terms.ts';
import { cancelAppSubscription, createAppFor, subscribeApp, viewApp } from './portal-apps.service.ts';
import { pageNotice } from '../../shared/page-notice.ts';
import { seeOther } from '../../shared/see-other.ts';

/* The application pages: create one, see its plans and keys, subscribe to a plan or cancel. */

const NOTICES: Readonly<Record<string, string>> = {
  created: 'Your application has been created. Subscribe it to a plan, then issue it a key.',
  subscribed: 'The application is subscribed: its keys can call the plan\'s APIs now.',
  requested: 'The subscription has been requested. The bank\'s operations team will approve or refuse it; this page shows which.',
  cancelled: 'The subscription has been cancelled.',
  revoked: 'The key has been revoked. Calls with it are refused from now on.',
};

export const appPath = (applicationId: string, notice?: string) => `/apps/${encodeURIComponent(applicationId)}${notice ? `?${notice}` : ''}`;

const newAppView = (ctx: Context, deps: AppPagesDependencies, organisationId: string, values: Record<string, string>, errors: Array<{ field: string; message: string }>) =>
  renderPortalPage(ctx, 'portal/apps/new', { section: 'account', csrf: portalFormToken(ctx, deps.csrfSecret), organisationId, values, errors, hasError: errors.length > 0 });

/** `GET /organisations/{id}/apps/new`: the form. */
export function showNewApp(deps: AppPagesDependencies): Middleware {
  return async function showNewApp(ctx) {
    await newAppView(ctx, deps, ctx.params['organisationId']!, {}, []);
  };
}

/** `POST /organisations/{id}/apps`: a new application of the organisation, then its page. */
export function submitNewApp(deps: AppPagesDependencies): Middleware {
  return async function submitNewApp(ctx) {
    const form = ctx.state.form!;
    const organisationId = ctx.params['organisationId']!;
    const read = readForm(APPLICATION_FORM, form);
    if (!read.ok) {
      ctx.status = 400;
      return newAppView(ctx, deps, organisationId, { name: form['name'] ?? '' }, read.errors);
    }
    const application = await createAppFor(deps, ctx.state.developer!, organisationId, read.value.name);
    seeOther(ctx, appPath(application.id, 'created'));
  };
}

/** The APIs of the application's active plans, each with an example call (the first GET it offers). */
async function callableApis(deps: AppPagesDependencies, apiIds: ReadonlySet<string>) {
  const apis = (await deps.catalog.apis()).filter((api) => apiIds.has(api.apiId));
  return apis.map((api: PortalApi) => {
    const get = api.operations.find((operation) => operation.method === 'GET' && !operation.path.includes('{'));
    return { api, exampleUrl: `${deps.gatewayBaseUrl}${api.basePath}${get?.path ?? '/'}` };
  });
}

/** Renders the application's page, with the key just issued when there is one (shown this once). */
export async function renderApp(ctx: Context, deps: AppPagesDependencies, extra: { issued?: { key: string; prefix: string; previousExpiresAt?: Date }; errors?: Array<{ field: string; message: string }> } = {}) {
  const view = await viewApp(deps, ctx.state.developer!, ctx.params['applicationId']!);
  const activeApiIds = new Set(view.subscriptions.filter((subscription) => subscription.status === 'active').flatMap((subscription) => subscription.plan?.apiIds ?? []));
  const notice = pageNotice(ctx, NOTICES);
  const now = deps.clock.now();
  await renderPortalPage(ctx, 'portal/apps/show', {
    section: 'account', csrf: portalFormToken(ctx, deps.csrfSecret), ...view, now,
    callable: await callableApis(deps, activeApiIds), apiNames: new Map((await deps.catalog.apis()).map((api) => [api.apiId, `${api.title} ${api.version}`])),
    notice, issued: extra.issued, errors: extra.errors ?? [], overlaps: KEY_OVERLAPS, planLimits, planPrice, keyState, hasError: Boolean(extra.errors?.length),
  });
}

/** `GET /apps/{id}`: the application's plans, keys and how to call its APIs. */
export function showApp(deps: AppPagesDependencies): Middleware {
  return async function showApp(ctx) {
    await renderApp(ctx, deps);
  };
}

/** `POST /apps/{id}/subscriptions`: subscribes (self-service plans) or asks to (any other). */
export function submitSubscription(deps: AppPagesDependencies): Middleware {
  return async function submitSubscription(ctx) {
    const applicationId = ctx.params['applicationId']!;
    const read = readForm(SUBSCRIBE_FORM, ctx.state.form!);
    if (!read.ok) {
      ctx.status = 400;
      return renderApp(ctx, deps, { errors: read.errors });
    }
    const subscription = await subscribeApp(deps, ctx.state.developer!, applicationId, read.value.planId);
    seeOther(ctx, appPath(applicationId, subscription.status === 'active' ? 'subscribed' : 'requested'));
  };
}

/** `POST /apps/{id}/subscriptions/{subscriptionId}/cancel` */
export function submitCancelSubscription(deps: AppPagesDependencies): Middleware {
  return async function submitCancelSubscription(ctx) {
    const applicationId = ctx.params['applicationId']!;
    await cancelAppSubscription(deps, ctx.state.developer!, applicationId, ctx.params['subscriptionId']!);
    seeOther(ctx, appPath(applicationId, 'cancelled'));
  };
}

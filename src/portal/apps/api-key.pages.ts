import type { Context, Middleware } from 'koa';

import { CSP_WITH_OWN_SCRIPT } from '../../shared/security-headers.ts';
import { PortalPageError } from '../portal-page-error.ts';
import { readForm } from '../../shared/read-form.ts';
import type { AppPagesDependencies } from './app-pages.deps.ts';
import { ROTATE_FORM } from './app-forms.ts';
import { appPath, renderApp } from './app.pages.ts';
import { issueAppKey, revokeAppKey, rotateAppKey } from './portal-apps.service.ts';

/*
 * An application's API keys: issued and rotated keys are shown once, on the page that answers the
 * form (never in an address, a cookie or a log), then only by prefix.
 */

/** A page with a new key: 201, and the copy button's script allowed. */
function showingKey(ctx: Context): void {
  ctx.status = 201;
  ctx.set('Content-Security-Policy', CSP_WITH_OWN_SCRIPT);
}

/** `POST /apps/{id}/keys`: a new key, shown once. */
export function submitIssueKey(deps: AppPagesDependencies): Middleware {
  return async function submitIssueKey(ctx) {
    const issued = await issueAppKey(deps, ctx.state.developer!, ctx.params['applicationId']!);
    showingKey(ctx);
    await renderApp(ctx, deps, { issued });
  };
}

/** `POST /apps/{id}/keys/{keyId}/rotate`: a new key, shown once; the old one works for the overlap chosen. */
export function submitRotateKey(deps: AppPagesDependencies): Middleware {
  return async function submitRotateKey(ctx) {
    const read = readForm(ROTATE_FORM, ctx.state.form!);
    // The page offers the overlaps as a choice with one checked: anything else was not typed by a person.
    if (!read.ok) throw new PortalPageError(400, read.errors[0]!.message);
    const issued = await rotateAppKey(deps, ctx.state.developer!, ctx.params['applicationId']!, ctx.params['keyId']!, read.value.overlap);
    showingKey(ctx);
    await renderApp(ctx, deps, { issued });
  };
}

/** `POST /apps/{id}/keys/{keyId}/revoke`: refused by every gateway within a second. */
export function submitRevokeKey(deps: AppPagesDependencies): Middleware {
  return async function submitRevokeKey(ctx) {
    const applicationId = ctx.params['applicationId']!;
    await revokeAppKey(deps, ctx.state.developer!, applicationId, ctx.params['keyId']!);
    ctx.status = 303;
    ctx.redirect(appPath(applicationId, 'revoked'));
  };
}

import type { Context, Middleware } from 'koa';

import { portalFormToken } from '../accounts/portal-form-csrf.ts';
import type { FieldError } from '../../shared/read-form.ts';
import { renderPortalPage } from '../render-portal-page.ts';
import type { OpenBankingPagesDependencies } from './open-banking-pages.deps.ts';
import { registerApplication } from './register-application.service.ts';
import { readSoftwareStatementForm } from './software-statement-form.ts';
import { bundleFor, createSoftwareStatementFor, viewOpenBanking } from './software-statements.service.ts';
import { pageNotice } from '../../shared/page-notice.ts';

/*
 * An application's Open Banking page (`/apps/{id}/open-banking`): a software statement from the
 * sandbox directory, its bundle, and registration by DCR from the portal, or the commands that do
 * the same from a terminal.
 */

const NOTICES: Readonly<Record<string, string>> = {
  created: 'The software statement has been created. Download the bundle, then register the application.',
  registered: 'The application is registered with the bank. Download the bundle again: it now holds the registration, ready for a consent.',
};

export const openBankingPath = (applicationId: string, notice?: string) => `/apps/${encodeURIComponent(applicationId)}/open-banking${notice ? `?${notice}` : ''}`;

async function renderOpenBanking(ctx: Context, deps: OpenBankingPagesDependencies, form: { values?: Record<string, string>; errors?: FieldError[] } = {}): Promise<void> {
  const view = await viewOpenBanking(deps, ctx.state.developer!, ctx.params['applicationId']!);
  const notice = pageNotice(ctx, NOTICES);
  const errors = form.errors ?? [];
  await renderPortalPage(ctx, 'portal/apps/open-banking', {
    section: 'account', csrf: portalFormToken(ctx, deps.csrfSecret), ...view, notice,
    values: form.values ?? { client_name: view.application.name, role_AISP: 'on' }, errors, hasError: errors.length > 0,
  });
}

/** `GET /apps/{id}/open-banking` */
export function showOpenBanking(deps: OpenBankingPagesDependencies): Middleware {
  return async function showOpenBanking(ctx) {
    await renderOpenBanking(ctx, deps);
  };
}

/** `POST /apps/{id}/open-banking/software-statement`: the statement, then the page again; mistakes beside their fields (400). */
export function submitSoftwareStatement(deps: OpenBankingPagesDependencies): Middleware {
  return async function submitSoftwareStatement(ctx) {
    const form = ctx.state.form!;
    const read = readSoftwareStatementForm(form);
    if (!read.ok) {
      ctx.status = 400;
      return renderOpenBanking(ctx, deps, { values: form, errors: read.errors });
    }
    await createSoftwareStatementFor(deps, ctx.state.developer!, ctx.params['applicationId']!, read.value);
    ctx.status = 303;
    ctx.redirect(openBankingPath(ctx.params['applicationId']!, 'created'));
  };
}

/** `GET /apps/{id}/open-banking/bundle`: the zip, with private keys in it (so never stored by a cache). */
export function downloadBundle(deps: OpenBankingPagesDependencies): Middleware {
  return async function downloadBundle(ctx) {
    const { fileName, zip } = await bundleFor(deps, ctx.state.developer!, ctx.params['applicationId']!);
    ctx.type = 'application/zip';
    ctx.attachment(fileName);
    ctx.body = Buffer.from(zip);
  };
}

/** `POST /apps/{id}/open-banking/registration`: registers by DCR, then the page with the client. */
export function submitRegistration(deps: OpenBankingPagesDependencies): Middleware {
  return async function submitRegistration(ctx) {
    await registerApplication(deps, ctx.state.developer!, ctx.params['applicationId']!);
    ctx.status = 303;
    ctx.redirect(openBankingPath(ctx.params['applicationId']!, 'registered'));
  };
}

import type { Context, Middleware } from 'koa';

import { CatalogueConflict, CatalogueInvalid, CatalogueNotFound } from '../../../gateway/catalogue/catalogue-errors.ts';
import { createApi, deleteApi, getApi, updateApi } from '../../../gateway/catalogue/catalogue.service.ts';
import { AUTH_KINDS, type GatewayApi } from '../../../gateway/catalogue/catalogue.types.ts';
import type { FieldError } from '../../../shared/read-form.ts';
import { seeOther } from '../../../shared/see-other.ts';
import { auditAdminChange } from '../../http/audit-admin-change.ts';
import { asAdminCaller } from '../as-admin-caller.ts';
import { API_FORM_FIELDS, apiFieldErrors, readApiForm } from './api-form.ts';
import { apiOfPath } from './apis.pages.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { consoleFormToken } from '../console-form-csrf.ts';
import { ConsoleFormRefused, redirectAfterAudit, renderRefusedForm } from '../console-form-refusal.ts';
import { renderConsolePage } from '../render-console-page.ts';

/*
 * Creating, editing and deleting an API from the console: the admin API's POST /admin/v1/apis,
 * PUT and DELETE /admin/v1/apis/{apiId}, through the same catalogue services, audited under those
 * routes with the operator as the caller and the body the admin API would have been sent.
 */

const AUTH_OPTIONS = AUTH_KINDS.map((kind) => ({ value: kind, label: { fapi: 'FAPI: Open Banking, sender-constrained tokens', oauth2: 'OAuth 2.0: a JWT bearer token', 'api-key': 'API key', none: 'None: anyone may call it' }[kind] }));

const valuesOf = (api: GatewayApi): Record<string, string> => ({
  name: api.name, version: api.version, basePath: api.basePath, authKind: api.authKind, openapi: '',
  upstreams: api.upstreams.map((upstream) => `${upstream.url} ${upstream.weight}`).join('\n'),
  routes: api.routes.map((route) => `${route.method} ${route.pathTemplate}`).join('\n'),
});

async function renderApiForm(ctx: Context, deps: ConsoleDependencies, api: GatewayApi | undefined, values: Record<string, string>, errors: readonly FieldError[]): Promise<void> {
  await renderConsolePage(ctx, deps.csrfSecret, 'apis-form', {
    section: 'apis', api, values, errors, hasError: errors.length > 0, authOptions: AUTH_OPTIONS, csrf: consoleFormToken(ctx, deps.csrfSecret),
  });
}

const typedValues = (ctx: Context) => Object.fromEntries(API_FORM_FIELDS.map((field) => [field, ctx.state.form?.[field] ?? '']));

/** `GET /console/apis/new` */
export function showNewApi(deps: ConsoleDependencies): Middleware {
  return async function showNewApi(ctx) {
    await renderApiForm(ctx, deps, undefined, { authKind: 'api-key' }, []);
  };
}

/** `GET /console/apis/{apiId}/edit` */
export function showEditApi(deps: ConsoleDependencies): Middleware {
  return async function showEditApi(ctx) {
    const api = await apiOfPath(ctx, deps);
    await renderApiForm(ctx, deps, api, valuesOf(api), []);
  };
}

/** Reads the form into the admin API's body (kept for the audit), hands it to `write`, and turns the service's refusals into the form's. */
async function writeApi(ctx: Context, current: GatewayApi | undefined, write: (body: Record<string, unknown>) => Promise<GatewayApi>): Promise<GatewayApi> {
  const read = readApiForm(ctx.state.form!, current);
  if (!read.ok) throw new ConsoleFormRefused(400, read.errors);
  ctx.state.adminBody = read.body;
  const routesFromDocument = !(ctx.state.form!['routes'] ?? '').trim();
  try {
    return await write(read.body);
  } catch (error) {
    if (error instanceof CatalogueInvalid) throw new ConsoleFormRefused(400, apiFieldErrors(error.issues, read.body, routesFromDocument));
    if (error instanceof CatalogueConflict) throw new ConsoleFormRefused(409, [{ field: /name and version/.test(error.message) ? 'version' : 'basePath', message: `It clashes with another API: ${error.message}` }]);
    throw error;
  }
}

/** `POST /console/apis` (operate): the admin API's `POST /admin/v1/apis`. */
export function submitNewApi(deps: ConsoleDependencies): Middleware[] {
  return [
    renderRefusedForm((ctx, errors) => renderApiForm(ctx, deps, undefined, typedValues(ctx), errors)),
    asAdminCaller, redirectAfterAudit,
    auditAdminChange(deps.audit, { method: 'POST', path: '/admin/v1/apis' }),
    async function submitNewApi(ctx: Context) {
      const api = await writeApi(ctx, undefined, (body) => createApi({ db: deps.db, events: deps.events, clock: deps.clock, actor: 'ops' }, body));
      seeOther(ctx, `/console/apis/${encodeURIComponent(api.id)}?created`);
      ctx.body = api;
    },
  ];
}

/** `POST /console/apis/{apiId}` (operate): the admin API's `PUT /admin/v1/apis/{apiId}`. */
export function submitEditApi(deps: ConsoleDependencies): Middleware[] {
  return [
    renderRefusedForm(async (ctx, errors) => renderApiForm(ctx, deps, await apiOfPath(ctx, deps), typedValues(ctx), errors)),
    asAdminCaller,
    auditAdminChange(deps.audit, { method: 'PUT', path: '/admin/v1/apis/{apiId}', subject: (params) => getApi(deps.db, params['apiId']!) }),
    async function submitEditApi(ctx: Context) {
      const current = await apiOfPath(ctx, deps);
      await writeApi(ctx, current, (body) => updateApi({ db: deps.db, events: deps.events, clock: deps.clock, actor: 'ops' }, current.id, body));
      seeOther(ctx, `/console/apis/${encodeURIComponent(current.id)}?saved`);
    },
  ];
}

/** `POST /console/apis/{apiId}/delete` (operate): the admin API's `DELETE /admin/v1/apis/{apiId}`; drafts and retired APIs only. */
export function submitDeleteApi(deps: ConsoleDependencies): Middleware[] {
  return [
    asAdminCaller,
    auditAdminChange(deps.audit, { method: 'DELETE', path: '/admin/v1/apis/{apiId}', subject: (params) => getApi(deps.db, params['apiId']!) }),
    async function submitDeleteApi(ctx: Context) {
      try {
        await deleteApi({ db: deps.db, events: deps.events, clock: deps.clock, actor: 'ops' }, ctx.params['apiId']!);
      } catch (error) {
        if (error instanceof CatalogueNotFound) ctx.throw(404, 'There is no such API.');
        if (error instanceof CatalogueConflict) ctx.throw(409, `Only a draft or a retired API can be deleted: ${error.message}.`);
        throw error;
      }
      seeOther(ctx, '/console/apis?deleted');
    },
  ];
}

import type { Context, Middleware } from 'koa';

import { changeApiLifecycle } from '../../../gateway/catalogue/api-lifecycle.service.ts';
import { CatalogueConflict, CatalogueInvalid, CatalogueNotFound } from '../../../gateway/catalogue/catalogue-errors.ts';
import { getApi, loadCatalogue } from '../../../gateway/catalogue/catalogue.service.ts';
import type { GatewayApi } from '../../../gateway/catalogue/catalogue.types.ts';
import type { FieldError } from '../../../shared/read-form.ts';
import { seeOther } from '../../../shared/see-other.ts';
import { auditAdminChange } from '../../http/audit-admin-change.ts';
import { asAdminCaller } from '../as-admin-caller.ts';
import { apiOfPath } from './apis.pages.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { consoleFormToken } from '../console-form-csrf.ts';
import { ConsoleFormRefused, renderRefusedForm } from '../console-form-refusal.ts';
import { renderConsolePage } from '../render-console-page.ts';

/*
 * An API's lifecycle moves from the console (publish, deprecate with a sunset date and a successor,
 * withdraw a deprecation, retire): the admin API's `POST /admin/v1/apis/{apiId}/lifecycle`, the
 * same service (`api-lifecycle.ts` has the legal moves), audited under that route. A deprecation
 * has a page of its own, which says what the callers will see.
 */

const MOVES = { published: 'published', deprecated: 'deprecated', retired: 'retired' } as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

async function renderDeprecation(ctx: Context, deps: ConsoleDependencies, api: GatewayApi, values: Record<string, string>, errors: readonly FieldError[]): Promise<void> {
  const { apis } = await loadCatalogue(deps.db);
  // Its own API's other versions first: the likeliest successors.
  const successors = apis.filter((other) => other.lifecycle === 'published' && other.id !== api.id)
    .sort((a, b) => Number(b.name === api.name) - Number(a.name === api.name) || a.name.localeCompare(b.name) || a.version.localeCompare(b.version, 'en', { numeric: true }));
  await renderConsolePage(ctx, deps.csrfSecret, 'apis-deprecate', {
    section: 'apis', api, successors, values, errors, hasError: errors.length > 0, csrf: consoleFormToken(ctx, deps.csrfSecret),
  });
}

/** `GET /console/apis/{apiId}/deprecate`: the sunset date and successor (a deprecated API's are shown to be moved). */
export function showDeprecation(deps: ConsoleDependencies): Middleware {
  return async function showDeprecation(ctx) {
    const api = await apiOfPath(ctx, deps);
    if (api.lifecycle !== 'published' && api.lifecycle !== 'deprecated') ctx.throw(409, `API ${api.name} ${api.version} is ${api.lifecycle}: only a published API can be deprecated.`);
    await renderDeprecation(ctx, deps, api, { sunsetDate: api.sunsetAt?.toISOString().slice(0, 10) ?? '', successorApiId: api.successorApiId ?? '' }, []);
  };
}

/** The admin API's body for the posted move: `{ to }`, and for a deprecation its sunset (the day's start, UTC) and successor. */
function readMove(form: Record<string, string>): Record<string, string> {
  const to = MOVES[form['to'] as keyof typeof MOVES];
  if (!to) throw new ConsoleFormRefused(400, [{ field: 'to', message: 'Choose publish, deprecate or retire' }]);
  if (to !== 'deprecated') return { to };
  const day = form['sunsetDate']?.trim() ?? '';
  if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new ConsoleFormRefused(400, [{ field: 'sunsetDate', message: day ? 'Enter the sunset date as a date, like 2027-06-30' : 'Enter the date the API stops answering (its sunset)' }]);
  const successorApiId = form['successorApiId']?.trim();
  return { to, sunsetAt: `${day}T00:00:00Z`, ...(successorApiId ? { successorApiId } : {}) };
}

function refusalOf(error: unknown): ConsoleFormRefused | undefined {
  if (error instanceof CatalogueInvalid) {
    return new ConsoleFormRefused(400, error.issues.map((issue) => (issue.path === 'sunsetAt'
      ? { field: 'sunsetDate', message: `The sunset date ${issue.message}` }
      : { field: 'successorApiId', message: `The successor ${issue.message}` })));
  }
  if (error instanceof CatalogueNotFound && error.message.includes('successorApiId')) return new ConsoleFormRefused(400, [{ field: 'successorApiId', message: 'Choose a published API as the successor' }]);
  if (error instanceof CatalogueConflict && error.message.startsWith('the successor')) return new ConsoleFormRefused(409, [{ field: 'successorApiId', message: `Choose a published API: ${error.message}` }]);
  return undefined;
}

/** `POST /console/apis/{apiId}/lifecycle` (operate): the admin API's `POST /admin/v1/apis/{apiId}/lifecycle`. */
export function submitLifecycle(deps: ConsoleDependencies): Middleware[] {
  return [
    renderRefusedForm(async (ctx, errors) => renderDeprecation(ctx, deps, await apiOfPath(ctx, deps), ctx.state.form!, errors)),
    asAdminCaller,
    auditAdminChange(deps.audit, { method: 'POST', path: '/admin/v1/apis/{apiId}/lifecycle', subject: (params) => getApi(deps.db, params['apiId']!) }),
    async function submitLifecycle(ctx: Context) {
      const move = readMove(ctx.state.form!);
      ctx.state.adminBody = move;
      try {
        await changeApiLifecycle({ db: deps.db, events: deps.events, clock: deps.clock, actor: 'ops' }, ctx.params['apiId']!, move);
      } catch (error) {
        const refusal = refusalOf(error);
        if (refusal) throw refusal;
        if (error instanceof CatalogueNotFound) ctx.throw(404, 'There is no such API.');
        if (error instanceof CatalogueConflict) ctx.throw(409, `That move is not allowed: ${error.message}. A published API is deprecated before it is retired, and a retired one stays retired.`);
        throw error;
      }
      seeOther(ctx, `/console/apis/${encodeURIComponent(ctx.params['apiId']!)}?${move['to']}`);
    },
  ];
}

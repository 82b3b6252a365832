import type { Context, Middleware } from 'koa';

import { getApi } from '../../gateway/catalogue/catalogue.service.ts';
import { DEFAULT_API_KEY_HEADER } from '../../gateway/pipeline/authenticate-caller.ts';
import type { Logger } from '../../observability/logger.ts';
import { portalFormToken } from '../accounts/portal-form-csrf.ts';
import type { FieldError } from '../../shared/read-form.ts';
import type { PortalDependencies } from '../portal.deps.ts';
import { PortalPageError } from '../portal-page-error.ts';
import { renderPortalPage } from '../render-portal-page.ts';
import { signInPathFor } from '../session/portal-session-cookie.ts';
import { baseUrlOf, visibleVersion } from '../show-api.ts';
import type { GatewayAnswer, GatewayCall, GatewayFailure } from './gateway-call.ts';
import { findOperationRoute, operationReference } from './operation-reference.ts';
import type { TryItThrottle } from './try-it-throttle.ts';
import { BODY_FIELD, CREDENTIAL_FIELD, readTryItForm } from './try-it-request.ts';

/*
 * An operation's reference page (`/apis/{apiId}/operations/{key}`), server-rendered from the API's
 * OpenAPI document, and its "try it" form, which the portal sends to the sandbox gateway with the
 * developer's own credential. Open Banking (`fapi`) APIs are not tried from here: their calls need
 * the partner's transport certificate, a registered client and a customer's consent, which the
 * Open Banking guide's commands and the Postman collection provide.
 */

/** What the try-it form needs beyond the reference: the form's secret, the gateway caller and the per-developer throttle. */
export interface TryItDependencies {
  csrfSecret: Buffer;
  callGateway: GatewayCall;
  admitTryIt: TryItThrottle;
}

type ReferenceDependencies = Pick<PortalDependencies, 'db' | 'catalog' | 'baseUrls'> & { tryIt: TryItDependencies | undefined };

interface TryItOutcome {
  values: Record<string, string>;
  errors: FieldError[];
  answer?: GatewayAnswer | GatewayFailure;
}

type LoadedOperation = Awaited<ReturnType<typeof loadOperation>>;

async function loadOperation(deps: ReferenceDependencies, ctx: Context) {
  const { product, version } = await visibleVersion(deps, ctx.params['apiId']!);
  const api = await getApi(deps.db, version.apiId);
  const route = findOperationRoute(api, ctx.params['operationKey']!);
  if (!route) throw new PortalPageError(404, 'This API has no such operation.');
  return { product, version, api, operation: operationReference(api, route) };
}

async function renderOperation(ctx: Context, deps: ReferenceDependencies, { product, version, operation }: LoadedOperation, outcome: TryItOutcome): Promise<void> {
  const tryIt = deps.tryIt && version.authKind !== 'fapi'
    ? { csrf: ctx.state.developer ? portalFormToken(ctx, deps.tryIt.csrfSecret) : undefined, signInPath: signInPathFor(ctx.path) }
    : undefined;
  await renderPortalPage(ctx, 'portal/operation', {
    section: 'apis', hasError: outcome.errors.length > 0, product, version, operation, baseUrl: baseUrlOf(deps, version), tryIt, credentialField: CREDENTIAL_FIELD, bodyField: BODY_FIELD, ...outcome,
  });
}

/** `GET /apis/{apiId}/operations/{key}`: the operation's parameters, request body and answers, and the try-it form for a signed-in developer. */
export function showOperation(deps: ReferenceDependencies): Middleware {
  return async function showOperation(ctx) {
    await renderOperation(ctx, deps, await loadOperation(deps, ctx), { values: {}, errors: [] });
  };
}

/**
 * `POST /apis/{apiId}/operations/{key}` (signed in, CSRF-checked): sends the call to the gateway and
 * shows its answer; with a mistake in the form, shows it beside its field and sends nothing (400).
 */
export function submitTryIt(deps: ReferenceDependencies & { tryIt: TryItDependencies; logger: Logger }): Middleware {
  return async function submitTryIt(ctx) {
    const loaded = await loadOperation(deps, ctx);
    const { version, api, operation } = loaded;
    if (version.authKind === 'fapi') throw new PortalPageError(400, 'Open Banking APIs are tried with your own client: follow the Open Banking guide.');
    const form = ctx.state.form as Record<string, string>;
    // Everything but the credential is shown again; the credential never is.
    const values = Object.fromEntries(Object.entries(form).filter(([name]) => name !== CREDENTIAL_FIELD && name !== 'csrf'));
    const target = { gatewayBaseUrl: deps.baseUrls.gateway, basePath: api.basePath, authKind: api.authKind, apiKeyHeader: api.settings.apiKeyHeader ?? DEFAULT_API_KEY_HEADER };
    const read = readTryItForm(target, operation, form);
    if (!read.ok) {
      ctx.status = 400;
      await renderOperation(ctx, deps, loaded, { values, errors: read.errors });
      return;
    }
    await deps.tryIt.admitTryIt(ctx.state.developer!.id);
    const answer = await deps.tryIt.callGateway(read.value);
    if ('failure' in answer) deps.logger.warn({ apiId: api.id, operation: operation.key, cause: answer.cause }, 'portal.try_it.failed');
    await renderOperation(ctx, deps, loaded, { values, errors: [], answer });
  };
}

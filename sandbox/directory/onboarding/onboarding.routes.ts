import Router from '@koa/router';
import type { Middleware } from 'koa';
import compose from 'koa-compose';

import type { Logger } from '../../../src/observability/logger.ts';
import { noStore } from '../../../src/shared/no-store.ts';
import { Problem } from '../../../src/shared/problem.ts';
import { renderProblems } from '../../../src/shared/problem-response.ts';
import type { OnboardingContext } from './onboarding-context.ts';
import { limitSignUps, readJsonBody, requireOrganisationToken } from './onboarding-http.ts';
import { renderOrganisation, renderSoftware } from './onboarding-render.ts';
import { signUpSchema, softwareStatementRequestSchema, type SignUp, type SoftwareStatementRequest } from './onboarding.schema.ts';
import { signUp } from './organisations.service.ts';
import { bundleFileName, softwareBundle } from './software-bundle.ts';
import { createSoftwareStatement, openKeptKeys, readSoftwareStatement } from './software-statements.service.ts';

/** Where the onboarding API lives on the browser listener. */
export const ONBOARDING_PREFIX = '/sandbox/directory/v1/';

const ORGANISATIONS = '/sandbox/directory/v1/organisations';
const SOFTWARE = `${ORGANISATIONS}/:orgId/software-statements`;

export interface OnboardingApiOptions {
  logger: Logger;
  /** The base of problem `type` URIs (`problemTypeBase(issuer)`). */
  problemTypeBase: string;
  /** Sign-ups an hour from one address. */
  signUpsPerHour: number;
}

/**
 * The sandbox directory's self-service onboarding API (JSON; RFC 9457 problem details for every
 * failure; `no-store`, since answers carry tokens and keys):
 * - `POST /organisations`: sign up (`name`, `contact_email`) → the organisation id and its bearer
 *   token, shown this once;
 * - `POST /organisations/{orgId}/software-statements`: a software statement for an app
 *   (`client_name`, `roles`, `redirect_uris`, `logo_uri`) → its software id and SSA;
 * - `GET …/software-statements/{softwareId}`: the same again;
 * - `GET …/software-statements/{softwareId}/bundle`: the zip with keys, certificate, SSA, demo
 *   configuration and Postman collection.
 * The three last need the organisation's token. A path none of these has is 404, a method a path
 * lacks 405 with `Allow`.
 */
export function onboardingApi(context: OnboardingContext, options: OnboardingApiOptions): Middleware {
  const authenticated = requireOrganisationToken(context);
  const router = new Router();
  router.post(ORGANISATIONS, readJsonBody(signUpSchema), limitSignUps(options.signUpsPerHour), async function handleSignUp(ctx) {
    const { organisation, token } = await signUp(context, ctx.state.sandboxBody as SignUp);
    ctx.status = 201;
    ctx.set('Location', `${ORGANISATIONS}/${organisation.org_id}`);
    ctx.body = { ...renderOrganisation(organisation), token };
  });
  router.post(SOFTWARE, authenticated, readJsonBody(softwareStatementRequestSchema), async function handleCreateSoftwareStatement(ctx) {
    const software = await createSoftwareStatement(context, ctx.state.sandboxOrganisation!, ctx.state.sandboxBody as SoftwareStatementRequest);
    ctx.status = 201;
    ctx.set('Location', `${ORGANISATIONS}/${software.org_id}/software-statements/${software.software_id}`);
    ctx.body = renderSoftware(software);
  });
  router.get(`${SOFTWARE}/:softwareId`, authenticated, async function handleReadSoftwareStatement(ctx) {
    ctx.body = renderSoftware(await readSoftwareStatement(context, ctx.state.sandboxOrganisation!, ctx.params['softwareId']!));
  });
  router.get(`${SOFTWARE}/:softwareId/bundle`, authenticated, async function handleDownloadBundle(ctx) {
    const organisation = ctx.state.sandboxOrganisation!;
    const software = await readSoftwareStatement(context, organisation, ctx.params['softwareId']!);
    const keys = openKeptKeys(context, software);
    ctx.type = 'application/zip';
    ctx.attachment(bundleFileName(software.software_id));
    ctx.body = Buffer.from(softwareBundle(context, organisation, software, keys));
  });
  return compose([
    renderProblems(options.logger, options.problemTypeBase, 'sandbox_directory.error'),
    noStore,
    router.routes() as Middleware,
    answerUnrouted(router),
  ]);
}

// Runs when no route answered: a path some route has for other methods is 405, any other 404.
function answerUnrouted(router: Router): Middleware {
  return async function answerUnrouted(ctx) {
    const methods = new Set(router.stack.filter((layer) => layer.match(ctx.path)).flatMap((layer) => layer.methods));
    if (methods.size > 0) throw new Problem(405, 'method-not-allowed', `${ctx.method} is not allowed on ${ctx.path}`, { headers: { Allow: [...methods].join(', ') } });
    throw new Problem(404, 'not-found', `${ctx.path} is not a path of the sandbox directory API`);
  };
}

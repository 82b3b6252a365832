import type { Middleware } from 'koa';

import { parseInput } from '../../gateway/catalogue/catalogue.schema.ts';
import { getApplication, getOrganisation, listApplicationKeys, listApplications, listOrganisations } from '../../gateway/consumers/consumer-listing.service.ts';
import { createApplication, createOrganisation, setApplicationState } from '../../gateway/consumers/consumers.service.ts';
import type { AdminApiDependencies } from '../admin-api.deps.ts';
import { renderApiKey, renderApplication, renderOrganisation, renderPage } from '../admin-render.ts';
import { applicationBodySchema, organisationBodySchema } from '../consumer-bodies.schema.ts';
import { readAdminJson } from '../http/read-admin-json.ts';
import { readListQuery } from '../http/read-list-query.ts';

/* `/admin/v1/organisations` and `/admin/v1/applications`: who calls the APIs. One endpoint per export. */

export function listOrganisationsEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readListQuery(), async function handleListOrganisations(ctx) {
    ctx.body = renderPage(await listOrganisations(deps.catalogue.db, ctx.state.adminList!.page), renderOrganisation);
  }];
}

export function createOrganisationEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readAdminJson, async function handleCreateOrganisation(ctx) {
    const organisation = await createOrganisation(deps.catalogue, parseInput(organisationBodySchema, ctx.state.adminBody));
    ctx.status = 201;
    ctx.set('Location', `/admin/v1/organisations/${organisation.id}`);
    ctx.body = renderOrganisation(organisation);
  }];
}

export function readOrganisationEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleReadOrganisation(ctx) {
    ctx.body = renderOrganisation(await getOrganisation(deps.catalogue.db, ctx.params['organisationId']!));
  }];
}

export function listApplicationsEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readListQuery(['organisationId']), async function handleListApplications(ctx) {
    const { page, filters } = ctx.state.adminList!;
    ctx.body = renderPage(await listApplications(deps.catalogue.db, page, filters['organisationId']), renderApplication);
  }];
}

export function createApplicationEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readAdminJson, async function handleCreateApplication(ctx) {
    const body = parseInput(applicationBodySchema, ctx.state.adminBody);
    await getOrganisation(deps.catalogue.db, body.organisationId);
    const application = await createApplication(deps.catalogue, body);
    ctx.status = 201;
    ctx.set('Location', `/admin/v1/applications/${application.id}`);
    ctx.body = renderApplication(application);
  }];
}

export function readApplicationEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleReadApplication(ctx) {
    ctx.body = renderApplication(await getApplication(deps.catalogue.db, ctx.params['applicationId']!));
  }];
}

/** `POST /admin/v1/applications/{id}/suspend|reactivate`: no body; a suspended application's calls are refused. */
export function setApplicationStatusEndpoint(deps: AdminApiDependencies, status: 'active' | 'suspended'): Middleware[] {
  return [async function handleSetApplicationStatus(ctx) {
    ctx.body = renderApplication(await setApplicationState(deps.catalogue, ctx.params['applicationId']!, status));
  }];
}

export function listApiKeysEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleListApiKeys(ctx) {
    ctx.body = { items: (await listApplicationKeys(deps.catalogue.db, ctx.params['applicationId']!)).map(renderApiKey) };
  }];
}

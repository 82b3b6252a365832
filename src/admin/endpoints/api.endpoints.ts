import type { Middleware } from 'koa';

import { changeApiLifecycle } from '../../gateway/catalogue/api-lifecycle.service.ts';
import { createApi, deleteApi, getApi, listApis, updateApi } from '../../gateway/catalogue/catalogue.service.ts';
import type { AdminApiDependencies } from '../admin-api.deps.ts';
import { renderPage } from '../admin-render.ts';
import { readAdminJson } from '../http/read-admin-json.ts';
import { readListQuery } from '../http/read-list-query.ts';

/*
 * `/admin/v1/apis`: APIs with their routes. Each export is one endpoint, its steps in order;
 * bodies are checked by the catalogue service (`catalogue.schema.ts`), the one place that knows
 * what an API may be.
 */

export function listApisEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readListQuery(), async function handleListApis(ctx) {
    ctx.body = renderPage(await listApis(deps.catalogue.db, ctx.state.adminList!.page), (api) => api);
  }];
}

export function createApiEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readAdminJson, async function handleCreateApi(ctx) {
    const api = await createApi(deps.catalogue, ctx.state.adminBody);
    ctx.status = 201;
    ctx.set('Location', `/admin/v1/apis/${api.id}`);
    ctx.body = api;
  }];
}

export function readApiEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleReadApi(ctx) {
    ctx.body = await getApi(deps.catalogue.db, ctx.params['apiId']!);
  }];
}

export function replaceApiEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readAdminJson, async function handleReplaceApi(ctx) {
    ctx.body = await updateApi(deps.catalogue, ctx.params['apiId']!, ctx.state.adminBody);
  }];
}

export function deleteApiEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleDeleteApi(ctx) {
    await deleteApi(deps.catalogue, ctx.params['apiId']!);
    ctx.status = 204;
  }];
}

export function changeApiLifecycleEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readAdminJson, async function handleChangeApiLifecycle(ctx) {
    ctx.body = await changeApiLifecycle(deps.catalogue, ctx.params['apiId']!, ctx.state.adminBody);
  }];
}

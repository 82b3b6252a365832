import type { Middleware } from 'koa';

import { ADMIN_OPENAPI } from '../admin-api.openapi.ts';

/** `GET /admin/v1/openapi.json`: the admin API's own description (OpenAPI 3.1), without the token. */
export function serveOpenApiEndpoint(): Middleware[] {
  const body = JSON.stringify(ADMIN_OPENAPI);
  return [async function serveOpenApi(ctx) {
    ctx.type = 'application/json';
    ctx.body = body;
  }];
}

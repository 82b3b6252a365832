import type { Middleware } from 'koa';

import { parseInput } from '../../gateway/catalogue/catalogue.schema.ts';
import { issueApiKey, revokeApplicationKey, rotateApiKey } from '../../gateway/consumers/consumers.service.ts';
import type { AdminApiDependencies } from '../admin-api.deps.ts';
import { renderApiKey } from '../admin-render.ts';
import { rotationBodySchema } from '../consumer-bodies.schema.ts';
import { readAdminJson } from '../http/read-admin-json.ts';

/*
 * API keys: issued (the whole key is in this response and never again, so it is `no-store` like
 * every admin response), rotated with an overlap, revoked.
 */

export function issueApiKeyEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleIssueApiKey(ctx) {
    const applicationId = ctx.params['applicationId']!;
    const issued = await issueApiKey(deps.catalogue, applicationId);
    ctx.status = 201;
    ctx.body = { id: issued.keyId, applicationId, key: issued.key, prefix: issued.prefix };
  }];
}

/** `POST /admin/v1/keys/{keyId}/rotate` `{ "overlapSeconds": 86400 }`: a new key now, the old one until the overlap ends. */
export function rotateApiKeyEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readAdminJson, async function handleRotateApiKey(ctx) {
    const { overlapSeconds } = parseInput(rotationBodySchema, ctx.state.adminBody);
    const rotated = await rotateApiKey(deps.catalogue, ctx.params['keyId']!, overlapSeconds);
    ctx.status = 201;
    ctx.body = { id: rotated.keyId, key: rotated.key, prefix: rotated.prefix, previousKey: { id: ctx.params['keyId']!, expiresAt: rotated.previousExpiresAt } };
  }];
}

export function revokeApiKeyEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleRevokeApiKey(ctx) {
    ctx.body = renderApiKey(await revokeApplicationKey(deps.catalogue, ctx.params['keyId']!));
  }];
}

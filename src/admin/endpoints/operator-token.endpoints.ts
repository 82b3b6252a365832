import type { Context, Middleware } from 'koa';
import { z } from 'zod';

import { parseInput } from '../../gateway/catalogue/catalogue.schema.ts';
import { Problem } from '../../shared/problem.ts';
import type { AdminApiDependencies } from '../admin-api.deps.ts';
import { readAdminJson } from '../http/read-admin-json.ts';
import { createOperatorToken, listOperatorTokens, OperatorTokenNotFound, OperatorTokenRevoked, revokeOperatorToken, TOKEN_LIFETIME_DAYS } from '../operators/operator-tokens.service.ts';

/*
 * The caller's own personal tokens (`/admin/v1/me/tokens`): listed, made (the token is in the
 * creating answer only; the audit drops it), revoked. Any role may manage its own tokens, since a
 * token carries no more than its operator's role. The admin token is nobody's: it has none.
 */

export const operatorTokenBodySchema = z.object({
  name: z.string().trim().min(1, 'must name the token').max(100, 'must be at most 100 characters'),
  expiresInDays: z.union(TOKEN_LIFETIME_DAYS.map((days) => z.literal(days)), `must be one of ${TOKEN_LIFETIME_DAYS.join(', ')}`),
}).strict();

function callerOperator(ctx: Context): string {
  const operatorId = ctx.state.adminCaller!.operatorId;
  if (!operatorId) throw new Problem(403, 'forbidden', 'Personal tokens belong to operators, and the admin token is no operator\'s: call with a personal token');
  return operatorId;
}

const tokensOf = (deps: AdminApiDependencies) => ({ db: deps.catalogue.db, clock: deps.catalogue.clock });

/** `GET /admin/v1/me/tokens`: the caller's tokens, newest first. */
export function listOperatorTokensEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleListOperatorTokens(ctx) {
    ctx.body = { tokens: await listOperatorTokens(tokensOf(deps), callerOperator(ctx)) };
  }];
}

/** `POST /admin/v1/me/tokens` `{ "name": "deploy", "expiresInDays": 30 }`: a new token, in this answer only; one made with a token expires no later than it. */
export function createOperatorTokenEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readAdminJson, async function handleCreateOperatorToken(ctx) {
    const operatorId = callerOperator(ctx);
    const fields = parseInput(operatorTokenBodySchema, ctx.state.adminBody);
    ctx.status = 201;
    ctx.body = await createOperatorToken(tokensOf(deps), operatorId, fields, ctx.state.adminCaller!.tokenExpiresAt);
  }];
}

/** `POST /admin/v1/me/tokens/{tokenId}/revoke`: 404 for a token not the caller's, 409 when revoked already. */
export function revokeOperatorTokenEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleRevokeOperatorToken(ctx) {
    try {
      ctx.body = await revokeOperatorToken(tokensOf(deps), callerOperator(ctx), ctx.params['tokenId']!);
    } catch (error) {
      if (error instanceof OperatorTokenNotFound) throw new Problem(404, 'not-found', error.message, { cause: error });
      if (error instanceof OperatorTokenRevoked) throw new Problem(409, 'conflict', error.message, { cause: error });
      throw error;
    }
  }];
}

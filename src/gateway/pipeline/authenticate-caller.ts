import type { Context, Middleware } from 'koa';

import { Problem } from '../../shared/problem.ts';
import type { GatewayApi } from '../catalogue/catalogue.types.ts';
import type { Authenticated, GatewayDeps } from './gateway-deps.ts';

/** The header an `api-key` API reads its key from, unless it names another. */
export const DEFAULT_API_KEY_HEADER = 'x-api-key';

const NOBODY = { scopes: new Set<string>() };

function unauthenticated(scheme: string, detail: string, error?: string): Problem {
  const challenge = error ? `${scheme} error="${error}", error_description="${detail.replaceAll('"', "'")}"` : scheme;
  return new Problem(401, 'unauthenticated', detail, { headers: { 'WWW-Authenticate': challenge } });
}

function bearerToken(ctx: Context): string {
  const authorization = ctx.get('Authorization');
  if (!authorization) throw unauthenticated('Bearer', 'A bearer token is required');
  const match = /^Bearer ([\w.~+/-]+=*)$/i.exec(authorization);
  if (!match) throw unauthenticated('Bearer', 'The Authorization header is not a bearer token', 'invalid_request');
  return match[1]!;
}

function apiKey(ctx: Context, api: GatewayApi): string {
  const header = api.settings.apiKeyHeader ?? DEFAULT_API_KEY_HEADER;
  const key = ctx.get(header);
  if (!key) throw unauthenticated('ApiKey', `An API key is required in the ${header} header`);
  return key;
}

function accept(outcome: Authenticated, scheme: string): NonNullable<Context['state']['gateway']>['caller'] {
  if ('caller' in outcome) return outcome.caller;
  // A suspended application is known and told so; every other refusal says only that it failed.
  if (outcome.refused === 'suspended') throw new Problem(403, 'forbidden', outcome.description);
  throw unauthenticated(scheme, outcome.description, scheme === 'Bearer' ? 'invalid_token' : undefined);
}

/**
 * Step 2: who is calling, by the API's kind: nobody in particular (`none`), an API key
 * (`api-key`), a JWT bearer token from the API's issuer (`oauth2`). Missing or bad credentials are
 * 401 with the scheme's challenge; a suspended application is 403.
 */
export function authenticateCaller(deps: Pick<GatewayDeps, 'credentials'>): Middleware {
  return async function authenticateCaller(ctx, next) {
    const call = ctx.state.gateway!;
    const api = call.api!;
    switch (api.authKind) {
      case 'none':
        call.caller = NOBODY;
        break;
      case 'api-key':
        call.caller = accept(await deps.credentials.apiKey(apiKey(ctx, api)), 'ApiKey');
        break;
      case 'oauth2':
        call.caller = accept(await deps.credentials.bearer(api, bearerToken(ctx)), 'Bearer');
        break;
      case 'fapi':
        // FAPI APIs are served on the mutual-TLS listener by the Open Banking gateway, never here.
        throw new Problem(404, 'not-found', `${ctx.method} ${ctx.path} is served on the Open Banking listener`);
    }
    await next();
  };
}

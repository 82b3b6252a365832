import type { Context, Middleware } from 'koa';

import { SIGNING_ALGORITHMS } from '../../openbanking/fapi-algorithms.ts';
import { Problem } from '../../shared/problem.ts';
import type { GatewayApi } from '../catalogue/catalogue.types.ts';
import type { Authenticated, GatewayDeps, PresentedToken, TokenScheme } from './gateway-deps.ts';

/** The header an `api-key` API reads its key from, unless it names another. */
export const DEFAULT_API_KEY_HEADER = 'x-api-key';

const NOBODY = { scopes: new Set<string>() };

// RFC 9449 §7.1: a DPoP challenge names the proof algorithms the resource server takes.
const DPOP_ALGS = `algs="${SIGNING_ALGORITHMS.join(' ')}"`;

function challenge(scheme: string, error?: string, detail?: string): string {
  const parameters = [
    ...(error ? [`error="${error}"`, `error_description="${detail!.replaceAll('"', "'")}"`] : []),
    ...(scheme === 'DPoP' ? [DPOP_ALGS] : []),
  ];
  return parameters.length ? `${scheme} ${parameters.join(', ')}` : scheme;
}

function unauthenticated(wwwAuthenticate: string, detail: string): Problem {
  return new Problem(401, 'unauthenticated', detail, { headers: { 'WWW-Authenticate': wwwAuthenticate } });
}

/**
 * The access token of an `oauth2` call, in either scheme (RFC 6750 §2.1, RFC 9449 §7.1), and its
 * DPoP proofs with the method and URL they must name: the public URL the caller used, which is
 * the configured one (the listener pins it), normalised as RFC 9449 §4.3 compares `htu`.
 */
function presentedToken(ctx: Context, publicBaseUrl: string): PresentedToken {
  const authorization = ctx.get('Authorization');
  // RFC 9449 §7.2: a resource that takes both schemes may offer both.
  if (!authorization) throw unauthenticated(`Bearer, ${challenge('DPoP')}`, 'An access token is required');
  const match = /^(Bearer|DPoP) ([\w.~+/-]+=*)$/i.exec(authorization);
  if (!match) throw unauthenticated(challenge('Bearer', 'invalid_request', 'The Authorization header holds no Bearer or DPoP access token'), 'The Authorization header holds no Bearer or DPoP access token');
  const scheme: TokenScheme = match[1]!.toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer';
  const token = match[2]!;
  if (ctx.state.provenAccessToken === token) return { scheme, token, possession: 'proven' };
  const url = new URL(`${publicBaseUrl}${ctx.path}`);
  return { scheme, token, possession: { proofs: ctx.req.headersDistinct['dpop'] ?? [], method: ctx.method, url: `${url.origin}${url.pathname}` } };
}

function apiKey(ctx: Context, api: GatewayApi): string {
  const header = api.settings.apiKeyHeader ?? DEFAULT_API_KEY_HEADER;
  const key = ctx.get(header);
  if (!key) throw unauthenticated('ApiKey', `An API key is required in the ${header} header`);
  return key;
}

function accept(outcome: Authenticated, scheme: 'ApiKey' | TokenScheme): NonNullable<Context['state']['gateway']>['caller'] {
  if ('caller' in outcome) return outcome.caller;
  // A suspended application is known and told so; every other refusal says only that it failed.
  if (outcome.refused === 'suspended') throw new Problem(403, 'forbidden', outcome.description);
  if (scheme === 'ApiKey') throw unauthenticated('ApiKey', outcome.description);
  // RFC 9449 §7.1: a proof at fault is `invalid_dpop_proof`; the token, or its binding, `invalid_token`.
  const error = outcome.refused === 'invalid_proof' ? 'invalid_dpop_proof' : 'invalid_token';
  throw unauthenticated(challenge(outcome.scheme ?? scheme, error, outcome.description), outcome.description);
}

/**
 * Step 2: who is calling, by the API's kind: nobody in particular (`none`), an API key
 * (`api-key`), a JWT access token from the API's issuer (`oauth2`), presented by its holder when
 * it is bound to a key. Missing or bad credentials are 401 with the scheme's challenge; a
 * suspended application is 403.
 */
export function authenticateCaller(deps: Pick<GatewayDeps, 'credentials' | 'publicBaseUrl'>): Middleware {
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
      case 'oauth2': {
        const presented = presentedToken(ctx, deps.publicBaseUrl);
        call.caller = accept(await deps.credentials.bearer(api, presented), presented.scheme);
        ctx.state.provenAccessToken = presented.token;
        break;
      }
      case 'fapi':
        // FAPI APIs are served on the mutual-TLS listener by the Open Banking gateway, never here.
        throw new Problem(404, 'not-found', `${ctx.method} ${ctx.path} is served on the Open Banking listener`);
    }
    await next();
  };
}

import type { Context, Middleware } from 'koa';

import { Problem } from '../../shared/problem.ts';
import type { GatewayApi } from '../catalogue/catalogue.types.ts';
import { DEFAULT_API_KEY_HEADER } from './authenticate-caller.ts';
import type { GatewayDeps } from './gateway-deps.ts';
import { countingBody } from './limit-request-body.ts';

/** The header the caller's signed identity travels in; a caller's own is never passed on. */
export const IDENTITY_HEADER = 'x-portcullis-identity';

/** A failure of the upstream client, as `gateway/upstream` throws it. */
interface UpstreamFailure {
  reason: 'breaker_open' | 'timeout' | 'unreachable';
  retryAfterSeconds: number;
}

function isUpstreamFailure(error: unknown): error is UpstreamFailure {
  return typeof error === 'object' && error !== null && typeof (error as UpstreamFailure).retryAfterSeconds === 'number' && typeof (error as UpstreamFailure).reason === 'string';
}

/** What the upstream must not see: the caller's credentials (its identity goes signed instead) and any identity the caller forged. */
function upstreamHeaders(ctx: Context, api: GatewayApi): Record<string, string | string[] | undefined> {
  const headers: Record<string, string | string[] | undefined> = { ...ctx.req.headers };
  delete headers['authorization'];
  delete headers['dpop'];
  delete headers['cookie'];
  delete headers[IDENTITY_HEADER];
  if (api.authKind === 'api-key') delete headers[(api.settings.apiKeyHeader ?? DEFAULT_API_KEY_HEADER).toLowerCase()];
  headers['x-forwarded-for'] = ctx.ip;
  headers['x-forwarded-proto'] = 'https';
  headers['x-forwarded-host'] = ctx.host;
  return headers;
}

function hasBody(ctx: Context): boolean {
  if (ctx.method === 'GET' || ctx.method === 'HEAD') return false;
  return (ctx.request.length ?? 0) > 0 || ctx.get('Transfer-Encoding') !== '';
}

function failure(error: UpstreamFailure): Problem {
  const headers = { 'Retry-After': String(Math.max(1, Math.ceil(error.retryAfterSeconds))) };
  switch (error.reason) {
    case 'timeout':
      return new Problem(504, 'upstream-timeout', 'The service behind this API did not answer in time', { headers });
    case 'unreachable':
      return new Problem(502, 'upstream-unavailable', 'The service behind this API could not be reached', { headers });
    case 'breaker_open':
      return new Problem(503, 'upstream-unavailable', 'The service behind this API is failing; calls are paused for a moment', { headers });
  }
}

/**
 * Step 6: the call goes to one of the API's upstreams (the upstream client picks by weight, keeps
 * connections alive, times out, retries what is idempotent, and breaks the circuit of a failing
 * target), with the caller's identity signed in a header, and the response streams back. Bodies
 * stream both ways; the request's is counted and cut at the limit.
 */
export function forwardCall(deps: Pick<GatewayDeps, 'upstreams' | 'signIdentity' | 'maxBodyBytes'>): Middleware {
  return async function forwardCall(ctx) {
    const call = ctx.state.gateway!;
    const api = call.api!;
    const route = call.route!;
    const abort = new AbortController();
    ctx.res.once('close', () => {
      if (!ctx.res.writableFinished) abort.abort();
    });
    const identity = await deps.signIdentity(call.caller!, { apiId: api.id, routeId: route.id }, api.name);
    const body = hasBody(ctx) ? ctx.req.pipe(countingBody(deps.maxBodyBytes, (bytes) => { call.requestBytes = bytes; })) : undefined;
    let response;
    try {
      response = await deps.upstreams.forward({
        upstreams: api.upstreams, method: ctx.method, path: `${call.upstreamPath}${ctx.search}`,
        headers: upstreamHeaders(ctx, api), identity, signal: abort.signal, ...(body ? { body } : {}),
      });
    } catch (error) {
      if (error instanceof Problem) throw error;
      if (isUpstreamFailure(error)) throw failure(error);
      throw error;
    }
    call.upstreamMs = response.upstreamMs;
    ctx.status = response.status;
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) ctx.set(name, value);
    }
    ctx.body = response.body;
  };
}

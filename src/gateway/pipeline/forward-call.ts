import type { Readable } from 'node:stream';

import type { Context, Middleware } from 'koa';

import { Problem } from '../../shared/problem.ts';
import { keptBody } from '../../shared/read-raw-body.ts';
import { setHeaders } from '../../shared/set-headers.ts';
import type { GatewayApi, HttpMethod } from '../catalogue/catalogue.types.ts';
import { collectAnswer } from '../upstream/answer-collector.ts';
import type { BodySink, UpstreamHead } from '../upstream/upstream-client.ts';
import { UpstreamUnavailable } from '../upstream/upstream-unavailable.ts';
import { DEFAULT_API_KEY_HEADER } from './authenticate-caller.ts';
import type { GatewayDeps } from './gateway-deps.ts';
import { captureRequestBody, captureResponseBody, captureResponseBytes } from './capture-bodies.ts';
import type { GatewayCall } from './gateway-state.ts';
import { countingBody } from './limit-request-body.ts';

const CREDENTIALS = ['authorization', 'dpop', 'cookie'];
const withheldByApi = new WeakMap<GatewayApi, ReadonlySet<string>>();

/** The caller's credentials, which the upstream must not see: its identity goes signed instead. */
function withheldHeaders(api: GatewayApi): ReadonlySet<string> {
  let withheld = withheldByApi.get(api);
  if (!withheld) {
    withheld = new Set(api.authKind === 'api-key' ? [...CREDENTIALS, (api.settings.apiKeyHeader ?? DEFAULT_API_KEY_HEADER).toLowerCase()] : CREDENTIALS);
    withheldByApi.set(api, withheld);
  }
  return withheld;
}

/** The caller's headers but its credentials, with where the call came from and under which base path (the upstream client drops any identity the caller forged). */
function upstreamHeaders(ctx: Context, api: GatewayApi): Record<string, string | string[] | undefined> {
  const withheld = withheldHeaders(api);
  const received = ctx.req.headers;
  const headers: Record<string, string | string[] | undefined> = {};
  for (const name in received) if (!withheld.has(name)) headers[name] = received[name];
  headers['x-forwarded-for'] = ctx.ip;
  headers['x-forwarded-proto'] = 'https';
  headers['x-forwarded-host'] = ctx.host;
  // The API's base path, which the upstream does not see in its path: what it needs for links back
  // to itself as the caller sees it (an Open Banking answer's Links are absolute URIs).
  headers['x-forwarded-prefix'] = api.basePath;
  return headers;
}

function hasBody(ctx: Context): boolean {
  if (ctx.method === 'GET' || ctx.method === 'HEAD') return false;
  return (ctx.request.length ?? 0) > 0 || ctx.get('Transfer-Encoding') !== '';
}

/** The body to forward: what the listener's edge read already (partner listener), else the request streamed through a counter. */
function requestBody(ctx: Context, limit: number, onBytes: (bytes: number) => void): Readable | Buffer | undefined {
  const kept = keptBody(ctx.req);
  if (kept !== undefined) {
    const bytes = Buffer.from(kept);
    onBytes(bytes.length);
    return bytes;
  }
  return hasBody(ctx) ? ctx.req.pipe(countingBody(limit, onBytes)) : undefined;
}

function failure(error: UpstreamUnavailable): Problem {
  const headers: Record<string, string> = error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(error.retryAfterSeconds) };
  switch (error.reason) {
    case 'timeout':
      return new Problem(504, 'upstream-timeout', 'The service behind this API did not answer in time', { headers, cause: error });
    case 'unreachable':
      return new Problem(502, 'upstream-unavailable', 'The service behind this API could not be reached', { headers, cause: error });
    case 'breaker_open':
      return new Problem(503, 'upstream-unavailable', 'The service behind this API is failing; calls are paused for a moment', { headers, cause: error });
  }
}

/** An answer a step needed whole that broke off midway: the caller gets no part of it. */
function brokenAnswer(error: Error): Problem {
  return (error as { code?: unknown }).code === 'UND_ERR_BODY_TIMEOUT'
    ? new Problem(504, 'upstream-timeout', 'The service behind this API did not finish its answer in time', { cause: error })
    : new Problem(502, 'upstream-unavailable', 'The service behind this API broke off its answer', { cause: error });
}

/** The answer's head on the caller's response; its body is written straight after it (Koa does not respond). */
function answerDirectly(ctx: Context, call: GatewayCall, head: UpstreamHead): ReturnType<BodySink> {
  ctx.status = head.status;
  setHeaders(ctx, head.headers);
  const length = Number(head.headers['content-length']);
  if (Number.isFinite(length)) call.responseBytes = length;
  ctx.respond = false;
  return captureResponseBody(ctx.res, call);
}

/**
 * Step 6: the call goes to one of the API's upstreams (the upstream client picks by weight, keeps
 * connections alive, times out, retries what is idempotent, and breaks the circuit of a failing
 * target), with the caller's identity signed in a header. Bodies stream both ways (the request's
 * counted and cut at the limit) unless a later step reads the answer whole (`readWholeAnswer`):
 * then it is collected into `ctx.body`, and one that breaks off midway is a 502 (504 when it
 * stalled). A streamed answer that breaks off midway cuts the caller's connection, as a proxy must:
 * its status is already sent.
 */
export function forwardCall(deps: Pick<GatewayDeps, 'upstreams' | 'signIdentity' | 'maxBodyBytes' | 'logger'>): Middleware {
  return async function forwardCall(ctx) {
    const call = ctx.state.gateway!;
    const api = call.api!;
    const route = call.route!;
    const abort = new AbortController();
    ctx.res.once('close', () => {
      if (!ctx.res.writableFinished) abort.abort();
    });
    const identity = deps.signIdentity(call.caller!, { apiId: api.id, routeId: route.id });
    const body = captureRequestBody(call, call.bufferedBody ?? requestBody(ctx, deps.maxBodyBytes, (bytes) => { call.requestBytes = bytes; }));
    const whole = call.wholeAnswerLimit === undefined ? undefined : collectAnswer(call.wholeAnswerLimit);
    let response;
    try {
      response = await deps.upstreams.forward({
        upstreams: api.upstreams, method: ctx.method as HttpMethod, path: `${call.upstreamPath}${ctx.search}`,
        headers: upstreamHeaders(ctx, api), identity, signal: abort.signal, ...(body ? { body } : {}),
      }, (head) => (whole ? whole.sink : answerDirectly(ctx, call, head)));
    } catch (error) {
      if (error instanceof UpstreamUnavailable) throw failure(error);
      throw error;
    }
    call.upstreamMs = response.upstreamMs;
    if (!whole) {
      void response.delivered.then((error) => {
        if (error && !abort.signal.aborted) deps.logger.warn({ err: error, upstream: response.target, interactionId: ctx.state.fapiInteractionId }, 'gateway.answer_broken_off');
      });
      return;
    }
    const broken = await response.delivered;
    if (broken) throw brokenAnswer(broken);
    ctx.status = response.status;
    setHeaders(ctx, response.headers);
    // A HEAD answer has no body, and keeps the upstream's headers: a Content-Length is the one a GET carries (RFC 9110 §9.3.2).
    if (ctx.method === 'HEAD') return;
    const bytes = whole.bytes();
    captureResponseBytes(call, bytes);
    ctx.body = bytes;
    call.responseBytes = bytes.length;
  };
}

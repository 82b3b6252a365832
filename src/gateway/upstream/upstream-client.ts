import type { Readable, Writable } from 'node:stream';

import { Pool } from 'undici';

import type { Logger } from '../../observability/logger.ts';
import type { HttpMethod, Upstream } from '../catalogue/catalogue.types.ts';
import { CALLER_IDENTITY_HEADER } from './caller-identity.ts';
import { withoutHopByHop, type HeaderRecord } from './hop-by-hop-headers.ts';
import { pickWeighted } from './pick-target.ts';
import { AttemptFailed, createTargetBreaker, type BreakerOptions, type BreakerState, type TargetBreaker } from './target-breaker.ts';
import { propagateTraceContext } from './trace-context.ts';
import { upstreamFailureReason } from './upstream-failure.ts';
import { UpstreamUnavailable } from './upstream-unavailable.ts';

/*
 * The Forward step (issue 11, step 6): one keep-alive undici pool per upstream origin, reused by
 * every call; targets chosen by weight; a circuit breaker per target; retries only where a second
 * attempt cannot do anything twice. Bodies stream both ways; nothing here reads them.
 *
 * A retry happens when the method is idempotent (RFC 9110 §9.2.2: GET, HEAD, OPTIONS, PUT,
 * DELETE), the request body can be sent again (none, or a Buffer; a stream is consumed by the first
 * attempt) and the attempt got no response at all (connection refused or dropped, connect or
 * headers timeout). It goes to a target not tried yet for this call when one is available, else to
 * the same one. A response, whatever its status, is handed on: once headers are in, the caller may
 * already be reading, so there is nothing left to retry. POST and PATCH are never retried.
 *
 * The answer's body goes where the caller says once its head is in (`BodySink`): the caller's own
 * response as it comes, with no stream in between (undici's `stream`, its API for proxies), or a
 * collector when a step must read it whole. A pass-through stream per call would cost about as
 * much CPU as the rest of a bare proxy's work together.
 */

/**
 * undici's timers tick about every half second to stay cheap, so a timeout fires up to about a
 * second late: give them in whole seconds' worth, not in tens of milliseconds.
 */
export interface UpstreamTimeouts {
  /** Milliseconds to open a connection (TCP, and TLS for https upstreams). */
  connectMs: number;
  /** Milliseconds from sending the request to the end of the response headers. */
  headersMs: number;
  /** Milliseconds the response body may stay idle between two chunks (undici's `bodyTimeout`, not a total). */
  bodyMs: number;
}

export interface UpstreamClientOptions {
  logger: Logger;
  timeouts: UpstreamTimeouts;
  breaker: BreakerOptions;
  /** Further attempts after the first, for idempotent requests only. */
  retries: number;
  /** Told of every breaker state change, for metrics (`upstreamUrl` is the target's URL as configured). */
  onBreakerStateChange?: (upstreamUrl: string, state: BreakerState) => void;
  /** In [0, 1), for the weighted choice of targets; `Math.random` unless a test seeds one. */
  random?: () => number;
}

export interface UpstreamRequest {
  /** The API's targets; each URL's own path is put in front of `path`. */
  upstreams: readonly Upstream[];
  method: HttpMethod;
  /** The path and query below the API's base path, starting with `/`: `/accounts/22289?x=1`. */
  path: string;
  /** The caller's headers; hop-by-hop ones, `host` and any `x-portcullis-identity` are not forwarded. */
  headers: HeaderRecord;
  /** Streamed as it comes; a Buffer can be sent again on a retry. */
  body?: Readable | Buffer;
  /**
   * The signed caller identity (`signCallerIdentity`) for the chosen target, whose URL is its
   * audience: called once per attempt, after the target is chosen. Synchronous on purpose: the
   * breaker's admission and the call happen in the same tick, so no probe can slip in between.
   */
  identity?: (targetUrl: string) => string;
  /** The caller went away: stop. Its abort is thrown as it is, not as `UpstreamUnavailable`. */
  signal?: AbortSignal;
}

/** An answer's status and headers, without hop-by-hop headers. */
export interface UpstreamHead {
  status: number;
  headers: Record<string, string | string[]>;
}

/**
 * Where an answer's body is written, chosen when its head is in (synchronously: the body may follow
 * in the same tick). The upstream's connection waits while the writable is full, and the upstream
 * call is aborted when the writable is destroyed or closed before the body is whole.
 */
export type BodySink = (head: UpstreamHead) => Writable;

export interface UpstreamResponse extends UpstreamHead {
  /**
   * Settles once the body is written whole (undefined), or with the error that ended it midway
   * (`UND_ERR_BODY_TIMEOUT`, a reset, the sink closed early); the sink is destroyed with it.
   */
  delivered: Promise<Error | undefined>;
  /** Milliseconds spent waiting on upstreams until these response headers, failed attempts included. */
  upstreamMs: number;
  /** The URL of the target that answered. */
  target: string;
}

export interface UpstreamClient {
  /** Sends a request to one of its upstreams, the body of its answer into `sink`; throws `UpstreamUnavailable` when none gave a response. */
  forward(request: UpstreamRequest, sink: BodySink): Promise<UpstreamResponse>;
  /** Closes every pool once its calls are done. */
  close(): Promise<void>;
}

interface Target {
  url: string;
  pool: Pool;
  /** The URL's own path without its trailing slash, put in front of every request path. */
  pathPrefix: string;
  host: string;
  breaker: TargetBreaker;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
// `host` is the upstream's; `expect` was answered by the gateway's own server (undici refuses it);
// an identity header only the gateway may set.
const NOT_FORWARDED = new Set(['host', 'expect', CALLER_IDENTITY_HEADER]);

/** The private copy of the caller's headers, addressed to this attempt's target (a retry may pick another). */
function withTarget(headers: Record<string, string | string[]>, host: string, identity: string | undefined): Record<string, string | string[]> {
  headers['host'] = host;
  if (identity !== undefined) headers[CALLER_IDENTITY_HEADER] = identity;
  return headers;
}

function assertOptions({ timeouts, breaker, retries }: UpstreamClientOptions): void {
  const positive: Array<[string, number]> = [['timeouts.connectMs', timeouts.connectMs], ['timeouts.headersMs', timeouts.headersMs], ['timeouts.bodyMs', timeouts.bodyMs], ['breaker.consecutiveFailures', breaker.consecutiveFailures], ['breaker.halfOpenAfterMs', breaker.halfOpenAfterMs]];
  for (const [name, value] of positive) if (!(Number.isSafeInteger(value) && value > 0)) throw new RangeError(`upstream ${name} must be a positive integer`);
  if (!(Number.isSafeInteger(retries) && retries >= 0)) throw new RangeError('upstream retries must be an integer, 0 or more');
}

/**
 * @example
 * ```ts
 * const upstream = createUpstreamClient({ logger, timeouts: { connectMs: 2000, headersMs: 30000, bodyMs: 30000 },
 *   breaker: { consecutiveFailures: 5, halfOpenAfterMs: 10000 }, retries: 1 });
 * const response = await upstream.forward({ upstreams: api.upstreams, method: 'GET', path: '/accounts', headers: ctx.req.headers }, (head) => {
 *   res.writeHead(head.status, head.headers);
 *   return res;
 * });
 * ```
 */
export function createUpstreamClient(options: UpstreamClientOptions): UpstreamClient {
  assertOptions(options);
  const random = options.random ?? Math.random;
  const pools = new Map<string, Pool>();
  const targets = new Map<string, Target>();

  function poolFor(origin: string): Pool {
    let pool = pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connectTimeout: options.timeouts.connectMs, headersTimeout: options.timeouts.headersMs, bodyTimeout: options.timeouts.bodyMs });
      pools.set(origin, pool);
    }
    return pool;
  }

  // Targets live as long as the client: a catalogue change keeps the pools and breakers of the URLs it keeps.
  function targetFor(url: string): Target {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      const breaker = createTargetBreaker(options.breaker, (state) => {
        options.logger.warn({ upstream: url, state }, 'upstream.breaker_state');
        options.onBreakerStateChange?.(url, state);
      });
      target = { url, pool: poolFor(parsed.origin), pathPrefix: parsed.pathname.replace(/\/$/, ''), host: parsed.host, breaker };
      targets.set(url, target);
    }
    return target;
  }

  /** A target by weight among those whose breaker lets a call through, preferring those not tried yet. */
  function chooseTarget(upstreams: readonly Upstream[], tried: ReadonlySet<string>): Target | undefined {
    const admitting = upstreams.filter((upstream) => targetFor(upstream.url).breaker.admits());
    const untried = admitting.filter((upstream) => !tried.has(upstream.url));
    const chosen = pickWeighted(untried, random) ?? pickWeighted(admitting, random);
    return chosen && targetFor(chosen.url);
  }

  function breakerOpen(upstreams: readonly Upstream[]): UpstreamUnavailable {
    const soonest = upstreams
      .filter((upstream) => upstream.weight > 0)
      .map((upstream) => targetFor(upstream.url))
      .reduce((best, target) => (target.breaker.retryAfterSeconds() < best.breaker.retryAfterSeconds() ? target : best));
    return new UpstreamUnavailable('breaker_open', soonest.url, { retryAfterSeconds: soonest.breaker.retryAfterSeconds() });
  }

  /** One attempt at one target: settles with the answer's head once it is in, the body still on its way to the sink. */
  function attempt(target: Target, request: UpstreamRequest, headers: Record<string, string | string[]>, sink: BodySink): Promise<UpstreamHead & { delivered: Promise<Error | undefined> }> {
    return new Promise((resolve, reject) => {
      let answered = false;
      let settleDelivery: (error: Error | undefined) => void = () => {};
      const delivered = new Promise<Error | undefined>((settle) => (settleDelivery = settle));
      target.pool.stream({
        method: request.method,
        path: target.pathPrefix + request.path,
        headers,
        body: request.body ?? null,
        signal: request.signal ?? null,
      }, ({ statusCode, headers: received }) => {
        answered = true;
        const head = { status: statusCode, headers: withoutHopByHop(received as HeaderRecord) };
        resolve({ ...head, delivered });
        return sink(head);
      }).then(() => settleDelivery(undefined), (error: Error) => (answered ? settleDelivery(error) : reject(error)));
    });
  }

  async function forward(request: UpstreamRequest, sink: BodySink): Promise<UpstreamResponse> {
    if (!request.upstreams.some((upstream) => upstream.weight > 0)) throw new RangeError('no upstream with a positive weight');
    const headers = withoutHopByHop(request.headers, NOT_FORWARDED);
    propagateTraceContext(headers);
    const replayable = request.body === undefined || Buffer.isBuffer(request.body);
    const attempts = IDEMPOTENT.has(request.method) && replayable ? 1 + options.retries : 1;
    // An error the caller's own body stream raised is the caller's, not the upstream's.
    let bodyError: unknown;
    if (request.body !== undefined && !Buffer.isBuffer(request.body)) request.body.once('error', (error) => (bodyError = error));

    const tried = new Set<string>();
    let upstreamMs = 0;
    let lastFailure: UpstreamUnavailable | undefined;
    for (let attemptNo = 1; attemptNo <= attempts; attemptNo++) {
      const target = chooseTarget(request.upstreams, tried);
      // Nothing admits a call: fail fast, or say why the last attempt failed when there was one.
      if (!target) throw lastFailure ?? breakerOpen(request.upstreams);
      tried.add(target.url);
      const identity = request.identity?.(target.url);
      const started = performance.now();
      try {
        const answer = await target.breaker.execute(async () => {
          try {
            return await attempt(target, request, withTarget(headers, target.host, identity), sink);
          } catch (error) {
            const reason = request.signal?.aborted || error === bodyError ? undefined : upstreamFailureReason(error);
            throw reason ? new AttemptFailed(reason, error) : error;
          }
        });
        upstreamMs += performance.now() - started;
        return { status: answer.status, headers: answer.headers, delivered: answer.delivered, upstreamMs, target: target.url };
      } catch (error) {
        upstreamMs += performance.now() - started;
        if (!(error instanceof AttemptFailed)) throw error;
        const open = !target.breaker.admits();
        lastFailure = new UpstreamUnavailable(error.reason, target.url, { cause: error.cause, ...(open ? { retryAfterSeconds: target.breaker.retryAfterSeconds() } : {}) });
        options.logger.warn({ upstream: target.url, reason: error.reason, attempt: attemptNo, of: attempts, err: error.cause }, 'upstream.attempt_failed');
      }
    }
    throw lastFailure!;
  }

  return {
    forward,
    async close() {
      await Promise.all([...pools.values()].map((pool) => pool.close()));
    },
  };
}

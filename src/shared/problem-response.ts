import { randomUUID } from 'node:crypto';

import type { Context, Middleware } from 'koa';

import { OUTAGE_HEADERS } from '../db/outage-headers.ts';
import { isStoreUnavailable } from '../db/store-unavailable.ts';
import type { Logger } from '../observability/logger.ts';
import { Problem, PROBLEM_TYPES, type ProblemSlug } from './problem.ts';

/*
 * The one place problem details (RFC 9457) become responses: `application/problem+json` with
 * `type`, `title`, `status`, `detail` and `instance`, whatever threw. A `Problem` says itself;
 * a client error thrown by Koa or a library keeps its 4xx with our own words; a store outage is a
 * 503 with `Retry-After`; anything else a bare 500. `instance` names this occurrence (a URN with
 * a fresh id, logged with it), so support can find the request a caller quotes.
 */

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  [extension: string]: unknown;
}

const CLIENT_ERROR_SLUGS: Readonly<Record<number, ProblemSlug>> = {
  400: 'bad-request', 404: 'not-found', 405: 'method-not-allowed', 413: 'payload-too-large', 415: 'unsupported-media-type',
};

/** The body for a problem: `typeBase` is where the error reference lives (`<issuer>/docs/problems/`). */
export function problemBody(typeBase: string, problem: { status: number; slug: ProblemSlug; detail?: string | undefined; extensions?: Readonly<Record<string, unknown>> }, id: string): ProblemBody {
  return {
    ...problem.extensions,
    type: `${typeBase}${problem.slug}`,
    title: PROBLEM_TYPES[problem.slug],
    status: problem.status,
    ...(problem.detail === undefined ? {} : { detail: problem.detail }),
    instance: `urn:uuid:${id}`,
  };
}

function describe(error: unknown): Problem {
  if (isStoreUnavailable(error)) return new Problem(503, 'unavailable', 'Try again later', { headers: OUTAGE_HEADERS });
  if (error instanceof Problem) return error.expose ? error : new Problem(error.status, error.slug, undefined, { headers: error.headers });
  const { status, statusCode } = (error ?? {}) as { status?: unknown; statusCode?: unknown };
  const candidate = status ?? statusCode;
  if (typeof candidate === 'number' && candidate >= 400 && candidate < 500) return new Problem(candidate, CLIENT_ERROR_SLUGS[candidate] ?? 'bad-request');
  return new Problem(500, 'internal-error');
}

/** Writes a problem as the response, keeping the headers set before it (the interaction id above all). */
export function sendProblem(ctx: Context, typeBase: string, problem: Problem, id: string = randomUUID()): void {
  ctx.set(problem.headers);
  ctx.set('Cache-Control', 'no-store');
  ctx.status = problem.status;
  ctx.body = problemBody(typeBase, problem, id);
  ctx.type = 'application/problem+json';
}

/** Koa middleware: renders whatever the steps after it throw as problem details, logged as `<event>`. */
export function renderProblems(logger: Logger, typeBase: string, event: string): Middleware {
  return async function renderProblems(ctx, next) {
    try {
      await next();
    } catch (error) {
      const id = randomUUID();
      const problem = describe(error);
      const context = { id, status: problem.status, type: problem.slug, interactionId: ctx.state.fapiInteractionId, method: ctx.method, path: ctx.path };
      if (problem.status < 500) logger.info(context, event);
      else logger.error({ ...context, err: error }, event);
      sendProblem(ctx, typeBase, problem, id);
    }
  };
}

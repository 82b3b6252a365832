import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';

import type { Context, Middleware } from 'koa';

import { isStoreUnavailable } from '../db/store-unavailable.ts';
import type { Logger } from '../observability/logger.ts';
import { OUTAGE_HEADERS } from '../db/outage-headers.ts';
import { ObError, type ObErrorDetail } from './ob-error.ts';

/*
 * The one place resource-API errors become responses: the Open Banking `OBErrorResponse1` body
 * (Read/Write API v3.1.11), whatever threw. It renders only what was thrown; an unmatched path
 * falls through untouched to the layer that owns 404s. Headers set before the error stay (the
 * echoed `x-fapi-interaction-id` above all), unlike Koa's own `onerror`, which clears them.
 *
 * The spec declares a body for 400, 403, 404 and 500 only; we send one for every status, since an
 * OB body is still the most useful thing a TPP can get and the spec forbids none.
 */

/** OBErrorResponse1. */
export interface ObErrorResponse {
  /** `400 BadRequest`: status and reason phrase, at most 40 characters. */
  Code: string;
  /** Fresh for each error and logged with it, so support can find the request a TPP quotes. */
  Id: string;
  Message: string;
  Errors: readonly ObErrorDetail[];
}

const UNEXPECTED: ObErrorDetail = { ErrorCode: 'UK.OBIE.UnexpectedError', Message: 'An unexpected error occurred' };
// The OB list has no code for "try later"; UnexpectedError with a 503 is what the status says.
const UNAVAILABLE: ObErrorDetail = { ErrorCode: 'UK.OBIE.UnexpectedError', Message: 'The service is temporarily unavailable; try again later' };

/**
 * Koa middleware for the resource routes: turns a thrown `ObError` into its status and Errors, a
 * client error thrown by Koa or a library (a body that is not JSON, too large, in an unsupported
 * encoding) into its status with a UK.OBIE code of ours, a store outage into a 503 with
 * `Retry-After`, and anything else into a bare 500. Each is logged as `event` (by default
 * `consent_api.error`; the sandbox bank core's, `bank_core.error`) with the response `Id` and the
 * interaction id.
 */
export function renderObErrors(logger: Logger, event = 'consent_api.error'): Middleware {
  return async function renderObErrors(ctx, next) {
    try {
      await next();
    } catch (error) {
      const id = randomUUID();
      const { status, errors, headers } = describeError(error, ctx);
      const context = { id, status, interactionId: ctx.state.fapiInteractionId, method: ctx.method, path: ctx.path };
      if (status < 500) {
        // Codes and paths only: a parser's own message can quote the body, personal data included.
        logger.info({ ...context, codes: errors.map((e) => e.ErrorCode), paths: errors.flatMap((e) => e.Path ?? []) }, event);
      } else {
        logger.error({ ...context, err: error }, event);
      }
      send(ctx, status, obErrorResponse(status, errors, id), headers);
    }
  };
}

/**
 * The OBErrorResponse1 body for `status` and `errors`, `id` being the response's `Id`. Exported for
 * the one answer that cannot go through `renderObErrors`: a request Node's HTTP parser refused
 * before any middleware ran.
 */
export function obErrorResponse(status: number, errors: readonly ObErrorDetail[], id: string): ObErrorResponse {
  return { Code: codeOf(status), Id: id, Message: summarise(errors), Errors: errors };
}

interface Described {
  status: number;
  errors: readonly ObErrorDetail[];
  headers: Readonly<Record<string, string>>;
}

function describeError(error: unknown, ctx: Context): Described {
  // Before ObError: a 500 a service made of a store failure is still an outage.
  if (isStoreUnavailable(error)) return { status: 503, errors: [UNAVAILABLE], headers: OUTAGE_HEADERS };
  if (error instanceof ObError) {
    return { status: error.status, errors: error.expose ? error.errors : [UNEXPECTED], headers: error.headers };
  }
  const status = clientErrorStatus(error);
  if (status !== undefined) return { status, errors: [describeClientError(status, ctx)], headers: {} };
  return { status: 500, errors: [UNEXPECTED], headers: {} };
}

/**
 * The 4xx of an http-errors style error (`status` or `statusCode`), as Koa and the body parser
 * throw them. Their `expose` is not consulted: we never send their message, only our own words.
 */
function clientErrorStatus(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const candidate = status ?? statusCode;
  return typeof candidate === 'number' && candidate >= 400 && candidate < 500 ? candidate : undefined;
}

function describeClientError(status: number, ctx: Context): ObErrorDetail {
  switch (status) {
    case 400:
      return { ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: 'The request body could not be read as JSON' };
    case 404:
      return { ErrorCode: 'UK.OBIE.Resource.NotFound', Message: 'The requested resource was not found' };
    case 413:
      return { ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: 'The request body is too large' };
    case 415:
      // The body parser's 415 comes from an unknown Content-Encoding; a media type it cannot
      // read is the other possible reason.
      return isContentEncoded(ctx)
        ? { ErrorCode: 'UK.OBIE.Header.Invalid', Message: 'The Content-Encoding of the request body is not supported', Path: 'Content-Encoding' }
        : { ErrorCode: 'UK.OBIE.Header.Invalid', Message: 'The media type of the request body is not supported', Path: 'Content-Type' };
    default:
      return { ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: `The request was refused: ${reasonOf(status)}` };
  }
}

function isContentEncoded(ctx: Context): boolean {
  const encoding = ctx.get('Content-Encoding').trim().toLowerCase();
  return encoding !== '' && encoding !== 'identity';
}

function send(ctx: Context, status: number, body: ObErrorResponse, headers: Readonly<Record<string, string>>): void {
  ctx.set(headers);
  ctx.set('Cache-Control', 'no-store');
  ctx.status = status;
  ctx.body = body;
  // Koa keeps any JSON-ish type a handler set before it threw; the error is plain JSON.
  ctx.set('Content-Type', 'application/json; charset=utf-8');
}

/** `415 UnsupportedMediaType`: OBErrorResponse1.Code allows 40 characters. */
function codeOf(status: number): string {
  return `${status} ${reasonOf(status).replace(/[^A-Za-z]/g, '')}`.slice(0, 40);
}

function reasonOf(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** One line for the whole response: the error itself when there is one, else how many. */
function summarise(errors: readonly ObErrorDetail[]): string {
  return errors.length === 1 ? errors[0].Message : `The request has ${errors.length} errors, listed in Errors`;
}

import { parse } from 'node:querystring';

import type { Middleware } from 'koa';
import { errors } from 'oidc-provider';

import { readRawBody } from './read-raw-body.ts';

const FORM_LIMIT_BYTES = 16 * 1024;

/**
 * Parses a small urlencoded form into `ctx.state.form`, keeping only single string values: a
 * repeated field is refused rather than guessed at.
 */
export const parseForm: Middleware = async function parseForm(ctx, next) {
  if (!ctx.is('application/x-www-form-urlencoded')) throw new errors.InvalidRequest('expected a form submission');
  // Through the shared reader: the listener's edge has read (and checked) the body already.
  const form: Record<string, string> = {};
  for (const [name, value] of Object.entries(parse(await readRawBody(ctx.req, FORM_LIMIT_BYTES)))) {
    if (typeof value !== 'string') throw new errors.InvalidRequest(`field ${name} was sent more than once`);
    form[name] = value;
  }
  ctx.state.form = form;
  await next();
};

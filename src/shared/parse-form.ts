import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { errors } from 'oidc-provider';

const parse = bodyParser({ enableTypes: ['form'], formLimit: '16kb', encoding: 'utf-8' });

/**
 * Parses a small urlencoded form into `ctx.state.form`, keeping only single string values: a
 * repeated field is refused rather than guessed at.
 */
export const parseForm: Middleware = async function parseForm(ctx, next) {
  if (!ctx.is('application/x-www-form-urlencoded')) throw new errors.InvalidRequest('expected a form submission');
  await parse(ctx, async () => {});
  const form: Record<string, string> = {};
  for (const [name, value] of Object.entries((ctx.request as { body?: Record<string, unknown> }).body ?? {})) {
    if (typeof value !== 'string') throw new errors.InvalidRequest(`field ${name} was sent more than once`);
    form[name] = value;
  }
  ctx.state.form = form;
  await next();
};

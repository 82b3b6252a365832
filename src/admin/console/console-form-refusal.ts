import type { Context, Middleware } from 'koa';

import type { FieldError } from '../../shared/read-form.ts';

/*
 * A console form that stands for an admin API change is audited as that route: its refusals too,
 * with the status the operator got. So the refusal is thrown through the audit (which records its
 * status) and the form is drawn again around it, with the fields' errors beside them.
 */

/** A form the change refused: 400 for mistakes in it, 409 for a clash with what is stored. */
export class ConsoleFormRefused extends Error {
  override name = 'ConsoleFormRefused';
  readonly status: number;
  readonly errors: readonly FieldError[];

  constructor(status: 400 | 409, errors: readonly FieldError[]) {
    super(errors.map((error) => error.message).join('; '));
    this.status = status;
    this.errors = errors;
  }
}

/** Draws the form again, with the refusal's status and errors, when the steps after it refuse it. */
export function renderRefusedForm(render: (ctx: Context, errors: readonly FieldError[]) => Promise<void>): Middleware {
  return async function renderRefusedForm(ctx, next) {
    try {
      await next();
    } catch (error) {
      if (!(error instanceof ConsoleFormRefused)) throw error;
      ctx.status = error.status;
      await render(ctx, error.errors);
    }
  };
}

/**
 * A create has no subject to read before and after: the admin API's audit takes its answer's body
 * as the entry's `after`. The console's handler leaves the created entity there for the audit;
 * this then answers the browser with the redirect's own words.
 */
export const redirectAfterAudit: Middleware = async function redirectAfterAudit(ctx, next) {
  await next();
  if (ctx.status !== 303) return;
  ctx.type = 'text';
  ctx.body = `Redirecting to ${ctx.response.get('Location')}.`;
};

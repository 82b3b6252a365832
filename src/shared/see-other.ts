import type { Context } from 'koa';

/** Answers a form with 303 See Other to `path`: the browser GETs it, and a reload does not post again. */
export function seeOther(ctx: Context, path: string): void {
  ctx.status = 303;
  ctx.redirect(path);
}

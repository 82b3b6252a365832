import type { Context } from 'koa';

/**
 * The notice a page shows after a redirect that named it in its query (`/apps/x?revoked`): the
 * words of the first key of `notices` the query holds, or undefined.
 */
export function pageNotice(ctx: Context, notices: Readonly<Record<string, string>>): string | undefined {
  const key = Object.keys(notices).find((name) => ctx.query[name] !== undefined);
  return key === undefined ? undefined : notices[key];
}

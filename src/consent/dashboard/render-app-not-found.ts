import type { Context } from 'koa';

import { renderView } from '../../shared/render-view.ts';

/**
 * The 404 page for a ConsentId that is not one of the customer's connected apps: missing, another
 * customer's, a payment, or already ended all read the same, so no id reveals anything.
 */
export async function renderAppNotFound(ctx: Context): Promise<void> {
  ctx.status = 404;
  ctx.type = 'html';
  ctx.body = await renderView('consent/app-not-found', {});
}

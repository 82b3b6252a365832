import type { Context } from 'koa';

import { renderView } from '../shared/render-view.ts';
import { formatDay, formatInstant } from './format-instant.ts';

/** Answers with a portal page (`views/<view>.ejs`), which knows who is signed in (for its navigation) and how the portal writes dates. */
export async function renderPortalPage(ctx: Context, view: string, locals: Record<string, unknown>): Promise<void> {
  ctx.type = 'html';
  ctx.body = await renderView(view, { developer: ctx.state.developer, formatInstant, formatDay, ...locals });
}

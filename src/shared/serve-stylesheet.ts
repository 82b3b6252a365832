import { readFileSync } from 'node:fs';

import type { Middleware } from 'koa';

const stylesheet = readFileSync(new URL('../../views/static/portcullis.css', import.meta.url));

/** The one stylesheet the views use, served from memory (CSP forbids inline styles). */
export const serveStylesheet: Middleware = async function serveStylesheet(ctx, next) {
  if (ctx.path !== '/static/portcullis.css') return next();
  ctx.type = 'text/css';
  ctx.set('Cache-Control', 'public, max-age=3600');
  ctx.body = stylesheet;
};

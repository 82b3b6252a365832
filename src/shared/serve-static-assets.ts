import { readFileSync } from 'node:fs';

import type { Middleware } from 'koa';

/*
 * The pages' static files, served from memory: the one stylesheet (CSP forbids inline styles) and
 * the one script (CSP forbids inline script; pages work without it, it only adds copy buttons).
 */
const ASSETS: ReadonlyMap<string, { type: string; body: Buffer }> = new Map([
  ['/static/portcullis.css', { type: 'text/css', body: readFileSync(new URL('../../views/static/portcullis.css', import.meta.url)) }],
  ['/static/copy-button.js', { type: 'text/javascript', body: readFileSync(new URL('../../views/static/copy-button.js', import.meta.url)) }],
]);

export const serveStaticAssets: Middleware = async function serveStaticAssets(ctx, next) {
  const asset = ASSETS.get(ctx.path);
  if (!asset || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
  ctx.type = asset.type;
  ctx.set('Cache-Control', 'public, max-age=3600');
  ctx.body = asset.body;
};

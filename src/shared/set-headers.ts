import type { Context } from 'koa';

// Koa holds these two to a single value (an array of one is unwrapped, of more refused); its own
// set() still decides them.
const SINGLE_VALUED = new Set(['content-type', 'content-length']);

/**
 * Sets each of `headers` on the response, as Koa's `ctx.set(headers)` does (nothing once the
 * head is sent), without the arrays Koa's makes for every header of every call: the gateway sets
 * a dozen on each call. A field whose value is undefined is left out.
 */
export function setHeaders(ctx: Context, headers: Readonly<Record<string, string | string[] | undefined>>): void {
  if (ctx.headerSent) return;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    if (Array.isArray(value) && SINGLE_VALUED.has(name.toLowerCase())) ctx.set(name, value);
    else ctx.res.setHeader(name, value);
  }
}

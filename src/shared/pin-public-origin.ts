import type { Context } from 'koa';

/**
 * Makes every URL the listener builds (discovery metadata, endpoint URLs, the `htu` a DPoP proof
 * must name) come from configuration, never from the request: RFC 8414 §2-3 metadata belongs to
 * the issuer, and one built from `Host` lets a single request naming another host poison a cache
 * in front of discovery. The `Host` a client sent is replaced by the configured one, and a proxy's
 * `X-Forwarded-Host` and `X-Forwarded-Proto` are dropped even from a trusted proxy: behind a load
 * balancer `ISSUER` and `MTLS_BASE_URL` name the public URLs, and every listener speaks https.
 * (`X-Forwarded-For`, the client address, is the trusted proxy's to give; see
 * `strip-untrusted-forwarding.ts`.)
 */
export function pinPublicOrigin(baseUrl: string): (ctx: Context) => void {
  const { host } = new URL(baseUrl);
  return function pinPublicOrigin(ctx) {
    ctx.req.headers.host = host;
    delete ctx.req.headers['x-forwarded-host'];
    delete ctx.req.headers['x-forwarded-proto'];
  };
}

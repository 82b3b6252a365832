import type { Context } from 'koa';

import type { TrustedProxies } from './trusted-proxies.ts';

/**
 * Forwarding headers (`X-Forwarded-*`, `Forwarded`, and the client-certificate header) mean
 * something only when a configured proxy set them. From any other peer they are deleted before
 * anything reads them, so that neither Koa (`app.proxy`) nor oidc-provider (DPoP `htu`, assertion
 * audiences, mTLS) can be fooled by a client that sends them itself.
 */
export function stripUntrustedForwarding(trustedProxies: TrustedProxies, clientCertHeader: string | undefined): (ctx: Context) => void {
  const forwarding = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port', ...(clientCertHeader ? [clientCertHeader] : [])];
  return function stripUntrustedForwarding(ctx) {
    if (!trustedProxies.includes(ctx.req.socket)) {
      for (const name of forwarding) delete ctx.req.headers[name];
    }
  };
}

import type Provider from 'oidc-provider';

type Grant = InstanceType<Provider['Grant']>;

/*
 * oidc-provider's Grant is a BaseToken (`lib/models/base_token.js`): an `expiresIn` (seconds) set
 * on it before `save()` replaces `ttl.Grant`, and the static `expiresIn(ctx, grant, client)` gives
 * what `ttl.Grant` would. @types/oidc-provider declares neither, hence the narrow views below.
 */
interface GrantWithLifetime {
  expiresIn?: number;
}

interface GrantModelWithLifetime {
  expiresIn(ctx: undefined, grant: Grant): number | undefined;
}

/** Makes `grant` expire no later than `expiresAt` (and never later than `ttl.Grant` would), counting from `now`. */
export function endGrantBy(provider: Provider, grant: Grant, expiresAt: Date, now: Date): void {
  const secondsLeft = Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000));
  const configured = (provider.Grant as unknown as GrantModelWithLifetime).expiresIn(undefined, grant) ?? secondsLeft;
  (grant as GrantWithLifetime).expiresIn = Math.min(configured, secondsLeft);
}

import type { Context } from 'koa';
import type Provider from 'oidc-provider';

import type { Logger } from '../../observability/logger.ts';
import type { AccessTokenReader } from '../access/access-token-reader.ts';
import type { ResponseSigner } from '../jws-signature/sign-response-body.ts';

/** OB message signing (`x-jws-signature`) as the bank runs it. */
export interface MessageSigning {
  enabled: boolean;
  /** The trust anchor (`http://openbanking.org.uk/tan`) every signature names. */
  trustAnchor: string;
  /** Signs responses; present when signing is enabled. */
  responseSigner?: ResponseSigner;
}

/**
 * What every Open Banking resource API (the consent API now, the gateway's resource APIs next)
 * gives the kit's shared steps: how to check a partner's token, and how to sign and check messages.
 */
export interface ObResourceDependencies {
  /** oidc-provider: its clients, and the replay cache for DPoP proofs. */
  provider: Provider;
  /** Reads access tokens of either format. */
  tokens: AccessTokenReader;
  /** The resource indicator Open Banking tokens are issued for. */
  audience: string;
  /** The TLS client certificate of the request (PEM), wherever it arrived. */
  clientCertificate: (ctx: Context) => string | undefined;
  logger: Logger;
  messageSigning: MessageSigning;
}

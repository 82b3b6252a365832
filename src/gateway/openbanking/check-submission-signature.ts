import type { Middleware } from 'koa';
import type Provider from 'oidc-provider';

import type { MessageSigning } from '../../openbanking/http/ob-resource.deps.ts';
import { verifyMessageSignature } from '../../openbanking/http/verify-message-signature.ts';
import { keptBody } from '../../shared/read-raw-body.ts';

/**
 * OB message signing on payment submissions, as on payment consents: the body's `x-jws-signature`
 * by one of the partner's registered keys, naming it as `<org_id>/<software_id>` (checked by the
 * Open Banking kit's own step). With signing off, nothing is checked.
 */
export function checkSubmissionSignature(deps: { provider: Provider; messageSigning: MessageSigning }): Middleware {
  const verify = verifyMessageSignature(deps);
  return async function checkSubmissionSignature(ctx, next) {
    const call = ctx.state.gateway!;
    if (!call.payment || !deps.messageSigning.enabled) return next();
    const client = await deps.provider.Client.find(call.caller!.clientId!);
    const metadata: Record<string, unknown> = client?.metadata() ?? {};
    ctx.state.obRequest = { raw: keptBody(ctx.req) ?? '', parsed: call.payment.body };
    ctx.state.partner = {
      token: { kind: 'AccessToken', clientId: call.caller!.clientId!, scopes: call.caller!.scopes },
      clientId: call.caller!.clientId!,
      orgId: typeof metadata['org_id'] === 'string' ? metadata['org_id'] : undefined,
      softwareId: typeof metadata['software_id'] === 'string' ? metadata['software_id'] : undefined,
      jwks: client?.jwks as { keys: object[] } | undefined,
      jwksUri: client?.jwksUri,
    };
    await verify(ctx, next);
  };
}

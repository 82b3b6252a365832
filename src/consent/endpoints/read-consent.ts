import type { Middleware } from 'koa';

import { noStore } from '../../shared/no-store.ts';
import type { ConsentKindSpec } from '../consent-kinds.ts';
import { renderConsent } from '../consent-response.ts';
import { readConsent } from '../consent.service.ts';
import type { ConsentApiDependencies } from './consent-api.deps.ts';
import { requirePartnerToken } from '../../openbanking/http/require-partner-token.ts';
import { signResponse } from '../../openbanking/http/sign-response.ts';

/** `GET <kind path>/{ConsentId}`: the partner's own consent, with its current status. */
export function readConsentEndpoint(deps: ConsentApiDependencies, kind: ConsentKindSpec): Middleware[] {
  const handleRead: Middleware = async function handleRead(ctx) {
    const consent = await readConsent(deps.consents.db, kind, ctx.state.partner!.clientId, ctx.params['ConsentId']!);
    ctx.body = renderConsent(consent, deps.baseUrl);
  };
  return [
    noStore,
    ...(kind.signed ? [signResponse(deps)] : []),
    requirePartnerToken(deps, { kinds: ['ClientCredentials'], scope: kind.scope, role: kind.role }),
    handleRead,
  ];
}

import type { Middleware } from 'koa';

import { noStore } from '../../shared/no-store.ts';
import type { ConsentKindSpec } from '../consent-kinds.ts';
import { withdrawConsent } from '../consent.service.ts';
import type { ConsentApiDependencies } from './consent-api.deps.ts';
import { requirePartnerToken } from '../../openbanking/http/require-partner-token.ts';

/** `DELETE <kind path>/{ConsentId}` (AIS, CBPII): the partner withdraws a consent; 204. */
export function deleteConsentEndpoint(deps: ConsentApiDependencies, kind: ConsentKindSpec): Middleware[] {
  const handleDelete: Middleware = async function handleDelete(ctx) {
    await withdrawConsent(deps.consents, kind, ctx.state.partner!.clientId, ctx.params['ConsentId']!, deps.revokeGrant);
    ctx.status = 204;
  };
  return [
    noStore,
    requirePartnerToken(deps, { kinds: ['ClientCredentials'], scope: kind.scope, role: kind.role }),
    handleDelete,
  ];
}

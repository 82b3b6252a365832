import type { Middleware } from 'koa';

import { noStore } from '../../shared/no-store.ts';
import { kinded, type ConsentKind, type ConsentKindSpec, type ConsentRequestOf } from '../consent-kinds.ts';
import { renderConsent } from '../consent-response.ts';
import { createConsent } from '../consent.service.ts';
import { obBodyValidator } from '../../openbanking/ob-body-validator.ts';
import type { ConsentApiDependencies } from './consent-api.deps.ts';
import { readIdempotencyKey } from '../../openbanking/http/read-idempotency-key.ts';
import { readJsonBody } from '../../openbanking/http/read-json-body.ts';
import { requirePartnerToken } from '../../openbanking/http/require-partner-token.ts';
import { signResponse } from '../../openbanking/http/sign-response.ts';
import { verifyMessageSignature } from '../../openbanking/http/verify-message-signature.ts';

/**
 * `POST <kind path>`: a partner asks for a consent with a client-credentials token. Answers 201
 * with the consent in `AwaitingAuthorisation`, or, for a repeated idempotency key and body, the
 * consent the first request made (a POST without a key is always a new consent).
 */
export function createConsentEndpoint<K extends ConsentKind>(deps: ConsentApiDependencies, kind: ConsentKindSpec<K>): Middleware[] {
  const validateBody = obBodyValidator<ConsentRequestOf[K]>(kind.spec, kind.requestSchema);
  const handleCreate: Middleware = async function handleCreate(ctx) {
    const request = validateBody(ctx.state.obRequest!.parsed);
    const { consent } = await createConsent(deps.consents, {
      consent: kinded(kind.kind, request),
      clientId: ctx.state.partner!.clientId,
      idempotencyKey: ctx.state.idempotencyKey,
    });
    ctx.status = 201;
    ctx.body = renderConsent(consent, deps.baseUrl);
  };
  return [
    noStore,
    ...(kind.signed ? [signResponse(deps)] : []),
    requirePartnerToken(deps, { kinds: ['ClientCredentials'], scope: kind.scope, role: kind.role }),
    readIdempotencyKey(kind.idempotencyKeyRequired),
    readJsonBody,
    ...(kind.signed ? [verifyMessageSignature(deps)] : []),
    handleCreate,
  ];
}

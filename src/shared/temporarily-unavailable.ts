import { errors } from 'oidc-provider';

import { isStoreUnavailable } from '../db/store-unavailable.ts';

/**
 * The OAuth answer to a store outage: HTTP 503, `temporarily_unavailable` (the code RFC 6749
 * §4.1.2.1 gives an authorization server that cannot serve for now). Shaped like oidc-provider's
 * own errors (`lib/helpers/errors.js`), so that its error handlers render it as they render
 * theirs: as JSON at the token, PAR, introspection, revocation, userinfo and registration
 * endpoints, as a redirect to the client or an error page at the authorization endpoint. The
 * headers that go with it (`OUTAGE_HEADERS`) are added by whoever sends the answer.
 *
 * `expose` is true although the status is 5xx, on purpose: oidc-provider sends a bare
 * `server_error` for anything not exposed, and what is exposed here is only the code and the fixed
 * description below, written for the client. The driver's error stays in `cause` (and so in the
 * log), never in an answer.
 */
export class TemporarilyUnavailable extends errors.OIDCProviderError {
  override error_description = 'the service is temporarily unavailable, try again later';

  constructor(options: { cause: unknown }) {
    super(503, 'temporarily_unavailable', { cause: options.cause });
    this.name = 'TemporarilyUnavailable';
    this.expose = true;
  }
}

/**
 * Runs store work that oidc-provider awaits (its adapter, `findAccount`): a store outage it throws
 * becomes `TemporarilyUnavailable`; anything else is thrown as it was.
 *
 * @example
 * ```ts
 * find: (id) => reportStoreOutage(() => adapter.find(id)),
 * ```
 */
export async function reportStoreOutage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof TemporarilyUnavailable) && isStoreUnavailable(error)) throw new TemporarilyUnavailable({ cause: error });
    throw error;
  }
}

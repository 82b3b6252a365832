import Provider, { type Adapter, type AdapterPayload } from 'oidc-provider';

import { reportStoreOutage, TemporarilyUnavailable } from '../../shared/temporarily-unavailable.ts';

/*
 * oidc-provider renders every error inside its own routes (`lib/shared/error_handler.js`,
 * `authorization_error_handler.js`) and answers `server_error` (500) for anything that is not one
 * of its errors. Its adapter is where nearly all of its store work happens, so this is where a
 * store outage becomes an error it renders as such: `TemporarilyUnavailable`, a 503.
 *
 * Once the store has failed a request, the rest of that request fails at once with the same
 * error: oidc-provider goes back to the store while it handles the failure (the authorization
 * endpoint looks the client up again to decide where the error goes; a touched session is saved on
 * the way out), and each of those calls would otherwise wait out the timeouts again. The request is
 * oidc-provider's Koa context, which it keeps in an AsyncLocalStorage (`Provider.ctx`); calls made
 * outside its routes (our pages, the consent API) have none, and fail on their own.
 */
const failedRequests = new WeakMap<object, TemporarilyUnavailable>();

async function storeWork<T>(work: () => Promise<T>): Promise<T> {
  const request = Provider.ctx;
  const earlier = request && failedRequests.get(request);
  if (earlier) throw earlier;
  try {
    return await reportStoreOutage(work);
  } catch (error) {
    if (request && error instanceof TemporarilyUnavailable) failedRequests.set(request, error);
    throw error;
  }
}

/** Wraps a model's adapter: the same calls, with a store outage reported as `TemporarilyUnavailable`. */
export class OutageReportingAdapter implements Adapter {
  readonly #adapter: Adapter;

  constructor(adapter: Adapter) {
    this.#adapter = adapter;
  }

  upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<undefined | void> {
    return storeWork(() => this.#adapter.upsert(id, payload, expiresIn));
  }

  find(id: string): Promise<AdapterPayload | undefined | void> {
    return storeWork(() => this.#adapter.find(id));
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined | void> {
    return storeWork(() => this.#adapter.findByUserCode(userCode));
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined | void> {
    return storeWork(() => this.#adapter.findByUid(uid));
  }

  consume(id: string): Promise<undefined | void> {
    return storeWork(() => this.#adapter.consume(id));
  }

  destroy(id: string): Promise<undefined | void> {
    return storeWork(() => this.#adapter.destroy(id));
  }

  revokeByGrantId(grantId: string): Promise<undefined | void> {
    return storeWork(() => this.#adapter.revokeByGrantId(grantId));
  }
}

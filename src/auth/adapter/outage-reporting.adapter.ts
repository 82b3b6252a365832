import type { Adapter, AdapterPayload } from 'oidc-provider';

import { reportStoreOutage } from '../../shared/temporarily-unavailable.ts';

/*
 * oidc-provider renders every error inside its own routes (`lib/shared/error_handler.js`,
 * `authorization_error_handler.js`) and answers `server_error` (500) for anything that is not one
 * of its errors. Its adapter is where nearly all of its store work happens, so this is where a
 * store outage becomes an error it renders as such: `TemporarilyUnavailable`, a 503.
 */

/** Wraps a model's adapter: the same calls, with a store outage reported as `TemporarilyUnavailable`. */
export class OutageReportingAdapter implements Adapter {
  readonly #adapter: Adapter;

  constructor(adapter: Adapter) {
    this.#adapter = adapter;
  }

  upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<undefined | void> {
    return reportStoreOutage(() => this.#adapter.upsert(id, payload, expiresIn));
  }

  find(id: string): Promise<AdapterPayload | undefined | void> {
    return reportStoreOutage(() => this.#adapter.find(id));
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined | void> {
    return reportStoreOutage(() => this.#adapter.findByUserCode(userCode));
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined | void> {
    return reportStoreOutage(() => this.#adapter.findByUid(uid));
  }

  consume(id: string): Promise<undefined | void> {
    return reportStoreOutage(() => this.#adapter.consume(id));
  }

  destroy(id: string): Promise<undefined | void> {
    return reportStoreOutage(() => this.#adapter.destroy(id));
  }

  revokeByGrantId(grantId: string): Promise<undefined | void> {
    return reportStoreOutage(() => this.#adapter.revokeByGrantId(grantId));
  }
}

import type { Knex } from 'knex';
import type { Adapter, AdapterFactory } from 'oidc-provider';

import { ClientAdapter } from './client.adapter.ts';
import { PayloadTableAdapter } from './payload-table.adapter.ts';
import { payloadTableFor } from './payload-tables.ts';
import { ReplayDetectionAdapter } from './replay-detection.adapter.ts';

/**
 * Makes oidc-provider's `adapter` option: a factory the provider calls once per model name
 * (`lib/models/base_model.js`), returning that model's storage in the Portcullis database. Throws a
 * `TypeError` for a model name no table is made for.
 *
 * @example
 * ```ts
 * const provider = new Provider(issuer, { adapter: createStoreAdapter(db), ...configuration });
 * ```
 */
export function createStoreAdapter(db: Knex): AdapterFactory {
  // An arrow function, so oidc-provider calls it rather than `new`s it (`initialize_adapter.js`).
  const storeAdapterFor = (model: string): Adapter => {
    if (model === 'Client') return new ClientAdapter(db);
    if (model === 'ReplayDetection') return new ReplayDetectionAdapter(db);
    return new PayloadTableAdapter(db, model, payloadTableFor(model));
  };
  return storeAdapterFor;
}

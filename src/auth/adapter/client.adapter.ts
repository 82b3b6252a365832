import type { Knex } from 'knex';
import type { AdapterPayload } from 'oidc-provider';

import { preparedQuery } from '../../db/prepared-query.ts';
import type { ClientCache } from './client-cache.ts';
import { KeyedRowAdapter } from './keyed-row.adapter.ts';

/*
 * Dynamically registered clients. oidc-provider stores a client's metadata under its client_id
 * (`lib/helpers/add_client.js`, `lib/actions/registration.js`) and never gives it an expiry. It
 * looks the client up on every request that authenticates one, so lookups go through a short-lived
 * cache (client-cache.ts) and, on a miss, a prepared statement. A client the bank has suspended
 * (`suspended_at`) is not found: oidc-provider then refuses it as it refuses an unknown client, at
 * the token, PAR, authorization and registration management endpoints alike.
 */

const findMetadata = preparedQuery<{ metadata: AdapterPayload }>('select metadata from oidc_clients where client_id = $1 and suspended_at is null');

/** oidc-provider `Adapter` for the `Client` model, over `oidc_clients`. */
export class ClientAdapter extends KeyedRowAdapter {
  readonly #db: Knex;
  readonly #cache: ClientCache;

  constructor(db: Knex, cache: ClientCache) {
    super('Client');
    this.#db = db;
    this.#cache = cache;
  }

  async upsert(clientId: string, metadata: AdapterPayload): Promise<void> {
    const softwareId = typeof metadata.software_id === 'string' ? metadata.software_id : null;
    try {
      await this.#db('oidc_clients')
        .insert({ client_id: clientId, metadata: JSON.stringify(metadata), software_id: softwareId })
        .onConflict('client_id')
        .merge({
          metadata: this.#db.raw('excluded.metadata'),
          software_id: this.#db.raw('excluded.software_id'),
          updated_at: this.#db.fn.now(),
        });
    } finally {
      this.#cache.forget(clientId);
    }
  }

  async find(clientId: string): Promise<AdapterPayload | undefined> {
    const cached = this.#cache.get(clientId);
    if (cached) return cached;
    const stamp = this.#cache.stamp();
    const [row] = await findMetadata(this.#db, [clientId]);
    if (row) this.#cache.set(clientId, row.metadata, stamp);
    return row?.metadata;
  }

  async destroy(clientId: string): Promise<void> {
    try {
      await this.#db('oidc_clients').where({ client_id: clientId }).delete();
    } finally {
      this.#cache.forget(clientId);
    }
  }
}

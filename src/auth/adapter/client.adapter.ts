import type { Knex } from 'knex';
import type { AdapterPayload } from 'oidc-provider';

import { KeyedRowAdapter } from './keyed-row.adapter.ts';

/*
 * Dynamically registered clients. oidc-provider stores a client's metadata under its client_id
 * (`lib/helpers/add_client.js`, `lib/actions/registration.js`) and never gives it an expiry.
 */

/** oidc-provider `Adapter` for the `Client` model, over `oidc_clients`. */
export class ClientAdapter extends KeyedRowAdapter {
  readonly #db: Knex;

  constructor(db: Knex) {
    super('Client');
    this.#db = db;
  }

  async upsert(clientId: string, metadata: AdapterPayload): Promise<void> {
    const softwareId = typeof metadata.software_id === 'string' ? metadata.software_id : null;
    await this.#db('oidc_clients')
      .insert({ client_id: clientId, metadata: JSON.stringify(metadata), software_id: softwareId })
      .onConflict('client_id')
      .merge({
        metadata: this.#db.raw('excluded.metadata'),
        software_id: this.#db.raw('excluded.software_id'),
        updated_at: this.#db.fn.now(),
      });
  }

  async find(clientId: string): Promise<AdapterPayload | undefined> {
    const row: { metadata: AdapterPayload } | undefined = await this.#db('oidc_clients').first('metadata').where({ client_id: clientId });
    return row?.metadata;
  }

  async destroy(clientId: string): Promise<void> {
    await this.#db('oidc_clients').where({ client_id: clientId }).delete();
  }
}

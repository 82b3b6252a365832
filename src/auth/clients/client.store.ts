import type { Knex } from 'knex';

/*
 * What the CLI reads and deletes in `oidc_clients` beyond oidc-provider's adapter, which can only
 * find, upsert and destroy one client it is asked for by id.
 */

export interface ClientRow {
  client_id: string;
  metadata: Record<string, unknown>;
  software_id: string | null;
  created_at: Date;
}

/** Every registered client, oldest first. */
export function listClients(db: Knex): Promise<ClientRow[]> {
  return db<ClientRow>('oidc_clients').select('client_id', 'metadata', 'software_id', 'created_at').orderBy([{ column: 'created_at' }, { column: 'client_id' }]);
}

/** True when a client with this id is registered. */
export async function clientExists(db: Knex, clientId: string): Promise<boolean> {
  return (await db('oidc_clients').first('client_id').where({ client_id: clientId })) !== undefined;
}

/** Deletes the client's registration; true when there was one. */
export async function deleteClient(db: Knex, clientId: string): Promise<boolean> {
  // `returning` rather than the affected-row count, which knex-pglite does not report.
  const deleted: unknown[] = await db('oidc_clients').where({ client_id: clientId }).delete(['client_id']);
  return deleted.length > 0;
}

import type { Knex } from 'knex';

/*
 * What the CLI and the bank's operations read and change in `oidc_clients` beyond oidc-provider's
 * adapter, which can only find, upsert and destroy one client it is asked for by id (and does not
 * find a suspended one).
 */

export interface ClientRow {
  client_id: string;
  metadata: Record<string, unknown>;
  software_id: string | null;
  created_at: Date;
  /** When the bank suspended the client; null while it is active. */
  suspended_at: Date | null;
}

const CLIENT_COLUMNS = ['client_id', 'metadata', 'software_id', 'created_at', 'suspended_at'] as const;

/** Every registered client, oldest first. */
export function listClients(db: Knex): Promise<ClientRow[]> {
  return db<ClientRow>('oidc_clients').select(...CLIENT_COLUMNS).orderBy([{ column: 'created_at' }, { column: 'client_id' }]);
}

/**
 * At most `limit` clients registered before the one `after` names (the store's exact text of its
 * registration instant, and its id), newest first: a page of a keyset listing that rows registered
 * meanwhile never shift. Each row carries `created_exact` for the next page's `after`.
 */
export function listClientsAfter(db: Knex, limit: number, after: { createdAt: string; clientId: string } | undefined): Promise<Array<ClientRow & { created_exact: string }>> {
  const query = db('oidc_clients').select(...CLIENT_COLUMNS, db.raw('created_at::text as created_exact')).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'client_id', order: 'desc' }]).limit(limit);
  if (after) query.whereRaw('(created_at, client_id) < (?::timestamptz, ?)', [after.createdAt, after.clientId]);
  return query;
}

/** A registered client, suspended or not. */
export function findClientRow(db: Knex, clientId: string): Promise<ClientRow | undefined> {
  return db<ClientRow>('oidc_clients').first(...CLIENT_COLUMNS).where({ client_id: clientId });
}

/** Suspends the client at `at`, or reactivates it (`null`); resolves the row as it now is, undefined for an unknown client. */
export async function setClientSuspension(db: Knex, clientId: string, at: Date | null): Promise<ClientRow | undefined> {
  const [row]: ClientRow[] = await db('oidc_clients').where({ client_id: clientId }).update({ suspended_at: at, updated_at: db.fn.now() }).returning([...CLIENT_COLUMNS]);
  return row;
}

/** The client's own tokens and grants, gone with its registration: client-credentials tokens and any grant no consent ended. */
export async function deleteClientTokens(db: Knex, clientId: string): Promise<string[]> {
  await db('oidc_tokens').where({ client_id: clientId }).delete();
  const grants: Array<{ id: string }> = await db('oidc_grants').where({ client_id: clientId }).delete(['id']);
  return grants.map((grant) => grant.id);
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
